/**
 * Time-based automations and scheduled rules: both act on open tickets that match their conditions,
 * outside any event. Automations run on every scan (config `scanCron`) and act on a ticket once
 * (`automation_fired`); scheduled rules run at each occurrence of their own cron and may act again
 * next time. Each rule's scan state is a row locked with SKIP LOCKED, so with several processes on
 * one database a rule is scanned by one of them at a time and a cron occurrence runs once.
 */
import { CronExpressionParser } from 'cron-parser';
import type { Scope, TicketRecord } from '@ticketops/plugin-sdk';
import { type LiveRule, liveRules } from '../rules/store.ts';
import { sql } from '../sql.ts';
import { applyPlan, planActions } from './apply.ts';
import { evalContext, planDeps } from './context.ts';
import type { RuleEvent } from './event.ts';
import { type RunRecord, insertRuns, sanitizeError } from './runs.ts';
import { LIMIT_OUTCOMES, quarantineIfRepeated } from './script.ts';
import { type EngineDeps, decide } from './triggers.ts';

/** Tickets looked at per transaction. */
const CHUNK = 200;

export type ForTenant = <R>(tenantId: string, work: (scope: Scope) => Promise<R>) => Promise<R>;

/** Every tenant with live rules of `kind` (raw SQL: this is the one cross-tenant read). */
export async function tenantsWith(scope: Scope, kind: 'automation' | 'scheduled'): Promise<string[]> {
  const rows = await sql<{ tenant_id: string }>(scope.em, 'select distinct tenant_id from automation_rule where kind = ? and active and published_version is not null', [kind]);
  return rows.map((r) => r.tenant_id);
}

/** Claims the rule's scan row (SKIP LOCKED) for the transaction, or null when another process holds it. */
async function claim(scope: Scope, tx: { em: Scope['em'] }, ruleId: string, wait = false): Promise<{ cursor: string | null; last_run_at: Date | null } | null> {
  await sql(tx.em, 'insert into automation_scan (rule_id, tenant_id) values (?, ?) on conflict do nothing', [ruleId, scope.tenantId]);
  const [row] = await sql<{ cursor: string | null; last_run_at: Date | null }>(tx.em, `select cursor, last_run_at from automation_scan where tenant_id = ? and rule_id = ? for update${wait ? '' : ' skip locked'}`, [scope.tenantId, ruleId]);
  return row ?? null;
}

/** Evaluates `rule` on a chunk of open tickets after `cursor` and applies it where it matches. */
async function runChunk(scope: Scope, rule: LiveRule, deps: EngineDeps, mode: 'automation' | 'scheduled', cursor: string | null, runId: string): Promise<{ cursor: string | null; done: boolean; matched: number } | null> {
  return scope.transactional(async (tx) => {
    // A scan's chunk goes to whichever process holds the row; a scheduled occurrence already
    // belongs to the process that moved last_run_at, so it waits out another's brief claim
    // instead of skipping (and losing) its own occurrence.
    const state = await claim(scope, tx, rule.id, mode === 'scheduled');
    if (!state) return null;
    const from = mode === 'automation' ? state.cursor : cursor;
    const once = mode === 'automation' ? 'and not exists (select 1 from automation_fired f where f.rule_id = ? and f.ticket_id = t.id)' : '';
    const ids = await sql<{ id: string }>(
      tx.em,
      `select t.id from ticket t where t.tenant_id = ? and t.deleted_at is null and t.status_category <> 'closed' and t.id > ? ${once} order by t.id limit ${CHUNK}`,
      mode === 'automation' ? [scope.tenantId, from ?? '', rule.id] : [scope.tenantId, from ?? ''],
    );
    const { ctx, priorities } = await evalContext(scope, tx, deps.tickets);
    const runs: RunRecord[] = [];
    for (const { id } of ids) {
      const ticket: TicketRecord = await deps.tickets.get(scope, id, tx);
      const event: RuleEvent = { id: `${runId}:${id}`, type: mode === 'automation' ? 'automation.scan' : 'scheduled', ticket, changes: [], cause: [] };
      const d = await decide(scope, rule, event, ctx, deps);
      // No-match runs of scans are not logged: a scan looks at every open ticket each time.
      if (!d.matched && !LIMIT_OUTCOMES.has(d.run.outcome) && d.run.outcome !== 'error') continue;
      const record: RunRecord = { ...d.run, eventId: null, applied: [], cause: [] };
      runs.push(record);
      if (!d.matched) continue;
      if (mode === 'automation') await sql(tx.em, 'insert into automation_fired (rule_id, ticket_id, tenant_id) values (?, ?, ?) on conflict do nothing', [rule.id, id, scope.tenantId]);
      try {
        record.applied = await tx.savepoint(async (inner) => {
          const plan = await planActions(d.actions, ticket, planDeps(scope, inner, priorities, event.type));
          await applyPlan(scope, inner, deps.tickets, id, plan, [`${rule.id}@${event.id}`], { ruleId: rule.id });
          return plan.results;
        });
      } catch (error) {
        record.outcome = 'error';
        record.error = sanitizeError(error);
      }
    }
    await insertRuns(tx.em, scope.tenantId, runs);
    for (const r of runs) if (LIMIT_OUTCOMES.has(r.outcome)) await quarantineIfRepeated(tx.em, tx, scope.tenantId, r.ruleId, deps.quarantine);
    const done = ids.length < CHUNK;
    const next = done ? null : (ids.at(-1)?.id ?? null);
    if (mode === 'automation') await sql(tx.em, 'update automation_scan set cursor = ?, last_run_at = now() where tenant_id = ? and rule_id = ?', [next, scope.tenantId, rule.id]);
    return { cursor: next, done, matched: runs.filter((r) => r.outcome === 'matched').length };
  });
}

/** One scan of every live time-based automation of the scope's tenant, up to `batch` tickets per rule. */
export async function scanAutomations(scope: Scope, deps: EngineDeps, batch: number): Promise<number> {
  let matched = 0;
  for (const rule of await liveRules(scope.em, scope.tenantId, 'automation')) {
    const runId = `scan_${Date.now().toString(36)}`;
    for (let seen = 0; seen < batch; seen += CHUNK) {
      const r = await runChunk(scope, rule, deps, 'automation', null, runId);
      if (!r) break;
      matched += r.matched;
      if (r.done) break;
    }
  }
  return matched;
}

/** Was there an occurrence of `cron` after `last` and at or before `now`? (A rule never run counts from now on.) */
export function due(cron: string, tz: string | undefined, last: Date | null, now: Date): boolean {
  if (!last) return false;
  const prev = CronExpressionParser.parse(cron, { tz: tz ?? 'UTC', currentDate: new Date(now.getTime() + 1) }).prev().getTime();
  return prev > last.getTime();
}

/** Runs the scheduled rules of the scope's tenant whose cron had an occurrence since their last run. */
export async function runScheduled(scope: Scope, deps: EngineDeps, batch: number, now = new Date()): Promise<number> {
  let matched = 0;
  for (const rule of await liveRules(scope.em, scope.tenantId, 'scheduled')) {
    // The occurrence is claimed in its own transaction: the first process to move last_run_at runs it.
    const claimed = await scope.transactional(async (tx) => {
      const state = await claim(scope, tx, rule.id);
      if (!state) return false;
      if (!state.last_run_at) {
        await sql(tx.em, 'update automation_scan set last_run_at = ? where tenant_id = ? and rule_id = ?', [now, scope.tenantId, rule.id]);
        return false;
      }
      if (!due(rule.definition.cron as string, rule.definition.tz, new Date(state.last_run_at), now)) return false;
      await sql(tx.em, 'update automation_scan set last_run_at = ? where tenant_id = ? and rule_id = ?', [now, scope.tenantId, rule.id]);
      return true;
    });
    if (!claimed) continue;
    const runId = `sched_${now.getTime().toString(36)}`;
    let cursor: string | null = null;
    for (let seen = 0; seen < batch; seen += CHUNK) {
      const r = await runChunk(scope, rule, deps, 'scheduled', cursor, runId);
      if (!r) break;
      matched += r.matched;
      if (r.done) break;
      cursor = r.cursor;
    }
  }
  return matched;
}
