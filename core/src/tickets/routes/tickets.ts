import { type RouteDefinition, TicketOpsError, defineRoute, respond } from '@ticketops/plugin-sdk';
import type { Kernel } from '../../kernel/kernel.ts';
import { decodeCursor, encodeCursor } from '../../http/pagination.ts';
import { addComment, listComments } from '../comments.ts';
import { solveAsRequester } from '../requester-status.ts';
import { sql } from '../sql.ts';
import { type CreateTicketRequest, type UpdateTicketRequest, createTicket, deleteTicket, getTicket, ticketIdByNumber, updateTicket } from '../ticket-service.ts';
import { similarTickets } from '../relations/similar.ts';
import { commentSchema, createTicketBody, ticketIdParams, ticketSchema, updateTicketBody } from './schemas.ts';

const similarSchema = { type: 'object', properties: { id: { type: 'string' }, number: { type: 'integer' }, title: { type: 'string' }, score: { type: 'number' } } };

const etag = (version: number) => `"${version}"`;

/** `If-Match: "3"` (or W/"3") → 3; absent → undefined; anything else is a 400. */
function ifMatch(headers: Record<string, string | string[] | undefined>): number | undefined {
  const raw = headers['if-match'];
  if (raw === undefined) return undefined;
  const match = typeof raw === 'string' ? /^(?:W\/)?"(\d+)"$/.exec(raw.trim()) : null;
  if (!match) throw new TicketOpsError('invalid_input', 'If-Match must be an ETag this API returned, like "3"', { details: [{ pointer: '/headers/if-match', message: 'is not a ticket ETag' }] });
  return Number(match[1]);
}

export const ticketCrudRoutes = (kernel: Kernel): RouteDefinition[] => [
  defineRoute<unknown, unknown, CreateTicketRequest>({
    method: 'post', path: '/tickets', summary: 'Open a ticket', tags: ['tickets'], permission: 'tickets.create',
    description: 'The requester is a user id, or `{ email, name }` (a new customer is created if the email is unknown). Unknown status, priority, type or user answer 400 naming the field; custom fields are validated against the ticket type\'s schema.',
    schema: { body: createTicketBody, response: { 201: { ...ticketSchema, properties: { ...ticketSchema.properties, similar: { type: 'array', items: similarSchema } } } } },
    async handler({ scope, body }) {
      // With possible duplicates from the same requester or organization, for the agent (or customer) to see.
      const ticket = await createTicket(scope, kernel.hooks, body, { similar: true });
      return respond(201, ticket, { Location: `/api/v1/tickets/${ticket.id}`, ETag: etag(ticket.version) });
    },
  }),
  defineRoute<{ id: string }>({
    method: 'get', path: '/tickets/:id', summary: 'One ticket', tags: ['tickets'], permission: 'tickets.read',
    schema: { params: ticketIdParams, response: { 200: ticketSchema } },
    async handler({ scope, params }) {
      const ticket = await getTicket(scope, scope.em, params.id);
      return respond(200, ticket, { ETag: etag(ticket.version) });
    },
  }),
  defineRoute<{ number: number }>({
    method: 'get', path: '/tickets/by-number/:number', summary: 'One ticket by its number', tags: ['tickets'], permission: 'tickets.read',
    schema: { params: { type: 'object', required: ['number'], properties: { number: { type: 'integer', minimum: 1 } } }, response: { 200: ticketSchema } },
    async handler({ scope, params }) {
      const ticket = await getTicket(scope, scope.em, await ticketIdByNumber(scope, params.number));
      return respond(200, ticket, { ETag: etag(ticket.version) });
    },
  }),
  defineRoute<{ id: string }, unknown, UpdateTicketRequest & { version?: number }>({
    method: 'patch', path: '/tickets/:id', summary: 'Change a ticket (optimistic concurrency)', tags: ['tickets'], permission: 'tickets.update',
    description: 'Send `If-Match` with the ETag (or `version` in the body); a stale write answers 412 and changes nothing. `customFields` is a merge patch: `null` removes a key.',
    schema: { params: ticketIdParams, body: updateTicketBody, response: { 200: ticketSchema } },
    async handler({ scope, params, body, headers }) {
      const { version, ...patch } = body;
      const { ticket } = await updateTicket(scope, kernel.hooks, params.id, patch, ifMatch(headers) ?? version);
      return respond(200, ticket, { ETag: etag(ticket.version) });
    },
  }),
  defineRoute<{ id: string }>({
    method: 'post', path: '/tickets/:id/solve', summary: 'Mark a request solved (its requester, e.g. from the portal; or staff)', tags: ['tickets'], permission: 'tickets.solve.own',
    description: "Sets the tenant's first `solved` status. Another customer who can see the ticket (an organization colleague) gets 403, a closed ticket 409; an already solved one is returned as it is. A later public reply by the requester reopens it.",
    schema: { params: ticketIdParams, response: { 200: ticketSchema } },
    async handler({ scope, params }) {
      const ticket = await solveAsRequester(scope, kernel.hooks, params.id);
      return respond(200, ticket, { ETag: etag(ticket.version) });
    },
  }),
  defineRoute<{ id: string }>({
    method: 'get', path: '/tickets/:id/similar', summary: 'Open tickets from the same requester or organization that look alike (possible duplicates)', tags: ['tickets'], permission: 'tickets.read',
    schema: { params: ticketIdParams, response: { 200: { type: 'object', properties: { items: { type: 'array', items: similarSchema } } } } },
    async handler({ scope, params }) {
      return { items: await similarTickets(scope, await getTicket(scope, scope.em, params.id)) };
    },
  }),
  defineRoute<{ id: string }>({
    method: 'delete', path: '/tickets/:id', summary: 'Delete a ticket', tags: ['tickets'], permission: 'tickets.delete',
    schema: { params: ticketIdParams, response: { 204: {} } },
    async handler({ scope, params }) {
      await deleteTicket(scope, params.id);
      return respond(204);
    },
  }),
  defineRoute<{ id: string }, unknown, { body: string; internal?: boolean }>({
    method: 'post', path: '/tickets/:id/comments', summary: 'Reply publicly, or add an internal note', tags: ['tickets'], permission: 'tickets.comment',
    description: 'Body is markdown. `internal: true` needs `tickets.notes.write`. Mentions (`@user:<id>`, `@group:<id>`, `@name@example.com`) of staff emit `comment.mentioned`.',
    schema: {
      params: ticketIdParams,
      body: { type: 'object', additionalProperties: false, required: ['body'], properties: { body: { type: 'string', minLength: 1, maxLength: 100_000 }, internal: { type: 'boolean' } } },
      response: { 201: commentSchema },
    },
    async handler({ scope, params, body }) {
      return respond(201, await addComment(scope, kernel.hooks, params.id, body));
    },
  }),
  defineRoute<{ id: string }, { limit: number; cursor?: string }>({
    method: 'get', path: '/tickets/:id/comments', summary: 'The conversation (internal notes only for staff)', tags: ['tickets'], permission: 'tickets.read',
    schema: {
      params: ticketIdParams,
      query: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 }, cursor: { type: 'string', maxLength: 200 } } },
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: commentSchema }, nextCursor: { type: ['string', 'null'] } } } },
    },
    async handler({ scope, params, query }) {
      const { items, hasMore } = await listComments(scope, params.id, { limit: query.limit, after: decodeCursor(query.cursor) });
      return { items, nextCursor: hasMore ? encodeCursor(items.at(-1)?.id as string) : null };
    },
  }),
  defineRoute<{ id: string }>({
    method: 'get', path: '/tickets/:id/history', summary: 'Every change to the ticket: who, when, via what, old → new', tags: ['tickets'], permission: 'tickets.read.all',
    schema: { params: ticketIdParams, response: { 200: { type: 'object', properties: { items: { type: 'array', items: { type: 'object' } } } } } },
    async handler({ scope, params }) {
      await getTicket(scope, scope.em, params.id);
      const rows = await sql(scope.em, 'select * from ticket_history where tenant_id = ? and ticket_id = ? order by id', [scope.tenantId, params.id]);
      return {
        items: rows.map((r) => ({
          id: r.id, field: r.field, from: r.old_value, to: r.new_value, actorId: r.actor_id, channel: r.channel, via: r.via,
          at: (r.created_at instanceof Date ? r.created_at : new Date(r.created_at)).toISOString(),
        })),
      };
    },
  }),
];
