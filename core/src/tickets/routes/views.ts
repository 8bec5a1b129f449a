import { type RouteDefinition, type Scope, TicketOpsError, defineRoute, hasPermission, notFound, respond } from '@ticketops/plugin-sdk';
import { decodeCursor, encodeCursor } from '../../http/pagination.ts';
import { newId } from '../../kernel-data/ids.ts';
import { type FilterContext, type TicketFilter, listField, ticketFilterSql } from '../search/filters.ts';
import type { Kernel } from '../../kernel/kernel.ts';
import { listTickets, parseListCursor, parseSort } from '../search/list.ts';
import { type Statement, sql } from '../sql.ts';
import { audienceOf, seesInternalNotes } from '../visibility.ts';
import { filterSchema } from './bulk.ts';
import { includedFields } from './search.ts';

const viewView = (r: Record<string, any>) => ({
  id: r.id, name: r.name, shared: r.owner_id === null, ownerId: r.owner_id, sort: r.sort, position: r.position,
  filter: typeof r.filter === 'string' ? JSON.parse(r.filter) : r.filter,
});

/** A view the actor may use: their own or a shared one. */
async function loadView(scope: Scope, id: string) {
  const [row] = await sql(scope.em, 'select * from ticket_view where tenant_id = ? and id = ? and (owner_id is null or owner_id = ?)', [scope.tenantId, id, scope.actor.userId]);
  if (!row) throw notFound('View');
  return row;
}

/**
 * How many tickets of a view one viewer sees: the view's filter with the viewer's visibility (`ctx`).
 * The one definition behind `GET /views/counts` and the stream's `view.count` messages.
 */
export function viewCountStatement(filter: TicketFilter, ctx: FilterContext): Statement {
  const { where, params } = ticketFilterSql(filter, ctx);
  return { text: `select count(*)::int as n from ticket t where ${where}`, params };
}

async function filterContext(scope: Scope, kernel: Kernel): Promise<FilterContext> {
  return {
    tenantId: scope.tenantId, actorUserId: scope.actor.userId, audience: await audienceOf(scope.em, scope.tenantId, scope.actor),
    searchNotes: seesInternalNotes(scope.actor), listFields: kernel.declarations.listFields,
  };
}

/** A view's sort and filter must name fields that exist now (a plugin list field needs its plugin). */
function checkView(kernel: Kernel, view: { sort?: string; filter?: TicketFilter }): void {
  if (view.sort) parseSort(view.sort, false, kernel.declarations.listFields);
  for (const name of Object.keys(view.filter?.fields ?? {})) listField({ listFields: kernel.declarations.listFields }, name, `/body/filter/fields/${name}`);
}

const body = {
  type: 'object', additionalProperties: false,
  properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, filter: filterSchema, sort: { type: 'string', maxLength: 80 }, shared: { type: 'boolean' }, position: { type: 'integer', minimum: 0, maximum: 10_000 } },
};
const params = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^tvw_[a-z0-9]+$' } } };

export const viewRoutes = (kernel: Kernel): RouteDefinition[] => [
  defineRoute({
    method: 'get', path: '/views', summary: 'My views and the shared ones', tags: ['views'], permission: 'tickets.read',
    async handler({ scope }) {
      const rows = await sql(scope.em, 'select * from ticket_view where tenant_id = ? and (owner_id is null or owner_id = ?) order by position, name', [scope.tenantId, scope.actor.userId]);
      return { items: rows.map(viewView), nextCursor: null };
    },
  }),
  defineRoute<unknown, unknown, { name: string; filter?: TicketFilter; sort?: string; shared?: boolean; position?: number }>({
    method: 'post', path: '/views', summary: 'Save a view (shared views need views.shared.write)', tags: ['views'], permission: 'views.write',
    schema: { body: { ...body, required: ['name'] } },
    async handler({ scope, body: b }) {
      if (b.shared && !hasPermission(scope.actor, 'views.shared.write')) throw new TicketOpsError('forbidden', 'Shared views need the "views.shared.write" permission', { details: [{ pointer: '/body/shared', message: 'needs views.shared.write' }] });
      checkView(kernel, b);
      const [row] = await sql(scope.em, 'insert into ticket_view (id, tenant_id, owner_id, name, filter, sort, position) values (?, ?, ?, ?, ?::jsonb, ?, ?) returning *', [
        newId('tvw'), scope.tenantId, b.shared ? null : scope.actor.userId, b.name, JSON.stringify(b.filter ?? {}), b.sort ?? '-updated', b.position ?? 0,
      ]);
      return respond(201, viewView(row as Record<string, unknown>));
    },
  }),
  defineRoute<{ id: string }, unknown, { name?: string; filter?: TicketFilter; sort?: string; position?: number }>({
    method: 'patch', path: '/views/:id', summary: 'Change a view', tags: ['views'], permission: 'views.write',
    schema: { params, body: { ...body, minProperties: 1 } },
    async handler({ scope, params: p, body: b }) {
      const current = await loadView(scope, p.id);
      if (current.owner_id === null && !hasPermission(scope.actor, 'views.shared.write')) throw new TicketOpsError('forbidden', 'Changing a shared view needs "views.shared.write"');
      checkView(kernel, b);
      const next = { ...viewView(current), ...b };
      await sql(scope.em, 'update ticket_view set name = ?, filter = ?::jsonb, sort = ?, position = ? where id = ?', [next.name, JSON.stringify(next.filter), next.sort, next.position, p.id]);
      return next;
    },
  }),
  defineRoute<{ id: string }>({
    method: 'delete', path: '/views/:id', summary: 'Delete a view', tags: ['views'], permission: 'views.write', schema: { params },
    async handler({ scope, params: p }) {
      const current = await loadView(scope, p.id);
      if (current.owner_id === null && !hasPermission(scope.actor, 'views.shared.write')) throw new TicketOpsError('forbidden', 'Deleting a shared view needs "views.shared.write"');
      await sql(scope.em, 'delete from ticket_view where id = ?', [p.id]);
      return respond(204);
    },
  }),
  defineRoute<{ id: string }, { limit: number; cursor?: string; fields?: string }>({
    method: 'get', path: '/views/:id/tickets', summary: 'The tickets of a view (same shape as GET /tickets)', tags: ['views'], permission: 'tickets.read',
    schema: { params, query: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 100, default: 25 }, cursor: { type: 'string', maxLength: 500 }, fields: { type: 'string', maxLength: 500 } } } },
    async handler({ scope, params: p, query }) {
      const view = viewView(await loadView(scope, p.id));
      const { sort, descending } = parseSort(view.sort, Boolean(view.filter.q), kernel.declarations.listFields);
      const raw = decodeCursor(query.cursor);
      const { items, next } = await listTickets(scope.em, await filterContext(scope, kernel), { filter: view.filter, sort, descending, limit: query.limit, after: parseListCursor(raw), searchWindow: kernel.config.tickets.searchWindow, include: includedFields(query.fields, kernel.declarations.listFields) });
      return { items, nextCursor: next ? encodeCursor(JSON.stringify(next)) : null };
    },
  }),
  defineRoute({
    method: 'get', path: '/views/counts', summary: 'Live ticket counts of every view I can use', tags: ['views'], permission: 'tickets.read',
    async handler({ scope }) {
      const rows = await sql(scope.em, 'select * from ticket_view where tenant_id = ? and (owner_id is null or owner_id = ?) order by position, name', [scope.tenantId, scope.actor.userId]);
      const ctx = await filterContext(scope, kernel);
      const items = [];
      for (const r of rows) {
        const view = viewView(r);
        const statement = viewCountStatement(view.filter, ctx);
        const [count] = await sql<{ n: number }>(scope.em, statement.text, statement.params);
        items.push({ id: view.id, name: view.name, count: count?.n ?? 0 });
      }
      return { items };
    },
  }),
];
