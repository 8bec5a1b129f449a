/**
 * Dry runs: a rule version evaluated against a ticket (by id or as a snapshot) or against stored
 * past events, its actions planned but never applied — notifications and webhooks are reported as
 * "would send". Nothing is written.
 */
import type { Scope, TicketChange, TicketRecord } from '@ticketops/plugin-sdk';
import type { RuleDefinition } from '../model/rule.ts';
import { sandboxOf } from '../rules/check.ts';
import { type Plan, planActions } from './apply.ts';
import { checkOf, evalContext, planDeps } from './context.ts';
import { type TraceEntry, evaluate } from './evaluate.ts';
import type { RuleEvent } from './event.ts';
import type { RunOutcome } from './runs.ts';
import { runScript } from './script.ts';
import type { TicketsService } from '@ticketops/plugin-sdk';

export interface DryRunResult {
  outcome: RunOutcome;
  trace: TraceEntry[];
  proposed: unknown[];
  actions: Plan['results'];
  patch: Plan['patch'];
  comments: Plan['comments'];
  notifications: Plan['notifications'];
  logs: string[];
  error: { name: string; message: string } | null;
}

export async function dryRun(scope: Scope, rule: { id: string; version: number; definition: RuleDefinition }, event: RuleEvent): Promise<DryRunResult> {
  const tickets = scope.resolve<TicketsService>('tickets');
  const { ctx, priorities } = await evalContext(scope, null, tickets);
  const def = rule.definition;
  let outcome: RunOutcome;
  let trace: TraceEntry[] = [];
  let actions = def.actions ?? [];
  let proposed: unknown[] = [];
  let logs: string[] = [];
  let error: DryRunResult['error'] = null;
  if (def.script !== undefined) {
    const sandbox = sandboxOf(scope);
    if (!sandbox) return { outcome: 'error', trace, proposed, actions: [], patch: {}, comments: [], notifications: [], logs, error: { name: 'unavailable', message: 'the sandbox service is not available' } };
    const d = await runScript(sandbox, scope.tenantId, { id: rule.id, version: `dry:${rule.version}`, script: def.script, capabilities: def.capabilities }, event);
    ({ outcome, proposed, logs, error } = d);
    actions = d.actions;
  } else if (def.kind === 'macro') {
    outcome = 'matched';
    proposed = actions;
  } else {
    const r = evaluate(checkOf({ ...rule, version: rule.version }), event, ctx);
    trace = r.trace;
    outcome = r.matched ? 'matched' : 'no_match';
    proposed = r.matched ? actions : [];
  }
  if (outcome !== 'matched') return { outcome, trace, proposed, actions: [], patch: {}, comments: [], notifications: [], logs, error };
  const plan = await planActions(actions, event.ticket, planDeps(scope, null, priorities, event.type));
  return { outcome, trace, proposed, actions: plan.results, patch: plan.patch, comments: plan.comments, notifications: plan.notifications, logs, error };
}

const SNAPSHOT_DEFAULTS: TicketRecord = {
  id: 'tkt_dry_run', tenantId: '', number: 0, title: '', description: '', status: 'open', statusCategory: 'open', priority: 'normal', type: null,
  requesterId: null, organizationId: null, assigneeId: null, groupId: null, tags: [], channel: 'api', customFields: {}, mergedIntoId: null, version: 1,
  createdAt: new Date(0).toISOString(), updatedAt: new Date(0).toISOString(), firstResponseAt: null, solvedAt: null, closedAt: null,
};

/** A ticket snapshot from the request: known keys only, on top of neutral defaults. */
export function snapshotTicket(input: Record<string, unknown>, tenantId: string): TicketRecord {
  const out: Record<string, unknown> = { ...SNAPSHOT_DEFAULTS, tenantId, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
  for (const key of Object.keys(SNAPSHOT_DEFAULTS)) if (Object.hasOwn(input, key) && key !== 'tenantId') out[key] = input[key];
  return out as unknown as TicketRecord;
}

export type DryRunEvent = { type?: string; changes?: TicketChange[]; comment?: Partial<NonNullable<RuleEvent['comment']>> & { body: string } };
