import type { EntityManager } from '@mikro-orm/sql';
import { type CommentRecord, type KernelHooks, type Scope, type TransactionContext, TicketOpsError } from '@ticketops/plugin-sdk';
import { newId } from '../kernel-data/ids.ts';
import { announce } from './announce.ts';
import { reopenOnRequesterReply } from './requester-status.ts';
import { sql } from './sql.ts';
import { getTicket } from './ticket-service.ts';
import { seesAllTickets, seesInternalNotes } from './visibility.ts';

const toComment = (r: Record<string, any>): CommentRecord => ({
  id: r.id, ticketId: r.ticket_id, authorId: r.author_id, body: r.body, internal: r.internal, channel: r.channel,
  createdAt: (r.created_at instanceof Date ? r.created_at : new Date(r.created_at)).toISOString(),
});

/** `@user:<id>`, `@group:<id>` (what the console inserts) and `@email@domain` mention tokens. */
export function parseMentions(body: string): { userIds: string[]; groupIds: string[]; emails: string[] } {
  const userIds = [...body.matchAll(/@user:([a-z]+_[a-z0-9]+)/g)].map((m) => m[1] as string);
  const groupIds = [...body.matchAll(/@group:([a-z]+_[a-z0-9]+)/g)].map((m) => m[1] as string);
  const emails = [...body.matchAll(/(?:^|\s)@([^\s@]+@[^\s@]+\.[A-Za-z]{2,})/g)].map((m) => (m[1] as string).toLowerCase());
  return { userIds: [...new Set(userIds)], groupIds: [...new Set(groupIds)], emails: [...new Set(emails)] };
}

export interface NewComment {
  body: string;
  internal?: boolean;
  channel?: string;
}

export async function addComment(scope: Scope, hooks: KernelHooks, ticketId: string, body: NewComment): Promise<CommentRecord> {
  return scope.transactional((tx) => addCommentInTransaction(scope, hooks, tx, ticketId, body));
}

/** Adds a comment by `scope.actor` inside an open transaction (plugins compose it with their own writes). */
export async function addCommentInTransaction(scope: Scope, hooks: KernelHooks, tx: TransactionContext, ticketId: string, body: NewComment): Promise<CommentRecord> {
  const internal = body.internal ?? false;
  if (internal && !seesInternalNotes(scope.actor)) {
    throw new TicketOpsError('forbidden', 'Only agents may write internal notes', { details: [{ pointer: '/body/internal', message: 'needs tickets.notes.write' }] });
  }
  const ticket = await getTicket(scope, tx.em, ticketId, { lock: true });
  const ctx = { tenantId: scope.tenantId, actor: scope.actor, requestId: scope.requestId, em: tx.em, emit: tx.emit };
  const input = await hooks.comment.beforeCreate.promise({ ticketId, body: body.body, internal, channel: body.channel ?? 'api' }, ctx);
  if (!input.body.trim()) throw new TicketOpsError('invalid_input', 'A comment needs a body', { details: [{ pointer: '/body/body', message: 'must not be empty' }] });
  const id = newId('cmt');
  const [row] = await sql(tx.em, `insert into comment (id, tenant_id, ticket_id, author_id, body, internal, channel) values (?, ?, ?, ?, ?, ?, ?) returning *`, [
    id, scope.tenantId, ticketId, scope.actor.userId, input.body, input.internal, input.channel,
  ]);
  // The first public reply by a person other than the requester is the first response (an
  // automatic reply by the system is not).
  const staffReply = !input.internal && scope.actor.kind === 'user' && seesAllTickets(scope.actor) && scope.actor.userId !== ticket.requesterId;
  await sql(
    tx.em,
    `update ticket set updated_at = now()${staffReply && !ticket.firstResponseAt ? ', first_response_at = now()' : ''} where tenant_id = ? and id = ?`,
    [scope.tenantId, ticketId],
  );
  const comment = toComment(row as Record<string, unknown>);
  await hooks.comment.afterCreate.promise(comment, ctx);
  await announce(
    tx,
    { kind: 'comment.created', tenantId: scope.tenantId, ticketId, commentId: id, internal: comment.internal, requesterId: ticket.requesterId, organizationId: ticket.organizationId, actorId: scope.actor.userId },
    { name: 'comment.created', payload: { ticketId, commentId: id, internal: comment.internal } },
  );
  if (seesAllTickets(scope.actor)) await emitMentions(tx, scope, ticketId, id, input.body);
  await reopenOnRequesterReply(scope, hooks, tx, ticket, comment.internal);
  return comment;
}

async function emitMentions(tx: { em: EntityManager; emit: (name: string, payload: Record<string, unknown>) => Promise<void> }, scope: Scope, ticketId: string, commentId: string, body: string) {
  const m = parseMentions(body);
  if (!m.userIds.length && !m.groupIds.length && !m.emails.length) return;
  // Only staff of this tenant can be mentioned; anything else in the text is left alone.
  const users = await sql<{ id: string }>(
    tx.em,
    `select id from app_user where tenant_id = ? and role <> 'customer' and active and (id = any(?::text[]) or lower(email) = any(?::text[]))`,
    [scope.tenantId, `{${m.userIds.join(',')}}`, `{${m.emails.map((e) => `"${e}"`).join(',')}}`],
  );
  const groups = await sql<{ id: string }>(tx.em, 'select id from agent_group where tenant_id = ? and id = any(?::text[])', [scope.tenantId, `{${m.groupIds.join(',')}}`]);
  if (users.length || groups.length) {
    await tx.emit('comment.mentioned', { ticketId, commentId, userIds: users.map((u) => u.id), groupIds: groups.map((g) => g.id) });
  }
}

/** Comments in order; people without `tickets.notes.read` never see internal notes. */
export async function listComments(scope: Scope, ticketId: string, page: { limit: number; after?: string | null }): Promise<{ items: CommentRecord[]; hasMore: boolean }> {
  await getTicket(scope, scope.em, ticketId);
  const notes = seesInternalNotes(scope.actor);
  const rows = await sql(
    scope.em,
    `select id, ticket_id, author_id, body, internal, channel, created_at from comment
      where tenant_id = ? and ticket_id = ?${notes ? '' : ' and not internal'}${page.after ? ' and id > ?' : ''} order by id limit ?`,
    [scope.tenantId, ticketId, ...(page.after ? [page.after] : []), page.limit + 1],
  );
  return { items: rows.slice(0, page.limit).map(toComment), hasMore: rows.length > page.limit };
}
