/** The execution log: one row per rule per event, written in the transaction that applied the actions. */
import type { EntityManager } from '@mikro-orm/sql';
import { isTicketOpsError } from '@ticketops/plugin-sdk';
import { newId } from '../ids.ts';
import { sql } from '../sql.ts';
import type { ActionResult } from './apply.ts';
import type { TraceEntry } from './evaluate.ts';

export type RunOutcome = 'matched' | 'no_match' | 'error' | 'timeout' | 'memory' | 'crashed' | 'throttled' | 'loop_stopped';

export interface RunRecord {
  ruleId: string;
  ruleVersion: number;
  eventId: string | null;
  eventType: string;
  ticketId: string | null;
  outcome: RunOutcome;
  wallMs: number;
  cpuMs: number;
  trace: TraceEntry[];
  proposed: unknown[];
  applied: ActionResult[];
  logs: string[];
  error: { name: string; message: string; details?: { pointer: string; message: string }[] } | null;
  cause: string[];
}

const MAX_LOG_LINES = 50;
const MAX_LINE = 500;

/** Message and name only (first line, bounded): no stack, no paths, no values from the database. */
export function sanitizeError(error: unknown): NonNullable<RunRecord['error']> {
  if (isTicketOpsError(error)) return { name: error.code, message: error.message.slice(0, MAX_LINE), details: error.details.slice(0, 20) };
  const e = error as { name?: unknown; message?: unknown };
  return { name: typeof e?.name === 'string' ? e.name.slice(0, 100) : 'Error', message: String(e?.message ?? error).split('\n')[0]!.slice(0, MAX_LINE) };
}

export const truncateLogs = (logs: string[]) => logs.slice(0, MAX_LOG_LINES).map((l) => (l.length > MAX_LINE ? `${l.slice(0, MAX_LINE)}…` : l));

export async function insertRuns(em: EntityManager, tenantId: string, runs: RunRecord[]): Promise<void> {
  if (!runs.length) return;
  const rows = runs.map((r) => ({
    id: newId('run'), tenant_id: tenantId, rule_id: r.ruleId, rule_version: r.ruleVersion, event_id: r.eventId, event_type: r.eventType, ticket_id: r.ticketId,
    outcome: r.outcome, wall_ms: r.wallMs, cpu_ms: r.cpuMs, trace: r.trace, proposed: r.proposed.slice(0, 100), applied: r.applied, logs: truncateLogs(r.logs), error: r.error, cause: r.cause,
  }));
  await sql(
    em,
    `insert into automation_run (id, tenant_id, rule_id, rule_version, event_id, event_type, ticket_id, outcome, wall_ms, cpu_ms, trace, proposed, applied, logs, error, cause)
     select id, tenant_id, rule_id, rule_version, event_id, event_type, ticket_id, outcome, wall_ms, cpu_ms, trace, proposed, applied, logs, error, cause
     from jsonb_to_recordset(?::jsonb) as x(id text, tenant_id text, rule_id text, rule_version int, event_id text, event_type text, ticket_id text, outcome text,
       wall_ms float8, cpu_ms float8, trace jsonb, proposed jsonb, applied jsonb, logs jsonb, error jsonb, cause jsonb)
     on conflict do nothing`,
    [JSON.stringify(rows)],
  );
}

export const runView = (r: Record<string, any>) => ({
  id: r.id, ruleId: r.rule_id, ruleVersion: r.rule_version, eventId: r.event_id, eventType: r.event_type, ticketId: r.ticket_id, outcome: r.outcome,
  wallMs: r.wall_ms, cpuMs: r.cpu_ms, trace: r.trace, proposed: r.proposed, applied: r.applied, logs: r.logs, error: r.error, cause: r.cause,
  createdAt: new Date(r.created_at).toISOString(),
});
