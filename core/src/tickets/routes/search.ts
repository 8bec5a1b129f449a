import { type RouteDefinition, type TicketListField, TicketOpsError, defineRoute } from '@ticketops/plugin-sdk';
import { decodeCursor, encodeCursor } from '../../http/pagination.ts';
import type { TicketFilter } from '../search/filters.ts';
import type { Kernel } from '../../kernel/kernel.ts';
import { listTickets, parseListCursor, parseSort } from '../search/list.ts';
import { audienceOf, seesInternalNotes } from '../visibility.ts';
import { ticketSchema } from './schemas.ts';

const LIST_PARAMS = ['status', 'statusCategory', 'priority', 'assigneeId', 'groupId', 'type', 'tag', 'anyTag', 'requesterId', 'organizationId'] as const;
const stringOrList = { anyOf: [{ type: 'string', maxLength: 2000 }, { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 200 } }] };
const dateTime = { type: 'string', format: 'date-time' };

export const listQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...Object.fromEntries(LIST_PARAMS.map((p) => [p, stringOrList])),
    createdFrom: dateTime, createdTo: dateTime, updatedFrom: dateTime, updatedTo: dateTime,
    q: { type: 'string', maxLength: 500 },
    sort: { type: 'string', maxLength: 80 },
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 25 },
    cursor: { type: 'string', maxLength: 500 },
    fields: { type: 'string', maxLength: 500 },
  },
  patternProperties: {
    '^cf\\.[A-Za-z0-9_-]{1,64}(\\.(gt|gte|lt|lte))?$': { type: 'string', maxLength: 500 },
    // Plugin list fields (`field.sla.resolutionDue.lt=…`); the name is checked against the registered fields.
    '^field\\.[a-z][a-z0-9-]{0,63}\\.[A-Za-z][A-Za-z0-9]{0,62}\\.(gt|gte|lt|lte)$': { type: 'string', maxLength: 100 },
  },
};

const listOfValues = (v: unknown): string[] | undefined =>
  v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((s) => String(s).split(',')).map((s) => s.trim()).filter(Boolean);

/** `7` → 7, `true` → true, anything else stays text: custom fields keep JSON types. */
const typed = (v: string): unknown => (/^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v === 'true' ? true : v === 'false' ? false : v);

/** Query parameters → TicketFilter (shared with saved views and bulk). */
export function filterFromQuery(query: Record<string, unknown>): TicketFilter {
  const filter: TicketFilter = {};
  for (const p of LIST_PARAMS) {
    const values = listOfValues(query[p]);
    if (values?.length) filter[p] = values;
  }
  for (const p of ['createdFrom', 'createdTo', 'updatedFrom', 'updatedTo', 'q'] as const) {
    if (typeof query[p] === 'string') filter[p] = query[p] as string;
  }
  const custom: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    const m = /^cf\.([A-Za-z0-9_-]+)(?:\.(gt|gte|lt|lte))?$/.exec(key);
    if (!m) continue;
    const [, field, op] = m as unknown as [string, string, string | undefined];
    if (op) custom[field] = { ...(custom[field] as object), [op]: typed(String(value)) };
    else custom[field] = typed(String(value));
  }
  if (Object.keys(custom).length) filter.customFields = custom;
  const fields: NonNullable<TicketFilter['fields']> = {};
  for (const [key, value] of Object.entries(query)) {
    const m = /^field\.(.+)\.(gt|gte|lt|lte)$/.exec(key);
    if (!m) continue;
    const [, name, op] = m as unknown as [string, string, 'gt' | 'gte' | 'lt' | 'lte'];
    fields[name] = { ...fields[name], [op]: String(value) };
  }
  if (Object.keys(fields).length) filter.fields = fields;
  return filter;
}

/** `fields=a,b` → registered list field names (400 naming `fields` for another). */
export function includedFields(raw: unknown, listFields: ReadonlyMap<string, TicketListField>): string[] | undefined {
  const names = listOfValues(raw);
  if (!names?.length) return undefined;
  for (const name of names) {
    if (!listFields.has(name)) throw new TicketOpsError('invalid_input', `"${name}" is not a list field`, { details: [{ pointer: '/query/fields', message: `"${name}" is not a known list field` }] });
  }
  return [...new Set(names)];
}

export const ticketSearchRoutes = (kernel: Kernel): RouteDefinition[] => [
  defineRoute({
    method: 'get',
    path: '/list-fields',
    summary: 'Per-ticket values plugins add, which ticket lists sort and filter by',
    tags: ['tickets'],
    permission: 'tickets.read',
    schema: {
      response: {
        200: {
          type: 'object', required: ['items'],
          properties: { items: { type: 'array', items: { type: 'object', required: ['name', 'description', 'type'], properties: { name: { type: 'string' }, description: { type: 'string' }, type: { enum: ['timestamp', 'number'] } } } } },
        },
      },
    },
    async handler() {
      return { items: [...kernel.declarations.listFields.values()].map(({ name, description, type }) => ({ name, description, type })) };
    },
  }),
  defineRoute<unknown, Record<string, unknown> & { limit: number; sort?: string; cursor?: string }>({
    method: 'get',
    path: '/tickets',
    summary: 'Find tickets: filters, full-text search, sort, cursor pagination',
    tags: ['tickets'],
    permission: 'tickets.read',
    description: [
      'Filters combine with AND; a filter given several values (repeated or comma-separated) matches any of them.',
      '`assigneeId` also takes `none` and `me`. `tag` requires all listed tags, `anyTag` any of them.',
      'Custom fields: `cf.<field>=<value>` for equality, `cf.<field>.gte|gt|lte|lt=<value>` for ranges (numbers compare as numbers).',
      '`q` searches title, description and comments (internal notes only for staff) in web-search syntax: `"exact phrase"`, `or`, `-excluded`;',
      'when nothing matches, titles similar to the query are returned (typo tolerance) with `matchedBy: "similarity"`.',
      '`sort`: updated, created, number, priority, status or relevance (default: relevance with `q`, else -updated); prefix `-` for descending.',
      'Plugins add list fields (e.g. `sla.resolutionDue` from the SLA plugin): `sort=<field>` lists the tickets that have a value, ordered by it;',
      '`field.<field>.gte|gt|lte|lt=<value>` filters by it.',
      'Each item with `q` carries a `snippet` with hits in `<mark>` and everything else HTML-escaped.',
      '`fields=<field>,<field>` adds those plugin list fields\' values to each item as `fields` (GET /api/v1/list-fields names them).',
    ].join(' '),
    schema: {
      query: listQuerySchema,
      response: { 200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: ticketSchema }, nextCursor: { type: ['string', 'null'] } } } },
    },
    async handler({ scope, query }) {
      const filter = filterFromQuery(query);
      const listFields = kernel.declarations.listFields;
      const include = includedFields(query.fields, listFields);
      const { sort, descending } = parseSort(query.sort, Boolean(filter.q?.trim()), listFields);
      const audience = await audienceOf(scope.em, scope.tenantId, scope.actor);
      const { items, next } = await listTickets(
        scope.em,
        { tenantId: scope.tenantId, actorUserId: scope.actor.userId, audience, searchNotes: seesInternalNotes(scope.actor), listFields },
        { filter, sort, descending, limit: query.limit, after: parseListCursor(decodeCursor(query.cursor)), searchWindow: kernel.config.tickets.searchWindow, include },
      );
      return { items, nextCursor: next ? encodeCursor(JSON.stringify(next)) : null };
    },
  }),
];
