import type { EntityManager } from '@mikro-orm/sql';
import type { Scope, TicketsService, TransactionContext } from '@ticketops/plugin-sdk';
import type { CompiledCalendar } from '../calendar/compile.ts';
import { compiledCalendar } from '../calendar/store.ts';
import { SlaCalendar, SlaPolicy } from '../entities.ts';
import type { EscalationAction } from '../policies/escalations.ts';
import { type Fact, type PolicyDef, type SlaState, type TimelineEntry, deriveSla } from './derive.ts';

export async function query<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  return (await em.getConnection().execute(sql, params, 'all', em.getTransactionContext())) as T[];
}

/** A text[] literal for `?::text[]` parameters. */
export const textArray = (values: readonly (string | null)[]) => `{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;

export interface SlaConfigSnapshot {
  policies: PolicyDef[];
  calendars: Map<string, CompiledCalendar>;
}

/** Active policies in order, and the compiled calendars they use (tenant-filtered entity queries). */
export async function loadConfig(em: EntityManager): Promise<SlaConfigSnapshot> {
  const rows = await em.find(SlaPolicy, { active: true }, { orderBy: { position: 'asc', id: 'asc' } });
  const calendarRows = rows.length ? await em.find(SlaCalendar, { id: { $in: [...new Set(rows.map((r) => r.calendarId))] } }) : [];
  return {
    policies: rows.map((r) => ({ id: r.id, name: r.name, conditions: r.conditions, targets: r.targets, calendarId: r.calendarId, pauseStatuses: r.pauseStatuses ?? null, warningPercent: r.warningPercent ?? null, escalations: r.escalations ?? [] })),
    calendars: new Map(calendarRows.map((c) => [c.id, compiledCalendar(c)])),
  };
}

const configCache = new Map<string, { signature: string; config: SlaConfigSnapshot }>();

/**
 * The tenant's config, compiled once per process and reused while the versions of its active
 * policies and their calendars are unchanged (one small query checks them).
 */
export async function currentConfig(em: EntityManager, tenantId: string): Promise<SlaConfigSnapshot> {
  const [row] = await query<{ v: string }>(
    em,
    `select coalesce(string_agg(p.id || ':' || p.version || ':' || c.id || ':' || c.version, ',' order by p.position, p.id), '') as v
       from sla_policy p join sla_calendar c on c.id = p.calendar_id where p.tenant_id = ? and p.active`,
    [tenantId],
  );
  const signature = row?.v ?? '';
  const cached = configCache.get(tenantId);
  if (cached && cached.signature === signature) return cached.config;
  const config = await loadConfig(em);
  configCache.set(tenantId, { signature, config });
  return config;
}

type FactRow = { ticket_id: string; id: string; at: Date | string; kind: Fact['kind']; ref: string | null; data: unknown };
const toFact = (r: FactRow): Fact => ({ id: r.id, at: new Date(r.at).getTime(), kind: r.kind, ref: r.ref, data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Fact['data'] });

export async function loadFacts(em: EntityManager, tenantId: string, ticketId: string): Promise<Fact[]> {
  return (await loadFactsOf(em, tenantId, [ticketId])).get(ticketId) ?? [];
}

/** The facts of many tickets in one query, by ticket. */
export async function loadFactsOf(em: EntityManager, tenantId: string, ticketIds: string[]): Promise<Map<string, Fact[]>> {
  const rows = await query<FactRow>(
    em, 'select f.ticket_id, f.id::text as id, f.at, f.kind, f.ref, f.data from sla_ticket_fact f where f.tenant_id = ? and f.ticket_id = any(?::text[]) order by f.ticket_id, f.id', [tenantId, textArray(ticketIds)],
  );
  const out = new Map<string, Fact[]>();
  for (const r of rows) {
    const list = out.get(r.ticket_id);
    if (list) list.push(toFact(r));
    else out.set(r.ticket_id, [toFact(r)]);
  }
  return out;
}

/** Derives without writing (the ticket API). */
export async function readSla(scope: Scope, ticketId: string, now = Date.now()): Promise<{ facts: Fact[]; state: SlaState }> {
  const facts = await loadFacts(scope.em, scope.tenantId, ticketId);
  const { policies, calendars } = await currentConfig(scope.em, scope.tenantId);
  return { facts, state: deriveSla({ facts, policies, calendars, now }) };
}

const ts = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

export interface RecomputeOptions {
  now?: number;
  /** One loaded config for a whole run (a tenant recompute); loaded per call otherwise. */
  config?: SlaConfigSnapshot;
  /** Record reached alerts as sent without emitting or acting (a backfill of history). */
  quiet?: boolean;
}

/**
 * Re-derives one ticket under a row lock (so concurrent runs for one ticket serialize and the last
 * writer saw every committed fact), stores due times, and sends each warning, breach or escalation
 * level reached by now exactly once.
 */
export async function recomputeTicket(tx: TransactionContext, scope: Scope, ticketId: string, options: RecomputeOptions = {}): Promise<SlaState | null> {
  const tenantId = scope.tenantId;
  const config = options.config ?? (await currentConfig(tx.em, tenantId));
  // One statement: create the state row if the ticket has facts (the insert locks it), or lock the
  // existing row; the facts are read after the lock is granted.
  const got = await query(
    tx.em,
    `with ins as (insert into sla_ticket (ticket_id, tenant_id) select ?, ? where exists (select 1 from sla_ticket_fact where tenant_id = ? and ticket_id = ?) on conflict do nothing returning ticket_id),
          lck as (select ticket_id from sla_ticket where tenant_id = ? and ticket_id = ? for update)
     select 1 from ins union all select 1 from lck`,
    [ticketId, tenantId, tenantId, ticketId, tenantId, ticketId],
  );
  // A row another transaction created after this statement's snapshot: lock it now.
  if (!got.length && !(await query(tx.em, 'select 1 from sla_ticket where tenant_id = ? and ticket_id = ? for update', [tenantId, ticketId])).length) return null;
  const states = await deriveAndStore(tx, scope, [ticketId], { ...options, config });
  return states.get(ticketId) ?? null;
}

/**
 * The set-based core: facts of all `ticketIds` in one query, one derivation each with one config,
 * alerts inserted in one statement, stored state written in one statement. The caller holds the
 * `sla_ticket` row locks.
 */
/** Milliseconds spent per phase of `deriveAndStore` in this process (benchmarks read it). */
export const phaseMs: Record<string, number> = { facts: 0, derive: 0, alerts: 0, state: 0 };

export async function deriveAndStore(tx: TransactionContext, scope: Scope, ticketIds: string[], options: RecomputeOptions = {}): Promise<Map<string, SlaState>> {
  const now = options.now ?? Date.now();
  const tenantId = scope.tenantId;
  const config = options.config ?? (await loadConfig(tx.em));
  let mark = performance.now();
  const lap = (phase: string) => {
    const t = performance.now();
    phaseMs[phase] = (phaseMs[phase] ?? 0) + t - mark;
    mark = t;
  };
  const factsOf = await loadFactsOf(tx.em, tenantId, ticketIds);
  lap('facts');
  const states = new Map<string, SlaState>();
  const alerts: { ticketId: string; entry: TimelineEntry; state: SlaState }[] = [];
  for (const id of ticketIds) {
    const state = deriveSla({ facts: factsOf.get(id) ?? [], policies: config.policies, calendars: config.calendars, now });
    states.set(id, state);
    for (const entry of state.timeline) {
      if ((entry.type === 'warning' || entry.type === 'breached' || entry.type === 'escalated') && entry.at <= now) alerts.push({ ticketId: id, entry, state });
    }
  }
  lap('derive');
  if (alerts.length) await sendAlerts(tx, scope, alerts, config, options.quiet ?? false);
  lap('alerts');
  const cols: Record<string, (string | null)[]> = { id: [], policy: [], open: [], fr: [], nr: [], res: [], alert: [], state: [] };
  for (const [id, state] of states) {
    const due = (m: string) => ts(state.metrics.find((x) => x.metric === m && x.state === 'running')?.dueAt);
    cols.id!.push(id);
    cols.policy!.push(state.policy?.id ?? null);
    cols.open!.push(String(state.open));
    cols.fr!.push(due('firstResponse'));
    cols.nr!.push(due('nextResponse'));
    cols.res!.push(due('resolution'));
    cols.alert!.push(ts(state.nextAlertAt));
    cols.state!.push(JSON.stringify({ metrics: state.metrics, policy: state.policy }));
  }
  const update = {
    text: `update sla_ticket s set policy_id = v.policy, open = v.open, first_response_due = v.fr, next_response_due = v.nr, resolution_due = v.res, next_alert_at = v.alert, state = v.state, updated_at = now()
       from unnest(?::text[], ?::text[], ?::boolean[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::jsonb[]) as v(id, policy, open, fr, nr, res, alert, state)
      where s.tenant_id = ? and s.ticket_id = v.id`,
    params: [textArray(cols.id!), textArray(cols.policy!), textArray(cols.open!), textArray(cols.fr!), textArray(cols.nr!), textArray(cols.res!), textArray(cols.alert!), textArray(cols.state!), tenantId],
  };
  // State and report cycles in one round trip (data-modifying CTEs all run).
  const cycles = cycleStatements(tenantId, states);
  await query(tx.em, `with c_del as (${cycles.del.text}), c_up as (${cycles.upsert.text}) ${update.text}`, [...cycles.del.params, ...cycles.upsert.params, ...update.params]);
  lap('state');
  return states;
}

/**
 * The tickets' rows in `sla_metric_cycle`: an upsert of every cycle with an outcome, and a delete
 * of their other rows (disjoint from the upserted ones, so both can run in one statement).
 */
function cycleStatements(tenantId: string, states: Map<string, SlaState>) {
  const c: Record<string, (string | null)[]> = { id: [], metric: [], cycle: [], policy: [], state: [], target: [], started: [], fulfilled: [], breached: [], elapsed: [] };
  for (const [id, state] of states) {
    // Reports count outcomes: cycles fulfilled or breached. A running cycle within target has none yet.
    for (const m of state.cycles) {
      if (m.fulfilledAt === null && m.breachedAt === null) continue;
      c.id!.push(id);
      c.metric!.push(m.metric);
      c.cycle!.push(String(m.cycle));
      c.policy!.push(state.policy?.id ?? null);
      c.state!.push(m.state);
      c.target!.push(String(m.targetMinutes));
      c.started!.push(ts(m.startedAt));
      c.fulfilled!.push(ts(m.fulfilledAt));
      c.breached!.push(ts(m.breachedAt));
      c.elapsed!.push(String(m.elapsedMinutes));
    }
  }
  const keys = c.id!.map((id, i) => `${id}|${c.metric![i]}|${c.cycle![i]}`);
  return {
    del: {
      text: `delete from sla_metric_cycle where tenant_id = ? and ticket_id = any(?::text[]) and not (ticket_id || '|' || metric || '|' || cycle = any(?::text[]))`,
      params: [tenantId, textArray([...states.keys()]), textArray(keys)],
    },
    upsert: {
      text: `insert into sla_metric_cycle (tenant_id, ticket_id, metric, cycle, policy_id, state, target_minutes, started_at, fulfilled_at, breached_at, elapsed_minutes)
         select ?, v.* from unnest(?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::int[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::float8[]) as v
         on conflict (ticket_id, metric, cycle) do update set policy_id = excluded.policy_id, state = excluded.state, target_minutes = excluded.target_minutes, started_at = excluded.started_at,
           fulfilled_at = excluded.fulfilled_at, breached_at = excluded.breached_at, elapsed_minutes = excluded.elapsed_minutes
         where (sla_metric_cycle.policy_id, sla_metric_cycle.state, sla_metric_cycle.target_minutes, sla_metric_cycle.started_at, sla_metric_cycle.fulfilled_at, sla_metric_cycle.breached_at, sla_metric_cycle.elapsed_minutes)
           is distinct from (excluded.policy_id, excluded.state, excluded.target_minutes, excluded.started_at, excluded.fulfilled_at, excluded.breached_at, excluded.elapsed_minutes)`,
      params: [tenantId, ...['id', 'metric', 'cycle', 'policy', 'state', 'target', 'started', 'fulfilled', 'breached', 'elapsed'].map((k) => textArray(c[k]!))],
    },
  };
}

const kindOf = (e: TimelineEntry) => (e.type === 'escalated' ? `level:${e.level}` : e.type);

/**
 * Inserts every reached alert into `sla_escalation` (its primary key admits one row per ticket,
 * metric cycle and kind) and, for the rows that are new, emits the event and performs the level's
 * actions in this same transaction: exactly once, across workers and restarts.
 */
async function sendAlerts(tx: TransactionContext, scope: Scope, alerts: { ticketId: string; entry: TimelineEntry; state: SlaState }[], config: SlaConfigSnapshot, quiet: boolean): Promise<void> {
  const fresh = await query<{ ticket_id: string; metric: string; cycle: number; kind: string }>(
    tx.em,
    `insert into sla_escalation (tenant_id, ticket_id, metric, cycle, kind, at)
       select ?, v.* from unnest(?::text[], ?::text[], ?::int[], ?::text[], ?::timestamptz[]) as v
       on conflict do nothing returning ticket_id, metric, cycle, kind`,
    [scope.tenantId, textArray(alerts.map((a) => a.ticketId)), textArray(alerts.map((a) => a.entry.metric)), `{${alerts.map((a) => a.entry.cycle).join(',')}}`, textArray(alerts.map((a) => kindOf(a.entry))), textArray(alerts.map((a) => ts(a.entry.at)))],
  );
  if (!fresh.length || quiet) return;
  const isFresh = new Set(fresh.map((r) => `${r.ticket_id}|${r.metric}|${r.cycle}|${r.kind}`));
  for (const { ticketId, entry, state } of alerts) {
    if (!isFresh.has(`${ticketId}|${entry.metric}|${entry.cycle}|${kindOf(entry)}`)) continue;
    const base = { ticketId, metric: entry.metric, cycle: entry.cycle, at: ts(entry.at), policyId: state.policy?.id ?? null };
    if (entry.type !== 'escalated') {
      await tx.emit(`sla.${entry.type}`, base);
      continue;
    }
    const level = config.policies.find((p) => p.id === state.policy?.id)?.escalations?.[entry.level as number];
    if (!level) continue;
    const results = await applyActions(tx, scope, ticketId, level.actions);
    await tx.emit('sla.escalated', { ...base, level: entry.level, levelAt: level.at, actions: level.actions, results });
  }
}

/**
 * Reassign and raise-priority go through the kernel's ticket update (history shows `via: sla`);
 * notify is left to the consumers of `sla.escalated` (email, automation).
 */
async function applyActions(tx: TransactionContext, scope: Scope, ticketId: string, actions: EscalationAction[]): Promise<{ type: string; applied: boolean; detail?: string }[]> {
  const tickets = scope.resolve<TicketsService>('tickets');
  const results: { type: string; applied: boolean; detail?: string }[] = [];
  for (const action of actions) {
    if (action.type === 'notify') {
      results.push({ type: 'notify', applied: true });
      continue;
    }
    try {
      // A savepoint: a vetoed change (a validate hook, a deleted group) does not undo the alert.
      const detail = await tx.savepoint(async (sp) => {
        if (action.type === 'reassign') {
          const patch = { ...(action.groupId ? { groupId: action.groupId } : {}), ...(action.userId ? { assigneeId: action.userId } : {}) };
          const { changes } = await tickets.update(scope, ticketId, patch, { via: 'sla', tx: sp });
          return changes.map((c) => c.field).join(',') || 'unchanged';
        }
        const priorities = await tickets.priorities(scope, sp);
        const current = (await query<{ priority: string }>(sp.em, 'select priority from ticket where tenant_id = ? and id = ?', [scope.tenantId, ticketId]))[0]?.priority;
        const target = action.to ?? priorities[priorities.indexOf(current ?? '') + 1];
        if (!target || (current && priorities.indexOf(target) <= priorities.indexOf(current))) return `unchanged (${current})`;
        await tickets.update(scope, ticketId, { priority: target }, { via: 'sla', tx: sp });
        return `${current} → ${target}`;
      });
      results.push({ type: action.type, applied: true, detail });
    } catch (error) {
      results.push({ type: action.type, applied: false, detail: (error as Error).message });
    }
  }
  return results;
}

/**
 * Every open ticket of the scope's tenant (after a policy or calendar change): one config for the
 * run, `batch` tickets per short transaction (rows locked, facts in one query, state in one
 * statement), `parallel` transactions at a time on disjoint pages. Reports the longest transaction.
 */
export async function recomputeTenant(scope: Scope, options: { batch?: number; parallel?: number; now?: number } = {}): Promise<{ tickets: number; longestTxMs: number; batches: number }> {
  const batch = options.batch ?? 250;
  const config = await loadConfig(scope.em);
  let after = '';
  let exhausted = false;
  let done = 0;
  let longestTxMs = 0;
  let batches = 0;
  // Pages are handed out one at a time (keyset on ticket_id), so workers never share a row.
  let paging: Promise<string[]> = Promise.resolve([]);
  const nextPage = () => {
    paging = paging.then(async () => {
      if (exhausted) return [];
      const ids = (await query<{ ticket_id: string }>(scope.em, 'select ticket_id from sla_ticket where tenant_id = ? and open and ticket_id > ? order by ticket_id limit ?', [scope.tenantId, after, batch])).map((r) => r.ticket_id);
      if (ids.length < batch) exhausted = true;
      if (ids.length) after = ids[ids.length - 1]!;
      return ids;
    });
    return paging;
  };
  const worker = async () => {
    for (;;) {
      const ids = await nextPage();
      if (!ids.length) return;
      const started = performance.now();
      await scope.transactional(async (tx) => {
        const locked = await query<{ ticket_id: string }>(tx.em, 'select ticket_id from sla_ticket where tenant_id = ? and ticket_id = any(?::text[]) and open order by ticket_id for update', [scope.tenantId, textArray(ids)]);
        if (locked.length) await deriveAndStore(tx, scope, locked.map((r) => r.ticket_id), { config, now: options.now });
      });
      longestTxMs = Math.max(longestTxMs, performance.now() - started);
      batches++;
      done += ids.length;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.parallel ?? 2) }, worker));
  return { tickets: done, longestTxMs, batches };
}

/**
 * Sends the alerts whose time has come, across tenants. Rows are claimed with SKIP LOCKED, so
 * several workers share the work; the escalation table makes each alert once regardless.
 */
export async function escalateDue(em: EntityManager, forTenant: <R>(tenantId: string, work: (scope: Scope) => Promise<R>) => Promise<R>, now = Date.now()): Promise<number> {
  const due = await query<{ ticket_id: string; tenant_id: string }>(em, 'select ticket_id, tenant_id from sla_ticket where next_alert_at <= ? order by next_alert_at limit 1000', [ts(now)]);
  let sent = 0;
  for (const { ticket_id, tenant_id } of due) {
    await forTenant(tenant_id, (scope) =>
      scope.transactional(async (tx) => {
        const claimed = await query(tx.em, 'select 1 from sla_ticket where tenant_id = ? and ticket_id = ? and next_alert_at <= ? for update skip locked', [tenant_id, ticket_id, ts(now)]);
        if (!claimed.length) return;
        await deriveAndStore(tx, scope, [ticket_id], { now, config: await currentConfig(tx.em, tenant_id) });
        sent++;
      }),
    );
  }
  return sent;
}
