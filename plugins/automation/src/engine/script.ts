/**
 * Script rules: the kernel sandbox runs the rule's module with a JSON copy of the event; whatever
 * it returns is checked against the same action schema as declarative rules (invalid → nothing
 * applied). Repeated limit violations disable the rule, with an audit entry.
 */
import type { EntityManager } from '@mikro-orm/sql';
import type { ErrorDetail, SandboxService, TransactionContext } from '@ticketops/plugin-sdk';
import type { Action } from '../model/actions.ts';
import { checkActions } from '../model/validate.ts';
import { sql } from '../sql.ts';
import type { RuleEvent } from './event.ts';
import type { RunOutcome } from './runs.ts';

export interface ScriptDecision {
  outcome: RunOutcome;
  actions: Action[];
  proposed: unknown[];
  logs: string[];
  wallMs: number;
  cpuMs: number;
  error: { name: string; message: string; details?: ErrorDetail[] } | null;
}

/** The script's view of the event: plain data, nothing else. */
export const scriptInput = (event: RuleEvent) => ({ type: event.type, ticket: event.ticket, changes: event.changes, comment: event.comment ?? null, sla: event.sla ?? null });

export async function runScript(
  sandbox: SandboxService, tenantId: string, rule: { id: string; version: number | string; script: string; capabilities?: string[] }, event: RuleEvent,
): Promise<ScriptDecision> {
  const result = await sandbox.run({ tenantId, scriptId: rule.id, version: rule.version, source: rule.script, input: scriptInput(event), capabilities: rule.capabilities ?? [] });
  const base = { logs: result.logs, wallMs: result.wallMs, cpuMs: result.cpuMs };
  if (result.outcome !== 'ok') return { ...base, outcome: result.outcome, actions: [], proposed: [], error: result.error ?? { name: result.outcome, message: `the script run ended: ${result.outcome}` } };
  const value = result.value ?? [];
  const proposed: unknown[] = Array.isArray(value) ? [...value] : [value];
  const checked = checkActions(value);
  if ('errors' in checked) return { ...base, outcome: 'error', actions: [], proposed, error: { name: 'InvalidActions', message: 'the script returned actions that do not match the action schema', details: checked.errors.slice(0, 20) } };
  return { ...base, outcome: checked.actions.length ? 'matched' : 'no_match', actions: checked.actions, proposed, error: null };
}

export const LIMIT_OUTCOMES: ReadonlySet<RunOutcome> = new Set(['timeout', 'memory', 'crashed']);

/**
 * After runs with limit violations were written: a rule with `after` or more of them in the last
 * `windowMinutes` is disabled (still published; an admin re-enables it) with an audit entry.
 */
export async function quarantineIfRepeated(em: EntityManager, tx: TransactionContext, tenantId: string, ruleId: string, policy: { after: number; windowMinutes: number }): Promise<boolean> {
  const [row] = await sql<{ n: number }>(
    em,
    `select count(*)::int as n from automation_run where tenant_id = ? and rule_id = ? and outcome in ('timeout', 'memory', 'crashed') and created_at > now() - make_interval(mins => ?)`,
    [tenantId, ruleId, policy.windowMinutes],
  );
  if ((row?.n ?? 0) < policy.after) return false;
  const reason = `disabled after ${row?.n} limit violations (timeout, memory, crashed) within ${policy.windowMinutes} minutes`;
  const updated = await sql(em, 'update automation_rule set active = false, disabled_reason = ?, updated_at = now() where tenant_id = ? and id = ? and active returning id', [reason, tenantId, ruleId]);
  if (!updated.length) return false;
  await tx.audit({ action: 'automation.rule.auto_disabled', targetType: 'automation_rule', targetId: ruleId, data: { reason, violations: row?.n } });
  return true;
}
