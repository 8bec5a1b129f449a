import { type TicketListField, TicketOpsError } from '@ticketops/plugin-sdk';
import { pgArray } from '../sql.ts';
import { type Audience, audienceCondition } from '../visibility.ts';

/**
 * A ticket filter, as the list endpoint, saved views and bulk operations take it. Every field is
 * optional; given fields combine with AND, values within a field with OR.
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
  /** Full-text query in websearch syntax (quotes, `or`, `-term`). */
  q?: string;
  /** Ranges over plugin list fields (`{ 'sla.resolutionDue': { lt: '2026-12-01T00:00:00Z' } }`). */
  fields?: Record<string, Partial<Record<RangeOp, string | number>>>;
}

export type RangeOp = 'gt' | 'gte' | 'lt' | 'lte';

export interface FilterContext {
  tenantId: string;
  actorUserId: string | null;
  audience: Audience;
  /** Whether internal notes may match full-text queries (staff with tickets.notes.read). */
  searchNotes: boolean;
  /** Plugin list fields by name (`TicketListField`); a filter or sort naming another is a 400. */
  listFields?: ReadonlyMap<string, TicketListField>;
}

const RANGE_OPS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** SQL condition on alias `t` (a `ticket` row): tenant, audience and not-deleted always included. */
export function ticketFilterSql(filter: TicketFilter, ctx: FilterContext): { where: string; params: unknown[] } {
  const parts: string[] = ['t.tenant_id = ?', 't.deleted_at is null'];
  const params: unknown[] = [ctx.tenantId];
  const add = (clause: string, ...values: unknown[]) => {
    parts.push(clause);
    params.push(...values);
  };
  const audience = audienceCondition(ctx.audience);
  add(audience.clause, ...audience.params);

  const anyOf = (column: string, values: string[] | undefined) => {
    if (values?.length) add(`${column} = any(?::text[])`, pgArray(values));
  };
  anyOf('t.id', filter.ids);
  anyOf('t.status', filter.status);
  anyOf('t.status_category', filter.statusCategory);
  anyOf('t.priority', filter.priority);
  anyOf('t.group_id', filter.groupId);
  anyOf('t.type', filter.type);
  anyOf('t.requester_id', filter.requesterId);
  anyOf('t.organization_id', filter.organizationId);
  if (filter.assigneeId?.length) {
    const ids = filter.assigneeId.filter((a) => a !== 'none').map((a) => (a === 'me' ? (ctx.actorUserId ?? '') : a));
    const clauses = [];
    if (ids.length) clauses.push('t.assignee_id = any(?::text[])');
    if (filter.assigneeId.includes('none')) clauses.push('t.assignee_id is null');
    add(`(${clauses.join(' or ')})`, ...(ids.length ? [pgArray(ids)] : []));
  }
  if (filter.tag?.length) add('t.tags @> ?::text[]', pgArray(filter.tag.map((t) => t.toLowerCase())));
  if (filter.anyTag?.length) add('t.tags && ?::text[]', pgArray(filter.anyTag.map((t) => t.toLowerCase())));
  if (filter.createdFrom) add('t.created_at >= ?::timestamptz', filter.createdFrom);
  if (filter.createdTo) add('t.created_at < ?::timestamptz', filter.createdTo);
  if (filter.updatedFrom) add('t.updated_at >= ?::timestamptz', filter.updatedFrom);
  if (filter.updatedTo) add('t.updated_at < ?::timestamptz', filter.updatedTo);

  const equal: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(filter.customFields ?? {})) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [op, bound] of Object.entries(value as Record<string, unknown>)) {
        // Own keys only: `constructor` or `toString` must not reach the SQL text.
        if (!Object.hasOwn(RANGE_OPS, op)) continue;
        const sqlOp = RANGE_OPS[op as RangeOp];
        // Numbers compare as numbers (only where the stored value is a number), anything else as text.
        if (typeof bound === 'number') {
          add(`(case when jsonb_typeof(t.custom_fields -> ?) = 'number' then (t.custom_fields ->> ?)::numeric end) ${sqlOp} ?`, field, field, bound);
        } else {
          add(`(t.custom_fields ->> ?) ${sqlOp} ?`, field, String(bound));
        }
      }
    } else {
      equal[field] = value;
    }
  }
  // Equality as containment, so the GIN (jsonb_path_ops) index answers it.
  if (Object.keys(equal).length) add('t.custom_fields @> ?::jsonb', JSON.stringify(equal));

  for (const [name, range] of Object.entries(filter.fields ?? {})) {
    const field = listField(ctx, name, `/query/field.${name}`);
    for (const [op, value] of Object.entries(range)) {
      const sqlOp = Object.hasOwn(RANGE_OPS, op) ? RANGE_OPS[op as RangeOp] : null;
      if (!sqlOp) throw new TicketOpsError('invalid_input', `Unknown range operator "${op}"`, { details: [{ pointer: `/query/field.${name}.${op}`, message: 'must be gt, gte, lt or lte' }] });
      add(`exists (select 1 from ${field.table} f where f.ticket_id = t.id and f.tenant_id = t.tenant_id and f.${field.column} ${sqlOp} ?::${castOf(field)})`, checkedValue(field, value, `/query/field.${name}.${op}`));
    }
  }

  if (filter.q?.trim()) {
    const search = textMatchSql(filter.q, ctx);
    add(search.clause, ...search.params);
  }
  return { where: parts.join(' and '), params };
}

/** A registered plugin list field, or a 400 naming `pointer`. */
export function listField(ctx: Pick<FilterContext, 'listFields'>, name: string, pointer: string): TicketListField {
  const field = ctx.listFields?.get(name);
  if (!field) throw new TicketOpsError('invalid_input', `"${name}" is not a field tickets can be listed by`, { details: [{ pointer, message: 'is not a known list field (is its plugin enabled?)' }] });
  return field;
}

export const castOf = (field: TicketListField) => (field.type === 'timestamp' ? 'timestamptz' : 'float8');

function checkedValue(field: TicketListField, value: unknown, pointer: string): string | number {
  const ok = field.type === 'timestamp' ? typeof value === 'string' && !Number.isNaN(Date.parse(value)) : Number.isFinite(Number(value));
  if (!ok) throw new TicketOpsError('invalid_input', `${pointer.slice(7)} needs ${field.type === 'timestamp' ? 'a date-time' : 'a number'}`, { details: [{ pointer, message: field.type === 'timestamp' ? 'must be a date-time' : 'must be a number' }] });
  return field.type === 'timestamp' ? new Date(value as string).toISOString() : Number(value);
}

/**
 * Tickets whose title/description, a comment or text a plugin indexed (`ticket_text`) matches the
 * websearch query: GIN index scans joined by id; internal notes and internal text count for staff only.
 */
export function textMatchSql(q: string, ctx: Pick<FilterContext, 'tenantId' | 'searchNotes'>): { clause: string; params: unknown[] } {
  return {
    clause: `t.id in (
      select s.id from ticket s where s.tenant_id = ? and s.search_vector @@ websearch_to_tsquery('english', ?)
      union
      select c.ticket_id from comment c where c.tenant_id = ? and c.search_vector @@ websearch_to_tsquery('english', ?)${ctx.searchNotes ? '' : ' and not c.internal'}
      union
      select x.ticket_id from ticket_text x where x.tenant_id = ? and x.search_vector @@ websearch_to_tsquery('english', ?)${ctx.searchNotes ? '' : ' and not x.internal'}
    )`,
    params: [ctx.tenantId, q, ctx.tenantId, q, ctx.tenantId, q],
  };
}
