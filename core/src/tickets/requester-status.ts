import type { EntityManager } from '@mikro-orm/sql';
import { type KernelHooks, type Scope, type TicketRecord, type TransactionContext, TicketOpsError, hasPermission } from '@ticketops/plugin-sdk';
import { sql } from './sql.ts';
import { getTicket, updateTicketInTransaction } from './ticket-service.ts';
import { seesAllTickets } from './visibility.ts';

/**
 * The status moves a ticket's requester makes, as help-desk customers expect: their public reply
 * puts a ticket that waits on them (`pending`) or was solved back to `open`; they may mark their own
 * request solved. Closed tickets stay closed. Both go through the ordinary update (hooks, history
 * with `via`, events), as the requester.
 */

/** Categories a requester's reply reopens. */
const REOPENED_BY_REPLY = new Set(['pending', 'solved']);

/** The tenant's first active status of a category (by position), e.g. the `open` one a reply returns to. */
async function firstStatusOf(em: EntityManager, tenantId: string, category: 'open' | 'solved'): Promise<string> {
  const [row] = await sql<{ name: string }>(em, 'select name from ticket_status where tenant_id = ? and category = ? and active order by position, name limit 1', [tenantId, category]);
  if (!row) throw new TicketOpsError('unexpected_state', `This help desk has no active status of category "${category}"`);
  return row.name;
}

/** The requester is a customer (not staff answering their own ticket) writing publicly. */
const isRequesterReply = (scope: Scope, ticket: TicketRecord, internal: boolean) =>
  !internal && scope.actor.kind === 'user' && scope.actor.userId === ticket.requesterId && !seesAllTickets(scope.actor);

/** Inside the comment's transaction: reopens the ticket when its requester replied to it while it waited on them or was solved. */
export async function reopenOnRequesterReply(scope: Scope, hooks: KernelHooks, tx: TransactionContext, ticket: TicketRecord, internal: boolean): Promise<void> {
  if (!isRequesterReply(scope, ticket, internal) || !REOPENED_BY_REPLY.has(ticket.statusCategory)) return;
  const open = await firstStatusOf(tx.em, scope.tenantId, 'open');
  await updateTicketInTransaction(scope, hooks, tx, ticket.id, { status: open }, undefined, { via: 'requester-reply' });
}

/**
 * The requester marks their request solved (`POST /tickets/{id}/solve`); staff may too. Someone
 * else who can see the ticket (an organization colleague) gets 403; a closed ticket 409; an
 * already solved one is answered as it is.
 */
export async function solveAsRequester(scope: Scope, hooks: KernelHooks, ticketId: string): Promise<TicketRecord> {
  return scope.transactional(async (tx) => {
    const ticket = await getTicket(scope, tx.em, ticketId, { lock: true });
    const staff = hasPermission(scope.actor, 'tickets.update');
    if (!staff && ticket.requesterId !== scope.actor.userId) throw new TicketOpsError('forbidden', 'Only the requester (or staff) may mark a request solved');
    if (ticket.statusCategory === 'closed') throw new TicketOpsError('conflict', 'The ticket is closed; open a new request instead');
    if (ticket.statusCategory === 'solved') return ticket;
    const solved = await firstStatusOf(tx.em, scope.tenantId, 'solved');
    return (await updateTicketInTransaction(scope, hooks, tx, ticket.id, { status: solved }, undefined, { via: staff ? undefined : 'requester' })).ticket;
  });
}
