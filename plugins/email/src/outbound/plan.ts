import type { EntityManager } from '@mikro-orm/sql';
import { sql } from './db.ts';
import { type CommentFacts, type TicketFacts, commentFacts, lastActorOf, ticketFacts, watcherIds } from './facts.ts';
import type { NotificationKind } from './notifications.ts';

/** One notification to one user, before recipients are filtered and the message is rendered. */
export interface Notice {
  kind: NotificationKind;
  userId: string;
  /** Unique per notification: a redelivered event finds its row already queued. */
  dedupeKey: string;
  /** Who caused it (comment author, assigning agent), never notified about their own act; null = the system. */
  actorId: string | null;
  /** RFC 3834: `auto-replied` for an automatic answer to a mail, `auto-generated` for notifications, null for a person's reply. */
  autoSubmitted: 'auto-generated' | 'auto-replied' | null;
}

export interface Plan {
  ticket: TicketFacts;
  comment: CommentFacts | null;
  notices: Notice[];
}

/** `@user:<id>` mentions (what the console inserts); those users get the mention mail instead. */
const mentioned = (body: string) => new Set([...body.matchAll(/@user:([a-z]+_[a-z0-9]+)/g)].map((m) => m[1] as string));

export async function planTicketCreated(em: EntityManager, tenantId: string, ticketId: string): Promise<Plan | null> {
  const ticket = await ticketFacts(em, tenantId, ticketId);
  if (!ticket) return null;
  const notices: Notice[] = [];
  const [blocked] = await sql(em, 'select 1 from email_ack_suppressed where tenant_id = ? and ticket_id = ?', [tenantId, ticketId]);
  if (ticket.requesterId && !blocked) {
    notices.push({
      kind: 'ticket-created', userId: ticket.requesterId, dedupeKey: `ticket-created:${ticket.id}`, actorId: null,
      // A ticket opened by a mail gets an automatic reply; one opened elsewhere a notification.
      autoSubmitted: ticket.channel === 'email' ? 'auto-replied' : 'auto-generated',
    });
  }
  // Assigned at creation: unless the assignee changed since (then that update's event tells them).
  if (ticket.assigneeId && !(await sql(em, "select 1 from ticket_history where tenant_id = ? and ticket_id = ? and field = 'assigneeId' limit 1", [tenantId, ticketId])).length) {
    const actorId = await lastActorOf(em, tenantId, ticketId, 'created');
    notices.push({ kind: 'ticket-assigned', userId: ticket.assigneeId, dedupeKey: `ticket-assigned:${ticket.id}:created`, actorId, autoSubmitted: 'auto-generated' });
  }
  return { ticket, comment: null, notices };
}

export async function planTicketUpdated(em: EntityManager, tenantId: string, eventId: string, ticketId: string, changes: string[]): Promise<Plan | null> {
  if (!changes.includes('assigneeId') && !changes.includes('status')) return null;
  const ticket = await ticketFacts(em, tenantId, ticketId);
  if (!ticket) return null;
  const notices: Notice[] = [];
  if (changes.includes('assigneeId') && ticket.assigneeId) {
    const actorId = await lastActorOf(em, tenantId, ticketId, 'assigneeId');
    notices.push({ kind: 'ticket-assigned', userId: ticket.assigneeId, dedupeKey: `ticket-assigned:${ticket.id}:${eventId}`, actorId, autoSubmitted: 'auto-generated' });
  }
  if (changes.includes('status') && ticket.statusCategory === 'solved' && ticket.requesterId) {
    const actorId = await lastActorOf(em, tenantId, ticketId, 'status');
    notices.push({ kind: 'ticket-solved', userId: ticket.requesterId, dedupeKey: `ticket-solved:${ticket.id}:${eventId}`, actorId, autoSubmitted: 'auto-generated' });
  }
  return { ticket, comment: null, notices };
}

/**
 * A public reply by staff (or the system) goes to the requester; every comment — internal notes
 * too — goes to the assignee and staff watchers (customers are filtered out later, by audience).
 */
export async function planCommentCreated(em: EntityManager, tenantId: string, ticketId: string, commentId: string, isStaff: (userId: string) => Promise<boolean>): Promise<Plan | null> {
  const [ticket, comment] = await Promise.all([ticketFacts(em, tenantId, ticketId), commentFacts(em, tenantId, commentId)]);
  if (!ticket || !comment) return null;
  const notices: Notice[] = [];
  // A reply by the system (automation) or by staff; a customer's own reply (or a colleague's) is not an agent reply.
  const byStaff = comment.authorId === null || (await isStaff(comment.authorId));
  if (!comment.internal && ticket.requesterId && byStaff) {
    notices.push({
      kind: 'agent-reply', userId: ticket.requesterId, dedupeKey: `agent-reply:${comment.id}`, actorId: comment.authorId,
      autoSubmitted: comment.authorId ? null : 'auto-generated',
    });
  }
  const skip = mentioned(comment.body);
  const staff = new Set([ticket.assigneeId, ...(await watcherIds(em, tenantId, ticketId))].filter((id): id is string => !!id && !skip.has(id)));
  for (const userId of staff) {
    notices.push({ kind: 'ticket-comment', userId, dedupeKey: `ticket-comment:${comment.id}:${userId}`, actorId: comment.authorId, autoSubmitted: 'auto-generated' });
  }
  return { ticket, comment, notices };
}

export async function planMention(em: EntityManager, tenantId: string, ticketId: string, commentId: string, userIds: string[]): Promise<Plan | null> {
  const [ticket, comment] = await Promise.all([ticketFacts(em, tenantId, ticketId), commentFacts(em, tenantId, commentId)]);
  if (!ticket || !comment) return null;
  const notices = [...new Set(userIds)].map(
    (userId): Notice => ({ kind: 'agent-mention', userId, dedupeKey: `agent-mention:${comment.id}:${userId}`, actorId: comment.authorId, autoSubmitted: 'auto-generated' }),
  );
  return { ticket, comment, notices };
}
