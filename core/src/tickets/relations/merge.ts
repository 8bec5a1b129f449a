import { type KernelHooks, type Scope, TicketOpsError, type TicketRecord } from '@ticketops/plugin-sdk';
import { newId } from '../../kernel-data/ids.ts';
import { announce } from '../announce.ts';
import { recordHistory } from '../history.ts';
import { pgArray, sql } from '../sql.ts';
import { type CreateTicketRequest, afterDirectUpdate, createTicketInTransaction, getTicket } from '../ticket-service.ts';
import { addLink } from './links.ts';
import { broughtByMerges } from './undo.ts';

async function closedStatus(scope: Scope, em: Parameters<typeof sql>[0]): Promise<{ name: string; category: string }> {
  const rows = await sql<{ name: string; category: string }>(em, `select name, category from ticket_status where tenant_id = ? and category = 'closed' and active order by position limit 1`, [scope.tenantId]);
  if (!rows[0]) throw new TicketOpsError('unexpected_state', 'This help desk has no active closed status');
  return rows[0];
}

/**
 * Merges `sourceIds` into `targetId` in one transaction: comments (with their times), watchers and
 * tags move to the target; each source is closed, marks `mergedIntoId` and is linked
 * `duplicate_of` the target; history on every ticket records what moved (comment ids included), so
 * the merge can be traced and undone (`undo.ts`); `ticket.merged` tells the requesters' notifiers.
 */
export async function mergeTickets(scope: Scope, hooks: KernelHooks, targetId: string, sourceIds: string[]): Promise<{ target: TicketRecord; merged: string[] }> {
  const unique = [...new Set(sourceIds)];
  if (unique.includes(targetId)) throw new TicketOpsError('invalid_input', 'A ticket cannot be merged into itself', { details: [{ pointer: `/body/ticketIds/${sourceIds.indexOf(targetId)}`, message: 'is the target ticket' }] });
  return scope.transactional(async (tx) => {
    // Lock in id order so two merges over the same tickets cannot deadlock.
    const all = [targetId, ...unique].sort();
    const locked = new Map<string, TicketRecord>();
    for (const id of all) {
      try {
        locked.set(id, await getTicket(scope, tx.em, id, { lock: true }));
      } catch (error) {
        const index = sourceIds.indexOf(id);
        if (index >= 0) throw new TicketOpsError('invalid_input', `Ticket ${id} cannot be merged: not found`, { details: [{ pointer: `/body/ticketIds/${index}`, message: 'is not a ticket you can see' }] });
        throw error;
      }
    }
    const target = locked.get(targetId) as TicketRecord;
    if (target.mergedIntoId) throw new TicketOpsError('conflict', `Ticket #${target.number} was itself merged into another ticket`);
    const sources = unique.map((id) => locked.get(id) as TicketRecord);
    const already = sources.findIndex((s) => s.mergedIntoId);
    if (already >= 0) throw new TicketOpsError('invalid_input', 'A ticket that was already merged cannot be merged again', { details: [{ pointer: `/body/ticketIds/${sourceIds.indexOf(sources[already]?.id as string)}`, message: 'is already merged' }] });

    const closed = await closedStatus(scope, tx.em);
    const origin = { tenantId: scope.tenantId, actorId: scope.actor.userId, channel: 'api', via: 'merge' };
    // What the target has of its own (not brought by a still-merged source): an undo must leave it there.
    const brought = await broughtByMerges(tx.em, scope.tenantId, targetId);
    const targetWatchers = await sql<{ user_id: string }>(tx.em, 'select user_id from ticket_watcher where ticket_id = ?', [targetId]);
    const ownWatchers = new Set(targetWatchers.map((w) => w.user_id).filter((u) => !brought.watchers.has(u)));
    const ownTags = new Set(target.tags.filter((t) => !brought.tags.has(t)));
    for (const source of sources) {
      const moved = await sql<{ id: string }>(tx.em, 'update comment set ticket_id = ? where tenant_id = ? and ticket_id = ? returning id', [targetId, scope.tenantId, source.id]);
      await sql(tx.em, 'insert into ticket_watcher (ticket_id, user_id, tenant_id) select ?, user_id, tenant_id from ticket_watcher where ticket_id = ? on conflict do nothing', [targetId, source.id]);
      const movedWatchers = await sql<{ user_id: string }>(tx.em, 'delete from ticket_watcher where ticket_id = ? returning user_id', [source.id]);
      await sql(
        tx.em,
        `update ticket set status = ?, status_category = ?, merged_into_id = ?, closed_at = coalesce(closed_at, now()), solved_at = coalesce(solved_at, now()), updated_at = now(), version = version + 1 where id = ?`,
        [closed.name, closed.category, targetId, source.id],
      );
      const linked = await addLink(scope, tx, source.id, targetId, 'duplicate_of', 'merge');
      const userIds = movedWatchers.map((w) => w.user_id);
      // `previous`, `linked` and `newOnTarget` are what an undo needs to put things back exactly.
      await recordHistory(tx.em, { ...origin, ticketId: source.id }, [
        { field: 'mergedInto', from: null, to: { ticketId: targetId, number: target.number, linked, previous: { status: source.status, solvedAt: source.solvedAt, closedAt: source.closedAt } } },
        { field: 'status', from: source.status, to: closed.name },
        { field: 'commentsMoved', from: null, to: { toTicketId: targetId, commentIds: moved.map((c) => c.id) } },
        { field: 'watchersMoved', from: null, to: { toTicketId: targetId, userIds, newOnTarget: userIds.filter((u) => !ownWatchers.has(u)) } },
        { field: 'tagsMoved', from: null, to: { toTicketId: targetId, tags: source.tags, newOnTarget: source.tags.filter((t) => !ownTags.has(t)) } },
      ]);
      await afterDirectUpdate(scope, hooks, tx, source.id, source.status === closed.name ? [] : [{ field: 'status', from: source.status, to: closed.name }]);
      await announce(
        tx,
        { kind: 'ticket.updated', tenantId: scope.tenantId, ticketId: source.id, requesterId: source.requesterId, organizationId: source.organizationId, actorId: scope.actor.userId, changes: ['mergedInto', 'status'] },
        { name: 'ticket.updated', payload: { ticketId: source.id, changes: ['mergedInto', 'status'] } },
      );
    }
    const tags = [...new Set([...target.tags, ...sources.flatMap((s) => s.tags)])].sort();
    await sql(tx.em, 'update ticket set tags = ?::text[], updated_at = now(), version = version + 1 where id = ?', [pgArray(tags), targetId]);
    const numbers = sources.map((s) => s.number);
    await sql(tx.em, 'insert into comment (id, tenant_id, ticket_id, author_id, body, internal, channel) values (?, ?, ?, ?, ?, true, ?)', [
      newId('cmt'), scope.tenantId, targetId, scope.actor.userId, `Merged ${numbers.map((n) => `#${n}`).join(', ')} into this ticket.`, 'merge',
    ]);
    await recordHistory(tx.em, { ...origin, ticketId: targetId }, [
      { field: 'merged', from: null, to: sources.map((s) => ({ ticketId: s.id, number: s.number })) },
      ...(JSON.stringify(tags) !== JSON.stringify(target.tags) ? [{ field: 'tags', from: target.tags, to: tags }] : []),
    ]);
    await afterDirectUpdate(scope, hooks, tx, targetId, JSON.stringify(tags) !== JSON.stringify(target.tags) ? [{ field: 'tags', from: target.tags, to: tags }] : []);
    await announce(
      tx,
      { kind: 'ticket.updated', tenantId: scope.tenantId, ticketId: targetId, requesterId: target.requesterId, organizationId: target.organizationId, actorId: scope.actor.userId, changes: ['merged'] },
      { name: 'ticket.merged', payload: { targetId, sourceIds: sources.map((s) => s.id), requesterIds: [...new Set(sources.map((s) => s.requesterId).filter(Boolean))] } },
    );
    return { target: await getTicket(scope, tx.em, targetId), merged: sources.map((s) => s.id) };
  });
}

/** Moves the chosen comments of a ticket into a new ticket linked `related` to it. */
export async function splitTicket(scope: Scope, hooks: KernelHooks, ticketId: string, commentIds: string[], title?: string): Promise<TicketRecord> {
  return scope.transactional(async (tx) => {
    const original = await getTicket(scope, tx.em, ticketId, { lock: true });
    const rows = await sql<{ id: string; body: string }>(tx.em, 'select id, body from comment where tenant_id = ? and ticket_id = ? and id = any(?::text[]) order by id', [scope.tenantId, ticketId, `{${commentIds.join(',')}}`]);
    const found = new Set(rows.map((r) => r.id));
    const missing = commentIds.map((id, i) => ({ id, i })).filter(({ id }) => !found.has(id));
    if (missing.length) {
      throw new TicketOpsError('invalid_input', 'Some comments are not on this ticket', { details: missing.map(({ i }) => ({ pointer: `/body/commentIds/${i}`, message: 'is not a comment of this ticket' })) });
    }
    const request: CreateTicketRequest = {
      title: title ?? `${original.title} (split from #${original.number})`,
      description: rows[0]?.body ?? '',
      status: original.status,
      priority: original.priority,
      type: original.type,
      tags: original.tags,
      customFields: original.customFields,
      requester: original.requesterId ?? undefined,
      organizationId: original.organizationId,
      groupId: original.groupId,
      assigneeId: original.assigneeId,
      channel: original.channel,
    };
    const created = await createTicketInTransaction(scope, hooks, tx, request);
    await sql(tx.em, 'update comment set ticket_id = ? where tenant_id = ? and id = any(?::text[])', [created.id, scope.tenantId, `{${commentIds.join(',')}}`]);
    const origin = { tenantId: scope.tenantId, actorId: scope.actor.userId, channel: 'api', via: 'split' };
    await recordHistory(tx.em, { ...origin, ticketId }, [{ field: 'splitTo', from: null, to: { ticketId: created.id, number: created.number, commentIds } }]);
    await recordHistory(tx.em, { ...origin, ticketId: created.id }, [{ field: 'splitFrom', from: null, to: { ticketId, number: original.number, commentIds } }]);
    await addLink(scope, tx, created.id, ticketId, 'related', 'split');
    return created;
  });
}
