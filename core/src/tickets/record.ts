import type { TicketRecord } from '@ticketops/plugin-sdk';

const iso = (v: Date | string | null | undefined) => (v == null ? null : (v instanceof Date ? v : new Date(v)).toISOString());

/** A `ticket` row (snake_case from SQL or camelCase from the ORM) as the API's camelCase record. */
export function toTicketRecord(row: Record<string, any>): TicketRecord {
  const g = (camel: string, snake: string) => (row[camel] !== undefined ? row[camel] : row[snake]);
  return {
    id: row.id,
    tenantId: g('tenantId', 'tenant_id'),
    number: Number(row.number),
    title: row.title,
    description: row.description ?? '',
    status: row.status,
    statusCategory: g('statusCategory', 'status_category'),
    priority: row.priority,
    type: row.type ?? null,
    requesterId: g('requesterId', 'requester_id') ?? null,
    organizationId: g('organizationId', 'organization_id') ?? null,
    assigneeId: g('assigneeId', 'assignee_id') ?? null,
    groupId: g('groupId', 'group_id') ?? null,
    tags: parseArray(row.tags),
    channel: row.channel,
    customFields: (typeof g('customFields', 'custom_fields') === 'string' ? JSON.parse(g('customFields', 'custom_fields')) : g('customFields', 'custom_fields')) ?? {},
    mergedIntoId: g('mergedIntoId', 'merged_into_id') ?? null,
    version: Number(row.version),
    createdAt: iso(g('createdAt', 'created_at')) as string,
    updatedAt: iso(g('updatedAt', 'updated_at')) as string,
    firstResponseAt: iso(g('firstResponseAt', 'first_response_at')),
    solvedAt: iso(g('solvedAt', 'solved_at')),
    closedAt: iso(g('closedAt', 'closed_at')),
  };
}

/** text[] arrives as a JS array from pg, or as a `{a,b}` literal through some drivers. */
export function parseArray(value: unknown): string[] {
  if (Array.isArray(value)) return value as string[];
  if (typeof value === 'string' && value.startsWith('{')) {
    const inner = value.slice(1, -1);
    return inner ? inner.split(',').map((s) => s.replace(/^"|"$/g, '')) : [];
  }
  return [];
}

/** The columns every ticket query selects (never the tsvector). */
export const TICKET_COLUMNS = `t.id, t.tenant_id, t.number, t.title, t.description, t.status, t.status_category, t.priority, t.type,
  t.requester_id, t.organization_id, t.assignee_id, t.group_id, t.tags, t.channel, t.custom_fields, t.merged_into_id, t.version,
  t.created_at, t.updated_at, t.first_response_at, t.solved_at, t.closed_at`;
