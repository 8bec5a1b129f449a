import { type Audience, audienceCondition } from '../visibility.ts';

/**
 * A ticket filter, as the list endpoint, saved views and bulk operations take it. Every field is
 * optional; given fields combine with AND. (Owned by the search capability; the full set of
 * filters and their SQL is built here.)
 */
export interface TicketFilter {
  ids?: string[];
  status?: string[];
  statusCategory?: string[];
  priority?: string[];
  /** User ids, or `none` (unassigned) or `me`. */
  assigneeId?: string[];
  groupId?: string[];
  type?: string[];
  /** Tickets carrying all of these tags. */
  tag?: string[];
  /** Tickets carrying any of these tags. */
  anyTag?: string[];
  requesterId?: string[];
  organizationId?: string[];
  createdFrom?: string;
  createdTo?: string;
  updatedFrom?: string;
  updatedTo?: string;
  /** Custom field equality (`{ severity: 'major' }`) or range (`{ build: { gte: 3, lte: 9 } }`). */
  customFields?: Record<string, unknown>;
  /** Full-text query in websearch syntax. */
  q?: string;
}

export interface FilterContext {
  tenantId: string;
  actorUserId: string | null;
  audience: Audience;
}

/** SQL condition on alias `t` (a `ticket` row) for the filter, always including tenant, audience and not-deleted. */
export function ticketFilterSql(filter: TicketFilter, ctx: FilterContext): { where: string; params: unknown[] } {
  const parts: string[] = ['t.tenant_id = ?', 't.deleted_at is null'];
  const params: unknown[] = [ctx.tenantId];
  const audience = audienceCondition(ctx.audience);
  parts.push(audience.clause);
  params.push(...audience.params);
  if (filter.ids?.length) {
    parts.push('t.id = any(?::text[])');
    params.push(`{${filter.ids.join(',')}}`);
  }
  return { where: parts.join(' and '), params };
}
