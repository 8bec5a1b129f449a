import type { EntityManager } from '@mikro-orm/sql';
import type { Scope, TransactionContext } from '@ticketops/plugin-sdk';
import type { CompiledCalendar } from '../calendar/compile.ts';
import { compiledCalendar } from '../calendar/store.ts';
import { SlaCalendar, SlaPolicy } from '../entities.ts';
import { type Fact, type PolicyDef, type SlaState, deriveSla } from './derive.ts';

async function query<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  return (await em.getConnection().execute(sql, params, 'all', em.getTransactionContext())) as T[];
}

/** Active policies in order, and the compiled calendars they use (tenant-filtered entity queries). */
async function loadConfig(em: EntityManager): Promise<{ policies: PolicyDef[]; calendars: Map<string, CompiledCalendar> }> {
  const rows = await em.find(SlaPolicy, { active: true }, { orderBy: { position: 'asc', id: 'asc' } });
  const calendarRows = rows.length ? await em.find(SlaCalendar, { id: { $in: [...new Set(rows.map((r) => r.calendarId))] } }) : [];
  return {
    policies: rows.map((r) => ({ id: r.id, name: r.name, conditions: r.conditions, targets: r.targets, calendarId: r.calendarId, pauseStatuses: r.pauseStatuses ?? null, warningPercent: r.warningPercent ?? null })),
    calendars: new Map(calendarRows.map((c) => [c.id, compiledCalendar(c)])),
  };
}

export async function loadFacts(em: EntityManager, tenantId: string, ticketId: string): Promise<Fact[]> {
  const rows = await query<{ id: string; at: Date | string; kind: Fact['kind']; ref: string | null; data: unknown }>(
    em, 'select f.id::text as id, f.at, f.kind, f.ref, f.data from sla_ticket_fact f where f.tenant_id = ? and f.ticket_id = ? order by f.id', [tenantId, ticketId],
  );
  return rows.map((r) => ({ id: r.id, at: new Date(r.at).getTime(), kind: r.kind, ref: r.ref, data: (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Fact['data'] }));
}

/** Derives without writing (the ticket API). */
export async function readSla(scope: Scope, ticketId: string, now = Date.now()): Promise<{ facts: Fact[]; state: SlaState }> {
  const facts = await loadFacts(scope.em, scope.tenantId, ticketId);
  const { policies, calendars } = await loadConfig(scope.em);
  return { facts, state: deriveSla({ facts, policies, calendars, now }) };
}

const ts = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/**
 * Re-derives one ticket under a row lock (so concurrent runs for one ticket serialize and the last
 * writer saw every committed fact), stores due times, and sends each warning or breach that has
 * happened by now exactly once: the `sla_escalation` primary key admits one row per metric cycle
 * and kind, and the event is emitted in the same transaction as that row.
 */
export async function recomputeTicket(tx: TransactionContext, tenantId: string, ticketId: string, now = Date.now()): Promise<SlaState | null> {
  const inserted = await query(tx.em, `insert into sla_ticket (ticket_id, tenant_id) select ?, ? where exists (select 1 from sla_ticket_fact where tenant_id = ? and ticket_id = ?) on conflict do nothing returning ticket_id`, [ticketId, tenantId, tenantId, ticketId]);
  const locked = await query(tx.em, 'select ticket_id from sla_ticket where tenant_id = ? and ticket_id = ? for update', [tenantId, ticketId]);
  if (!inserted.length && !locked.length) return null;
  const facts = await loadFacts(tx.em, tenantId, ticketId);
  const { policies, calendars } = await loadConfig(tx.em);
  const state = deriveSla({ facts, policies, calendars, now });
  for (const entry of state.timeline) {
    if ((entry.type !== 'warning' && entry.type !== 'breached') || entry.at > now) continue;
    const fresh = await query(
      tx.em,
      `insert into sla_escalation (tenant_id, ticket_id, metric, cycle, kind, at) values (?, ?, ?, ?, ?, ?) on conflict do nothing returning ticket_id`,
      [tenantId, ticketId, entry.metric, entry.cycle, entry.type, ts(entry.at)],
    );
    if (fresh.length) {
      await tx.emit(`sla.${entry.type}`, { ticketId, metric: entry.metric, cycle: entry.cycle, at: ts(entry.at), policyId: state.policy?.id ?? null });
    }
  }
  const due = (m: string) => ts(state.metrics.find((x) => x.metric === m && x.state === 'running')?.dueAt);
  await query(
    tx.em,
    `update sla_ticket set policy_id = ?, open = ?, first_response_due = ?, next_response_due = ?, resolution_due = ?, next_alert_at = ?, state = ?::jsonb, updated_at = now()
      where tenant_id = ? and ticket_id = ?`,
    [state.policy?.id ?? null, state.open, due('firstResponse'), due('nextResponse'), due('resolution'), ts(state.nextAlertAt), JSON.stringify({ metrics: state.metrics, policy: state.policy }), tenantId, ticketId],
  );
  return state;
}

/** Every open ticket of the scope's tenant, 200 per transaction (after a policy or calendar change). */
export async function recomputeTenant(scope: Scope): Promise<number> {
  let after = '';
  let done = 0;
  for (;;) {
    const ids = await query<{ ticket_id: string }>(scope.em, 'select ticket_id from sla_ticket where tenant_id = ? and open and ticket_id > ? order by ticket_id limit 200', [scope.tenantId, after]);
    if (!ids.length) return done;
    await scope.transactional(async (tx) => {
      for (const { ticket_id } of ids) await recomputeTicket(tx, scope.tenantId, ticket_id);
    });
    done += ids.length;
    after = ids[ids.length - 1]!.ticket_id;
  }
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
        await recomputeTicket(tx, tenant_id, ticket_id, now);
        sent++;
      }),
    );
  }
  return sent;
}
