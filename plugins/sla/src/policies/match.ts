import type { Metric, MetricTargets, PolicyConditions, PolicyTargets } from './schema.ts';

/** The ticket fields policies look at (a plain snapshot, from the ticket record or the fact log). */
export interface TicketFacts {
  priority: string;
  type: string | null;
  organizationId: string | null;
  groupId: string | null;
  tags: string[];
  customFields: Record<string, unknown>;
}

export function matches(conditions: PolicyConditions, t: TicketFacts): boolean {
  const c = conditions;
  if (c.priorities?.length && !c.priorities.includes(t.priority)) return false;
  if (c.types?.length && !c.types.includes(t.type)) return false;
  if (c.organizationIds?.length && (t.organizationId === null || !c.organizationIds.includes(t.organizationId))) return false;
  if (c.groupIds?.length && (t.groupId === null || !c.groupIds.includes(t.groupId))) return false;
  if (c.tagsAll?.length && !c.tagsAll.every((tag) => t.tags.includes(tag))) return false;
  if (c.tagsAny?.length && !c.tagsAny.some((tag) => t.tags.includes(tag))) return false;
  if (c.tagsNone?.length && c.tagsNone.some((tag) => t.tags.includes(tag))) return false;
  for (const [field, wanted] of Object.entries(c.customFields ?? {})) {
    const value = t.customFields[field] ?? null;
    if (Array.isArray(wanted) ? !wanted.includes(value as never) : wanted !== value) return false;
  }
  return true;
}

/** First match wins: `policies` must be in position order and active ones only. */
export function firstMatch<P extends { conditions: PolicyConditions }>(policies: P[], ticket: TicketFacts): P | null {
  for (const policy of policies) if (matches(policy.conditions, ticket)) return policy;
  return null;
}

/** The priority's targets, else the `*` ones; a metric without a target is not measured. */
export function targetsFor(targets: PolicyTargets, priority: string): Partial<Record<Metric, number>> {
  const chosen: MetricTargets = targets[priority] ?? targets['*'] ?? {};
  const out: Partial<Record<Metric, number>> = {};
  for (const [metric, value] of Object.entries(chosen)) if (typeof value === 'number') out[metric as Metric] = value;
  return out;
}
