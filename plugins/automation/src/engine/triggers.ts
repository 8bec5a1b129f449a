/**
 * Trigger execution for one delivered event, in one transaction: rules in position order, each
 * firing at most once per event; after a pass that changed the ticket, the rules that have not
 * fired are evaluated again against the new state (at most 10 passes). `stopProcessing` ends the
 * event. Rule-made changes carry the cause chain into the events they produce; an event whose
 * chain is 3 long, or a rule that fired earlier in the chain, applies nothing (loop protection).
 */
import type { SandboxService, Scope, TicketsService, TransactionContext } from '@ticketops/plugin-sdk';
import type { Action } from '../model/actions.ts';
import { type LiveRule, liveRules } from '../rules/store.ts';
import { pgArray, sql } from '../sql.ts';
import { applyPlan, planActions } from './apply.ts';
import { checkOf, evalContext, mergeChanges, planDeps } from './context.ts';
import { evaluate } from './evaluate.ts';
import type { RuleEvent } from './event.ts';
import { type RunRecord, insertRuns, sanitizeError } from './runs.ts';
import { LIMIT_OUTCOMES, quarantineIfRepeated, runScript } from './script.ts';

export const MAX_PASSES = 10;
export const MAX_CASCADE_DEPTH = 3;

export interface EngineDeps {
  tickets: TicketsService;
  sandbox(): SandboxService | null;
  quarantine: { after: number; windowMinutes: number };
}

/** Processes a delivered event once: a redelivery finds its `automation_event` row and does nothing. */
export async function processEvent(scope: Scope, event: RuleEvent & { id: string }, deps: EngineDeps, load?: (tx: TransactionContext) => Promise<RuleEvent['ticket']>): Promise<void> {
  await scope.transactional(async (tx) => {
    if (load) event = { ...event, ticket: await load(tx) };
    const { ticket, ...rest } = event;
    const fresh = await sql(
      tx.em,
      `insert into automation_event (event_id, tenant_id, ticket_id, event_type, data, occurred_at) values (?, ?, ?, ?, ?::jsonb, coalesce(?::timestamptz, now())) on conflict do nothing returning event_id`,
      [event.id, scope.tenantId, ticket.id, event.type, JSON.stringify({ ...rest, ticket }), event.occurredAt ?? null],
    );
    if (!fresh.length) return;
    const rules = await liveRules(tx.em, scope.tenantId, 'trigger', event.type);
    if (rules.length) await runTriggers(scope, tx, rules, event, deps);
  });
}

interface Decision {
  matched: boolean;
  run: Omit<RunRecord, 'applied' | 'cause'>;
  actions: Action[];
}

export async function decide(scope: Scope, rule: LiveRule, event: RuleEvent, ctx: Awaited<ReturnType<typeof evalContext>>['ctx'], deps: EngineDeps): Promise<Decision> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const base = { ruleId: rule.id, ruleVersion: rule.version, eventId: event.id ?? null, eventType: event.type, ticketId: event.ticket.id };
  const def = rule.definition;
  if (def.script !== undefined) {
    const sandbox = deps.sandbox();
    if (!sandbox) {
      return { matched: false, actions: [], run: { ...base, outcome: 'error', wallMs: 0, cpuMs: 0, trace: [], proposed: [], logs: [], error: { name: 'unavailable', message: 'the sandbox service is not available' } } };
    }
    const d = await runScript(sandbox, scope.tenantId, { id: rule.id, version: rule.version, script: def.script, capabilities: def.capabilities }, event);
    return { matched: d.outcome === 'matched', actions: d.actions, run: { ...base, outcome: d.outcome, wallMs: d.wallMs, cpuMs: d.cpuMs, trace: [], proposed: d.proposed, logs: d.logs, error: d.error } };
  }
  const { matched, trace } = evaluate(checkOf(rule), event, ctx);
  const used = process.cpuUsage(cpu);
  return {
    matched,
    actions: matched ? (def.actions ?? []) : [],
    run: { ...base, outcome: matched ? 'matched' : 'no_match', wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000, trace, proposed: matched ? (def.actions ?? []) : [], logs: [], error: null },
  };
}

/** Rules that fired on an earlier event of this cause chain: they do not fire again on its consequences. */
async function firedUpstream(tx: TransactionContext, tenantId: string, cause: string[]): Promise<Set<string>> {
  const events = cause.map((c) => c.slice(c.indexOf('@') + 1)).filter(Boolean);
  if (!events.length) return new Set();
  const rows = await sql<{ rule_id: string }>(tx.em, `select distinct rule_id from automation_run where tenant_id = ? and event_id = any(?::text[]) and outcome = 'matched'`, [tenantId, pgArray(events)]);
  return new Set([...rows.map((r) => r.rule_id), ...cause.map((c) => c.slice(0, c.indexOf('@')))]);
}

async function claimFireOnce(tx: TransactionContext, tenantId: string, ruleId: string, ticketId: string): Promise<boolean> {
  const rows = await sql(tx.em, 'insert into automation_fired (rule_id, ticket_id, tenant_id) values (?, ?, ?) on conflict do nothing returning rule_id', [ruleId, ticketId, tenantId]);
  return rows.length > 0;
}

export async function runTriggers(scope: Scope, tx: TransactionContext, rules: LiveRule[], event: RuleEvent, deps: EngineDeps): Promise<RunRecord[]> {
  const { ctx, priorities } = await evalContext(scope, tx, deps.tickets);
  const upstream = await firedUpstream(tx, scope.tenantId, event.cause);
  const onceRules = rules.filter((r) => r.definition.fireOncePerTicket).map((r) => r.id);
  const firedBefore = onceRules.length
    ? new Set((await sql<{ rule_id: string }>(tx.em, 'select rule_id from automation_fired where tenant_id = ? and ticket_id = ? and rule_id = any(?::text[])', [scope.tenantId, event.ticket.id, pgArray(onceRules)])).map((r) => r.rule_id))
    : new Set<string>();
  const runs = new Map<string, RunRecord>();
  const fired = new Set<string>();
  const tooDeep = event.cause.length >= MAX_CASCADE_DEPTH;
  let current = event;
  let locked = false;
  let stop = false;
  for (let pass = 1; pass <= MAX_PASSES + 1 && !stop; pass++) {
    let changed = false;
    for (const rule of rules) {
      if (fired.has(rule.id) || firedBefore.has(rule.id)) continue;
      const d = await decide(scope, rule, current, ctx, deps);
      const record: RunRecord = { ...d.run, applied: [], cause: event.cause };
      runs.set(rule.id, record);
      if (!d.matched) continue;
      fired.add(rule.id);
      if (tooDeep || upstream.has(rule.id) || pass > MAX_PASSES) {
        record.outcome = 'loop_stopped';
        continue;
      }
      if (rule.definition.fireOncePerTicket && !(await claimFireOnce(tx, scope.tenantId, rule.id, event.ticket.id))) {
        runs.delete(rule.id);
        continue;
      }
      if (!locked) {
        // Plans are made against the ticket as it is now, locked until commit (no lost tag updates).
        await sql(tx.em, 'select id from ticket where tenant_id = ? and id = ? for update', [scope.tenantId, event.ticket.id]);
        current = { ...current, ticket: await deps.tickets.get(scope, event.ticket.id, tx) };
        locked = true;
      }
      const started = performance.now();
      try {
        const result = await tx.savepoint(async (inner) => {
          const plan = await planActions(d.actions, current.ticket, planDeps(scope, inner, priorities, event.type));
          const applied = await applyPlan(scope, inner, deps.tickets, event.ticket.id, plan, [...event.cause, `${rule.id}@${event.id}`], { ruleId: rule.id });
          return { plan, applied };
        });
        record.applied = result.plan.results;
        if (result.applied.ticket && result.applied.changes.length) {
          current = { ...current, ticket: result.applied.ticket, changes: mergeChanges(current.changes, result.applied.changes) };
          changed = true;
        }
      } catch (error) {
        record.outcome = 'error';
        record.error = sanitizeError(error);
      }
      record.wallMs += performance.now() - started;
      if (rule.definition.stopProcessing) {
        stop = true;
        break;
      }
    }
    if (!changed) break;
  }
  const records = [...runs.values()];
  await insertRuns(tx.em, scope.tenantId, records);
  for (const r of records) if (LIMIT_OUTCOMES.has(r.outcome)) await quarantineIfRepeated(tx.em, tx, scope.tenantId, r.ruleId, deps.quarantine);
  return records;
}
