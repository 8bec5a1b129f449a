import type { EntityManager } from '@mikro-orm/sql';
import { type KernelHooks, type Scope, type TicketRecord, type TransactionContext, conflict } from '@ticketops/plugin-sdk';
import { announce } from '../announce.ts';
import { recordHistory } from '../history.ts';
import { pgArray, sql } from '../sql.ts';
import { afterDirectUpdate, deleteTicketInTransaction, getTicket } from '../ticket-service.ts';
import { type LinkType, removeLink } from './links.ts';

/** What `mergeTickets` recorded on a source (older merges lack `previous`, `linked` and `newOnTarget`). */
interface MergeFacts {
  rowId: string;
  target: { ticketId: string; number: number; linked?: boolean; previous?: { status: string; solvedAt: string | null; closedAt: string | null } };
  statusBefore: string | null;
  commentIds: string[];
  watchers: { userIds: string[]; newOnTarget?: string[] };
  tags: { newOnTarget?: string[] };
}

/**
 * Tags and watchers that sources still merged into `targetId` brought there (their `newOnTarget`),
 * `exceptId` left out. The merge uses it to tell the target's own from borrowed; the undo to keep
 * what another source still carries.
 */
export async function broughtByMerges(em: EntityManager, tenantId: string, targetId: string, exceptId = ''): Promise<{ tags: Set<string>; watchers: Set<string> }> {
  const rows = await sql<{ field: string; new_value: { newOnTarget?: string[] } }>(
    em,
    `with sources as (
       select distinct s.id from ticket_history m cross join lateral jsonb_array_elements(m.new_value) e join ticket s on s.id = e->>'ticketId'
        where m.tenant_id = ? and m.ticket_id = ? and m.field = 'merged' and m.via = 'merge' and s.merged_into_id = m.ticket_id and s.id <> ?
     )
     select distinct on (h.ticket_id, h.field) h.field, h.new_value from ticket_history h
      where h.ticket_id in (select id from sources) and h.via = 'merge' and h.field in ('watchersMoved', 'tagsMoved') and h.new_value->>'toTicketId' = ?
      order by h.ticket_id, h.field, h.id desc`,
    [tenantId, targetId, exceptId, targetId],
  );
  const of = (field: string) => new Set(rows.filter((r) => r.field === field).flatMap((r) => r.new_value.newOnTarget ?? []));
  return { tags: of('tagsMoved'), watchers: of('watchersMoved') };
}

/** Locks tickets in id order, the order merge uses, so an undo and a merge cannot deadlock. */
async function lockInOrder(tx: TransactionContext, tenantId: string, ids: string[]): Promise<void> {
  for (const id of [...ids].sort()) await sql(tx.em, 'select 1 from ticket where tenant_id = ? and id = ? for update', [tenantId, id]);
}

/** The other ticket of an undo: a deleted or since-merged one is a 409 (putting things back there would hide them). */
async function liveTicket(scope: Scope, tx: TransactionContext, id: string, role: string): Promise<TicketRecord> {
  const [row] = await sql<{ number: string; deleted_at: unknown; merged_into_id: string | null }>(tx.em, 'select number, deleted_at, merged_into_id from ticket where tenant_id = ? and id = ?', [scope.tenantId, id]);
  if (!row) throw conflict(`The ${role} ticket no longer exists`);
  if (row.deleted_at) throw conflict(`The ${role} ticket #${row.number} was deleted`);
  if (row.merged_into_id) throw conflict(`The ${role} ticket #${row.number} was itself merged into another ticket since; undo that merge first`);
  return getTicket(scope, tx.em, id);
}

async function removeLinkIfThere(scope: Scope, tx: TransactionContext, ticketId: string, otherId: string, type: LinkType): Promise<void> {
  const rows = await sql(tx.em, 'select 1 from ticket_link where tenant_id = ? and ticket_id = ? and linked_id = ? and type = ?', [scope.tenantId, ticketId, otherId, type]);
  if (rows.length) await removeLink(scope, tx, ticketId, otherId, type);
}

/** The facts of the source's latest merge: its rows share one insert, so they follow its `mergedInto` row. */
async function mergeFacts(em: EntityManager, tenantId: string, sourceId: string, targetId: string): Promise<MergeFacts | null> {
  const rows = await sql<{ id: string; field: string; old_value: any; new_value: any }>(
    em,
    `select id, field, old_value, new_value from ticket_history
      where tenant_id = ? and ticket_id = ? and via = 'merge' and field in ('mergedInto', 'status', 'commentsMoved', 'watchersMoved', 'tagsMoved')
        and id >= (select max(id) from ticket_history where tenant_id = ? and ticket_id = ? and via = 'merge' and field = 'mergedInto')
      order by id`,
    [tenantId, sourceId, tenantId, sourceId],
  );
  const row = (field: string) => rows.find((r) => r.field === field);
  const merged = row('mergedInto');
  if (!merged || merged.new_value?.ticketId !== targetId) return null;
  return {
    rowId: merged.id,
    target: merged.new_value,
    statusBefore: row('status')?.old_value ?? null,
    commentIds: row('commentsMoved')?.new_value.commentIds ?? [],
    watchers: row('watchersMoved')?.new_value ?? { userIds: [] },
    tags: row('tagsMoved')?.new_value ?? {},
  };
}

/** Tags and watchers put on the target by hand after the merge: an undo keeps them. */
async function addedSince(em: EntityManager, tenantId: string, targetId: string, afterId: string): Promise<{ tags: Set<string>; watchers: Set<string> }> {
  const rows = await sql<{ field: string; old_value: any; new_value: any }>(
    em,
    `select field, old_value, new_value from ticket_history
      where tenant_id = ? and ticket_id = ? and id > ? and field in ('tags', 'watcher') and coalesce(via, '') not in ('merge', 'unmerge') order by id`,
    [tenantId, targetId, afterId],
  );
  const tags = new Set<string>();
  const watchers = new Set<string>();
  for (const r of rows) {
    if (r.field === 'watcher' && typeof r.new_value === 'string') watchers.add(r.new_value);
    if (r.field === 'tags') for (const tag of (r.new_value ?? []) as string[]) if (!((r.old_value ?? []) as string[]).includes(tag)) tags.add(tag);
  }
  return { tags, watchers };
}

/**
 * Undoes the merge of `sourceId` into its target in one transaction: the comments and watchers it
 * moved go back, its status and solved/closed times return, the `duplicate_of` link goes, and the
 * target loses what only this source gave it. History on both records it (via `unmerge`).
 */
export async function unmergeTicket(scope: Scope, hooks: KernelHooks, sourceId: string): Promise<{ ticket: TicketRecord; target: TicketRecord }> {
  return scope.transactional(async (tx) => {
    const tenantId = scope.tenantId;
    const first = await getTicket(scope, tx.em, sourceId);
    if (!first.mergedIntoId) throw conflict(`Ticket #${first.number} is not merged into another ticket`);
    const targetId = first.mergedIntoId;
    await lockInOrder(tx, tenantId, [sourceId, targetId]);
    const source = await getTicket(scope, tx.em, sourceId);
    if (source.mergedIntoId !== targetId) throw conflict(`Ticket #${source.number} changed during the undo; retry`);
    const target = await liveTicket(scope, tx, targetId, 'target');
    const facts = await mergeFacts(tx.em, tenantId, sourceId, targetId);
    const previous = facts?.target.previous ?? (facts?.statusBefore ? { status: facts.statusBefore, solvedAt: null, closedAt: null } : null);
    if (!facts || !previous) throw conflict(`Ticket #${source.number} has no merge record to undo`);
    const [status] = await sql<{ category: string }>(tx.em, 'select category from ticket_status where tenant_id = ? and name = ?', [tenantId, previous.status]);
    if (!status) throw conflict(`Status "${previous.status}" that ticket #${source.number} had before the merge no longer exists`);

    const comments = await sql<{ id: string }>(tx.em, 'update comment set ticket_id = ? where tenant_id = ? and ticket_id = ? and id = any(?::text[]) returning id', [sourceId, tenantId, targetId, pgArray(facts.commentIds)]);
    await sql(tx.em, 'insert into ticket_watcher (ticket_id, user_id, tenant_id) select ?, id, tenant_id from app_user where tenant_id = ? and id = any(?::text[]) on conflict do nothing', [sourceId, tenantId, pgArray(facts.watchers.userIds)]);
    // The target keeps what it had of its own, what another merged source still carries, and what was added since.
    const [brought, since] = [await broughtByMerges(tx.em, tenantId, targetId, sourceId), await addedSince(tx.em, tenantId, targetId, facts.rowId)];
    const dropWatchers = (facts.watchers.newOnTarget ?? []).filter((u) => !brought.watchers.has(u) && !since.watchers.has(u));
    const watchersGone = await sql<{ user_id: string }>(tx.em, 'delete from ticket_watcher where ticket_id = ? and user_id = any(?::text[]) returning user_id', [targetId, pgArray(dropWatchers)]);
    const dropTags = new Set((facts.tags.newOnTarget ?? []).filter((t) => !brought.tags.has(t) && !since.tags.has(t)));
    const tags = target.tags.filter((t) => !dropTags.has(t));

    const category = status.category;
    const solvedAt = category === 'solved' || category === 'closed' ? (previous.solvedAt ?? source.solvedAt) : null;
    const closedAt = category === 'closed' ? (previous.closedAt ?? source.closedAt) : null;
    await sql(
      tx.em,
      'update ticket set status = ?, status_category = ?, merged_into_id = null, solved_at = ?, closed_at = ?, updated_at = now(), version = version + 1 where tenant_id = ? and id = ?',
      [previous.status, category, solvedAt, closedAt, tenantId, sourceId],
    );
    await sql(tx.em, 'update ticket set tags = ?::text[], updated_at = now(), version = version + 1 where tenant_id = ? and id = ?', [pgArray(tags), tenantId, targetId]);
    if (facts.target.linked !== false) await removeLinkIfThere(scope, tx, sourceId, targetId, 'duplicate_of');

    const origin = { tenantId, actorId: scope.actor.userId, channel: 'api', via: 'unmerge' };
    const commentIds = comments.map((c) => c.id);
    await recordHistory(tx.em, { ...origin, ticketId: sourceId }, [
      { field: 'mergedInto', from: { ticketId: targetId, number: target.number }, to: null },
      { field: 'status', from: source.status, to: previous.status },
      { field: 'commentsMoved', from: { ticketId: targetId }, to: { toTicketId: sourceId, commentIds } },
      { field: 'watchersMoved', from: { ticketId: targetId }, to: { toTicketId: sourceId, userIds: facts.watchers.userIds } },
    ]);
    await recordHistory(tx.em, { ...origin, ticketId: targetId }, [
      { field: 'unmerged', from: null, to: { ticketId: sourceId, number: source.number, commentIds, watchersRemoved: watchersGone.map((w) => w.user_id) } },
      ...(tags.length !== target.tags.length ? [{ field: 'tags', from: target.tags, to: tags }] : []),
    ]);
    await afterDirectUpdate(scope, hooks, tx, sourceId, source.status === previous.status ? [] : [{ field: 'status', from: source.status, to: previous.status }]);
    await afterDirectUpdate(scope, hooks, tx, targetId, tags.length !== target.tags.length ? [{ field: 'tags', from: target.tags, to: tags }] : []);
    for (const [t, changes] of [[source, ['unmerged', 'status']], [target, ['unmerged']]] as const) {
      await announce(
        tx,
        { kind: 'ticket.updated', tenantId, ticketId: t.id, requesterId: t.requesterId, organizationId: t.organizationId, actorId: scope.actor.userId, changes: [...changes] },
        { name: 'ticket.updated', payload: { ticketId: t.id, changes: [...changes] } },
      );
    }
    return { ticket: await getTicket(scope, tx.em, sourceId), target: await getTicket(scope, tx.em, targetId) };
  });
}

/**
 * Undoes a split: the comments moved off go back to the original ticket and the split-off ticket is
 * soft-deleted. Refused (409) when the split-off ticket has comments of its own, which would be lost.
 */
export async function unsplitTicket(scope: Scope, splitId: string): Promise<TicketRecord> {
  return scope.transactional(async (tx) => {
    const tenantId = scope.tenantId;
    const split = await getTicket(scope, tx.em, splitId);
    const [record] = await sql<{ new_value: { ticketId: string; number: number; commentIds: string[] } }>(
      tx.em, `select new_value from ticket_history where tenant_id = ? and ticket_id = ? and field = 'splitFrom' and via = 'split' order by id desc limit 1`, [tenantId, splitId],
    );
    if (!record) throw conflict(`Ticket #${split.number} was not split off another ticket`);
    const { ticketId: originalId, commentIds } = record.new_value;
    await lockInOrder(tx, tenantId, [splitId, originalId]);
    const original = await liveTicket(scope, tx, originalId, 'original');
    const again = await getTicket(scope, tx.em, splitId);
    if (again.mergedIntoId) throw conflict(`Ticket #${split.number} was merged into another ticket; undo that merge first`);
    const [newer] = await sql<{ n: string }>(tx.em, 'select count(*) as n from comment where tenant_id = ? and ticket_id = ? and not (id = any(?::text[]))', [tenantId, splitId, pgArray(commentIds)]);
    if (Number(newer?.n) > 0) throw conflict(`Ticket #${split.number} has ${newer?.n} comment(s) added after the split, which the undo would lose; move or remove them first`);

    const back = await sql<{ id: string }>(tx.em, 'update comment set ticket_id = ? where tenant_id = ? and ticket_id = ? and id = any(?::text[]) returning id', [originalId, tenantId, splitId, pgArray(commentIds)]);
    await removeLinkIfThere(scope, tx, splitId, originalId, 'related');
    await sql(tx.em, 'update ticket set updated_at = now(), version = version + 1 where tenant_id = ? and id = ?', [tenantId, originalId]);
    const origin = { tenantId, actorId: scope.actor.userId, channel: 'api', via: 'unsplit' };
    await recordHistory(tx.em, { ...origin, ticketId: originalId }, [
      { field: 'splitTo', from: { ticketId: splitId, number: split.number }, to: null },
      { field: 'commentsMoved', from: { ticketId: splitId }, to: { toTicketId: originalId, commentIds: back.map((c) => c.id) } },
    ]);
    await recordHistory(tx.em, { ...origin, ticketId: splitId }, [{ field: 'splitFrom', from: { ticketId: originalId, number: original.number }, to: null }]);
    await deleteTicketInTransaction(scope, tx, splitId);
    await announce(
      tx,
      { kind: 'ticket.updated', tenantId, ticketId: originalId, requesterId: original.requesterId, organizationId: original.organizationId, actorId: scope.actor.userId, changes: ['unsplit'] },
      { name: 'ticket.updated', payload: { ticketId: originalId, changes: ['unsplit'] } },
    );
    return getTicket(scope, tx.em, originalId);
  });
}
