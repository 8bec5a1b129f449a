import { type RouteDefinition, TicketOpsError, defineRoute, respond } from '@ticketops/plugin-sdk';
import { recordHistory } from '../history.ts';
import { findPerson } from '../people.ts';
import { sql } from '../sql.ts';
import { getTicket } from '../ticket-service.ts';
import { seesAllTickets } from '../visibility.ts';
import { ticketIdParams } from './schemas.ts';

const watcherParams = { type: 'object', required: ['id', 'userId'], properties: { id: ticketIdParams.properties.id, userId: { type: 'string', maxLength: 40 } } };

/** Watchers follow a ticket's updates. Anyone who sees a ticket may watch it; staff may add others. */
export const watcherRoutes = (): RouteDefinition[] => [
  defineRoute<{ id: string }>({
    method: 'get', path: '/tickets/:id/watchers', summary: 'Who watches the ticket', tags: ['tickets'], permission: 'tickets.read', schema: { params: ticketIdParams },
    async handler({ scope, params }) {
      await getTicket(scope, scope.em, params.id);
      const rows = await sql(scope.em, 'select u.id, u.name from ticket_watcher w join app_user u on u.id = w.user_id where w.ticket_id = ? order by u.name', [params.id]);
      return { items: rows };
    },
  }),
  defineRoute<{ id: string; userId: string }>({
    method: 'put', path: '/tickets/:id/watchers/:userId', summary: 'Watch a ticket (yourself, or someone else if you are staff)', tags: ['tickets'], permission: 'tickets.read', schema: { params: watcherParams },
    async handler({ scope, params }) {
      const self = params.userId === 'me' ? scope.actor.userId : params.userId;
      if (!self) throw new TicketOpsError('invalid_input', 'userId is required', { details: [{ pointer: '/params/userId', message: 'is required' }] });
      if (self !== scope.actor.userId && !seesAllTickets(scope.actor)) throw new TicketOpsError('forbidden', 'Only agents may add other watchers');
      return scope.transactional(async (tx) => {
        await getTicket(scope, tx.em, params.id);
        if (!(await findPerson(tx.em, scope.tenantId, self))) throw new TicketOpsError('invalid_input', 'No such user', { details: [{ pointer: '/params/userId', message: 'is not a user of this help desk' }] });
        const added = await sql(tx.em, 'insert into ticket_watcher (ticket_id, user_id, tenant_id) values (?, ?, ?) on conflict do nothing returning user_id', [params.id, self, scope.tenantId]);
        if (added.length) {
          await recordHistory(tx.em, { tenantId: scope.tenantId, ticketId: params.id, actorId: scope.actor.userId, channel: 'api' }, [{ field: 'watcher', from: null, to: self }]);
          await tx.emit('ticket.watcher.added', { ticketId: params.id, userId: self });
        }
        return respond(204);
      });
    },
  }),
  defineRoute<{ id: string; userId: string }>({
    method: 'delete', path: '/tickets/:id/watchers/:userId', summary: 'Stop watching', tags: ['tickets'], permission: 'tickets.read', schema: { params: watcherParams },
    async handler({ scope, params }) {
      const self = params.userId === 'me' ? scope.actor.userId : params.userId;
      if (self !== scope.actor.userId && !seesAllTickets(scope.actor)) throw new TicketOpsError('forbidden', 'Only agents may remove other watchers');
      await scope.transactional(async (tx) => {
        await getTicket(scope, tx.em, params.id);
        const removed = await sql(tx.em, 'delete from ticket_watcher where ticket_id = ? and user_id = ? returning user_id', [params.id, self]);
        if (removed.length) await recordHistory(tx.em, { tenantId: scope.tenantId, ticketId: params.id, actorId: scope.actor.userId, channel: 'api' }, [{ field: 'watcher', from: self, to: null }]);
      });
      return respond(204);
    },
  }),
];
