import { type RouteDefinition, defineRoute, respond } from '@ticketops/plugin-sdk';
import type { Kernel } from '../../kernel/kernel.ts';
import { LINK_TYPES, type LinkType, addLink, listLinks, removeLink } from '../relations/links.ts';
import { mergeTickets, splitTicket } from '../relations/merge.ts';
import { unmergeTicket, unsplitTicket } from '../relations/undo.ts';
import { getTicket } from '../ticket-service.ts';
import { ticketIdParams, ticketSchema } from './schemas.ts';

const ticketId = { type: 'string', pattern: '^tkt_[a-z0-9]+$', maxLength: 40 };
const linkSchema = {
  type: 'object',
  properties: { type: { enum: [...LINK_TYPES] }, ticketId: { type: 'string' }, number: { type: 'integer' }, title: { type: 'string' }, status: { type: 'string' }, statusCategory: { type: 'string' } },
};

export const relationRoutes = (kernel: Kernel): RouteDefinition[] => [
  defineRoute<{ id: string }, unknown, { type: LinkType; ticketId: string }>({
    method: 'post', path: '/tickets/:id/links', summary: 'Link two tickets (stored on both sides)', tags: ['tickets'], permission: 'tickets.update',
    description: '`type` is what the other ticket is to this one: `parent`, `child`, `related`, `duplicate_of`, `blocks`, `blocked_by`. The other side gets the inverse type.',
    schema: {
      params: ticketIdParams,
      body: { type: 'object', additionalProperties: false, required: ['type', 'ticketId'], properties: { type: { enum: ['parent', 'child', 'related', 'duplicate_of', 'blocks', 'blocked_by'] }, ticketId } },
      response: { 201: { type: 'object', properties: { items: { type: 'array', items: linkSchema } } } },
    },
    async handler({ scope, params, body }) {
      const created = await scope.transactional((tx) => addLink(scope, tx, params.id, body.ticketId, body.type));
      return respond(created ? 201 : 200, { items: await listLinks(scope, params.id) });
    },
  }),
  defineRoute<{ id: string }>({
    method: 'get', path: '/tickets/:id/links', summary: 'Links of a ticket, both directions', tags: ['tickets'], permission: 'tickets.read',
    schema: { params: ticketIdParams, response: { 200: { type: 'object', properties: { items: { type: 'array', items: linkSchema } } } } },
    async handler({ scope, params }) {
      return { items: await listLinks(scope, params.id) };
    },
  }),
  defineRoute<{ id: string; type: LinkType; other: string }>({
    method: 'delete', path: '/tickets/:id/links/:type/:other', summary: 'Remove a link (both sides)', tags: ['tickets'], permission: 'tickets.update',
    schema: { params: { type: 'object', required: ['id', 'type', 'other'], properties: { id: ticketId, type: { enum: [...LINK_TYPES] }, other: ticketId } }, response: { 204: {} } },
    async handler({ scope, params }) {
      await scope.transactional((tx) => removeLink(scope, tx, params.id, params.other, params.type));
      return respond(204);
    },
  }),
  defineRoute<{ id: string }, unknown, { ticketIds: string[] }>({
    method: 'post', path: '/tickets/:id/merge', summary: 'Merge tickets into this one', tags: ['tickets'], permission: 'tickets.merge',
    description: 'Comments, watchers and tags move here; each merged ticket is closed, marked `mergedIntoId` and linked `duplicate_of` this one. History on every ticket records what moved.',
    schema: {
      params: ticketIdParams,
      body: { type: 'object', additionalProperties: false, required: ['ticketIds'], properties: { ticketIds: { type: 'array', minItems: 1, maxItems: 50, items: ticketId } } },
      response: { 200: { type: 'object', properties: { ticket: ticketSchema, merged: { type: 'array', items: { type: 'string' } } } } },
    },
    async handler({ scope, params, body }) {
      const { target, merged } = await mergeTickets(scope, kernel.hooks, params.id, body.ticketIds);
      return { ticket: target, merged };
    },
  }),
  defineRoute<{ id: string }, unknown, { commentIds: string[]; title?: string }>({
    method: 'post', path: '/tickets/:id/split', summary: 'Move chosen comments into a new, linked ticket', tags: ['tickets'], permission: 'tickets.merge',
    schema: {
      params: ticketIdParams,
      body: { type: 'object', additionalProperties: false, required: ['commentIds'], properties: { commentIds: { type: 'array', minItems: 1, maxItems: 500, items: { type: 'string', maxLength: 40 } }, title: { type: 'string', minLength: 1, maxLength: 500 } } },
      response: { 201: ticketSchema },
    },
    async handler({ scope, params, body }) {
      const created = await splitTicket(scope, kernel.hooks, params.id, body.commentIds, body.title);
      return respond(201, await getTicket(scope, scope.em, created.id), { Location: `/api/v1/tickets/${created.id}` });
    },
  }),
  defineRoute<{ id: string }>({
    method: 'post', path: '/tickets/:id/unmerge', summary: 'Undo the merge of this ticket into another', tags: ['tickets'], permission: 'tickets.merge',
    description:
      'Its moved comments and watchers come back, its status and solved/closed times return, the `duplicate_of` link goes, and the target loses the tags and watchers only this ticket gave it. '
      + 'Answers the unmerged ticket and the target. 409 when the ticket is not merged, or the target was deleted or merged on since.',
    schema: { params: ticketIdParams, response: { 200: { type: 'object', properties: { ticket: ticketSchema, target: ticketSchema } } } },
    async handler({ scope, params }) {
      const { ticket, target } = await unmergeTicket(scope, kernel.hooks, params.id);
      return { ticket, target };
    },
  }),
  defineRoute<{ id: string }>({
    method: 'post', path: '/tickets/:id/unsplit', summary: 'Undo the split that made this ticket', tags: ['tickets'], permission: 'tickets.merge',
    description:
      'The split comments go back to the original ticket, the `related` link goes and this ticket is deleted (soft). Answers the original ticket. '
      + '409 when this ticket was not split off, has comments added since the split, or the original was deleted or merged.',
    schema: { params: ticketIdParams, response: { 200: ticketSchema } },
    async handler({ scope, params }) {
      return unsplitTicket(scope, params.id);
    },
  }),
];
