import type { EntityManager } from '@mikro-orm/sql';
import type { TicketChange, TicketsService, TransactionContext, Scope } from '@ticketops/plugin-sdk';
import type { ConditionGroup } from '../model/conditions.ts';
import type { Action } from '../model/actions.ts';
import type { RuleDefinition } from '../model/rule.ts';
import { sql } from '../sql.ts';
import type { PlanDeps } from './apply.ts';
import { type EvalContext, compileConditions } from './evaluate.ts';

const compiled = new Map<string, ReturnType<typeof compileConditions>>();

/** Conditions compiled once per rule version (versions never change, so the key never goes stale). */
export function checkOf(rule: { id: string; version: number | string; definition: { conditions?: ConditionGroup } }) {
  const key = `${rule.id}:${rule.version}`;
  let check = compiled.get(key);
  if (!check) {
    check = compileConditions(rule.definition.conditions);
    if (compiled.size > 20_000) compiled.clear();
    compiled.set(key, check);
  }
  return check;
}

export async function evalContext(scope: Scope, tx: TransactionContext | null, tickets: TicketsService): Promise<{ ctx: EvalContext; priorities: string[] }> {
  const priorities = await tickets.priorities(scope, tx ?? undefined);
  const calendars = slaCalendarsOf(scope);
  const businessHours = calendars ? await calendars.businessHours((tx ?? scope).em, scope.tenantId) : undefined;
  return { ctx: { now: Date.now(), priorityRank: new Map(priorities.map((p, i) => [p, i])), businessHours }, priorities };
}

/** What this plugin uses of the SLA plugin's `sla.calendars` service (see plugins/sla/src/calendar/service.ts). */
export interface SlaCalendars {
  exists(em: EntityManager, tenantId: string, calendarId: string): Promise<boolean>;
  businessHours(em: EntityManager, tenantId: string): Promise<(calendarId: string, at: number) => boolean>;
}

/** The SLA plugin's calendars when that plugin is enabled (an optional dependency), else null. */
export function slaCalendarsOf(scope: Pick<Scope, 'resolve'>): SlaCalendars | null {
  try {
    return scope.resolve<SlaCalendars>('sla.calendars');
  } catch {
    return null;
  }
}

/** The published actions of one of the tenant's macros, or null. */
export async function loadMacro(scope: Scope, tx: TransactionContext | null, id: string): Promise<Action[] | null> {
  const [row] = await sql<{ definition: RuleDefinition }>(
    (tx ?? scope).em,
    `select v.definition from automation_rule r join automation_rule_version v on v.rule_id = r.id and v.version = r.published_version
     where r.tenant_id = ? and r.id = ? and r.kind = 'macro' and r.active`,
    [scope.tenantId, id],
  );
  return row?.definition.actions ?? null;
}

export const planDeps = (scope: Scope, tx: TransactionContext | null, priorities: string[], eventType: string): PlanDeps => ({
  priorities, eventType, loadMacro: (id) => loadMacro(scope, tx, id),
});

/** The event's changes followed by later ones: a field changed twice keeps its first `from`; a field changed back drops out. */
export function mergeChanges(before: TicketChange[], after: TicketChange[]): TicketChange[] {
  const out = before.map((c) => ({ ...c }));
  for (const c of after) {
    const i = out.findIndex((x) => x.field === c.field);
    if (i < 0) out.push({ ...c });
    else if (JSON.stringify(out[i]!.from) === JSON.stringify(c.to)) out.splice(i, 1);
    else out[i] = { field: c.field, from: out[i]!.from, to: c.to };
  }
  return out;
}
