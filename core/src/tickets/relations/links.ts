import type { EntityManager } from '@mikro-orm/sql';
import { type Scope, TicketOpsError, type TransactionContext } from '@ticketops/plugin-sdk';
import { announce } from '../announce.ts';
import { recordHistory } from '../history.ts';
import { sql } from '../sql.ts';
import { getTicket } from '../ticket-service.ts';

export const LINK_TYPES = ['parent', 'child', 'related', 'duplicate_of', 'duplicated_by', 'blocks', 'blocked_by'] as const;
export type LinkType = (typeof LINK_TYPES)[number];

/** Every link is stored on both tickets; this is the type the other side carries. */
export const INVERSE: Record<LinkType, LinkType> = {
  parent: 'child', child: 'parent', related: 'related', duplicate_of: 'duplicated_by', duplicated_by: 'duplicate_of', blocks: 'blocked_by', blocked_by: 'blocks',
};

/**
 * Links `ticketId` to `otherId` with `type` as seen from `ticketId` ("my parent is other").
 * Both tickets must be visible; a parent link may not close a cycle.
 */
export async function addLink(scope: Scope, tx: TransactionContext, ticketId: string, otherId: string, type: LinkType, via?: string): Promise<boolean> {
  if (ticketId === otherId) throw new TicketOpsError('invalid_input', 'A ticket cannot be linked to itself', { details: [{ pointer: '/body/ticketId', message: 'is the ticket itself' }] });
  const [ticket, other] = [await getTicket(scope, tx.em, ticketId), await getTicket(scope, tx.em, otherId)];
  if (type === 'parent' || type === 'child') {
    const [parent, child] = type === 'parent' ? [otherId, ticketId] : [ticketId, otherId];
    if (await wouldCycle(tx.em, scope.tenantId, child, parent)) {
      throw new TicketOpsError('conflict', 'This parent link would make a cycle', { details: [{ pointer: '/body/ticketId', message: 'is already a descendant' }] });
    }
    const existing = await sql(tx.em, `select 1 from ticket_link where ticket_id = ? and type = 'parent' and linked_id <> ?`, [child, parent]);
    if (existing.length) throw new TicketOpsError('conflict', 'A ticket has at most one parent; remove the current parent link first', { details: [{ pointer: '/body/ticketId', message: 'already has a parent' }] });
  }
  const inserted = await sql(
    tx.em,
    `insert into ticket_link (tenant_id, ticket_id, linked_id, type) values (?, ?, ?, ?), (?, ?, ?, ?) on conflict do nothing returning ticket_id`,
    [scope.tenantId, ticketId, otherId, type, scope.tenantId, otherId, ticketId, INVERSE[type]],
  );
  if (inserted.length === 0) return false;
  const origin = { tenantId: scope.tenantId, actorId: scope.actor.userId, channel: 'api', via: via ?? null };
  await recordHistory(tx.em, { ...origin, ticketId }, [{ field: 'link', from: null, to: { type, ticketId: otherId, number: other.number } }]);
  await recordHistory(tx.em, { ...origin, ticketId: otherId }, [{ field: 'link', from: null, to: { type: INVERSE[type], ticketId, number: ticket.number } }]);
  for (const t of [ticket, other]) {
    await announce(
      tx,
      { kind: 'ticket.updated', tenantId: scope.tenantId, ticketId: t.id, requesterId: t.requesterId, organizationId: t.organizationId, actorId: scope.actor.userId, changes: ['links'] },
      { name: 'ticket.linked', payload: { ticketId: t.id, linkedId: t.id === ticketId ? otherId : ticketId, type: t.id === ticketId ? type : INVERSE[type] } },
    );
  }
  return true;
}

export async function removeLink(scope: Scope, tx: TransactionContext, ticketId: string, otherId: string, type: LinkType): Promise<void> {
  await getTicket(scope, tx.em, ticketId);
  const removed = await sql(
    tx.em,
    `delete from ticket_link where tenant_id = ? and ((ticket_id = ? and linked_id = ? and type = ?) or (ticket_id = ? and linked_id = ? and type = ?)) returning ticket_id`,
    [scope.tenantId, ticketId, otherId, type, otherId, ticketId, INVERSE[type]],
  );
  if (removed.length === 0) throw new TicketOpsError('not_found', 'No such link');
  const origin = { tenantId: scope.tenantId, actorId: scope.actor.userId, channel: 'api' };
  await recordHistory(tx.em, { ...origin, ticketId }, [{ field: 'link', from: { type, ticketId: otherId }, to: null }]);
  await recordHistory(tx.em, { ...origin, ticketId: otherId }, [{ field: 'link', from: { type: INVERSE[type], ticketId }, to: null }]);
}

/** Links of a ticket with the other ticket's headline; tickets the actor cannot see are left out. */
export async function listLinks(scope: Scope, ticketId: string) {
  const ticket = await getTicket(scope, scope.em, ticketId);
  const rows = await sql(
    scope.em,
    `select l.type, o.id, o.number, o.title, o.status, o.status_category, o.requester_id, o.organization_id
       from ticket_link l join ticket o on o.id = l.linked_id
      where l.tenant_id = ? and l.ticket_id = ? and o.deleted_at is null order by l.created_at, o.number`,
    [scope.tenantId, ticket.id],
  );
  const visible = [];
  for (const r of rows) {
    try {
      await getTicket(scope, scope.em, r.id);
      visible.push({ type: r.type as LinkType, ticketId: r.id, number: Number(r.number), title: r.title, status: r.status, statusCategory: r.status_category });
    } catch {}
  }
  return visible;
}

/** Making `parent` the parent of `child` closes a cycle when `child` is already above `parent`. */
async function wouldCycle(em: EntityManager, tenantId: string, child: string, parent: string): Promise<boolean> {
  const rows = await sql(
    em,
    `with recursive up(id) as (
       select ?::text
       union
       select l.linked_id from ticket_link l join up on l.ticket_id = up.id where l.tenant_id = ? and l.type = 'parent'
     ) select 1 from up where id = ? limit 1`,
    [parent, tenantId, child],
  );
  return rows.length > 0;
}
