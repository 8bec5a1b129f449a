import type { EntityManager } from '@mikro-orm/sql';
import { pgArray, sql } from './db.ts';

/** What the notifications of one event need to know, read with the tenant stated explicitly. */
export interface TicketFacts {
  id: string;
  number: number;
  title: string;
  status: string;
  statusCategory: string;
  priority: string;
  requesterId: string | null;
  assigneeId: string | null;
  channel: string;
}

export interface Person {
  id: string;
  email: string;
  name: string;
  role: string;
  active: boolean;
}

export interface CommentFacts {
  id: string;
  authorId: string | null;
  body: string;
  internal: boolean;
}

export async function ticketFacts(em: EntityManager, tenantId: string, ticketId: string): Promise<TicketFacts | null> {
  const [r] = await sql<Record<string, any>>(
    em,
    `select id, number, title, status, status_category, priority, requester_id, assignee_id, channel
       from ticket where tenant_id = ? and id = ? and deleted_at is null`,
    [tenantId, ticketId],
  );
  return r
    ? { id: r.id, number: Number(r.number), title: r.title, status: r.status, statusCategory: r.status_category, priority: r.priority, requesterId: r.requester_id, assigneeId: r.assignee_id, channel: r.channel }
    : null;
}

export async function commentFacts(em: EntityManager, tenantId: string, commentId: string): Promise<CommentFacts | null> {
  const [r] = await sql<Record<string, any>>(em, 'select id, author_id, body, internal from comment where tenant_id = ? and id = ?', [tenantId, commentId]);
  return r ? { id: r.id, authorId: r.author_id, body: r.body, internal: r.internal } : null;
}

export async function people(em: EntityManager, tenantId: string, ids: (string | null)[]): Promise<Map<string, Person>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (!wanted.length) return new Map();
  const rows = await sql<Person>(em, 'select id, email, name, role, active from app_user where tenant_id = ? and id = any(?::text[])', [tenantId, pgArray(wanted)]);
  return new Map(rows.map((p) => [p.id, p]));
}

/** Staff watching the ticket (customers never get staff notifications). */
export async function watcherIds(em: EntityManager, tenantId: string, ticketId: string): Promise<string[]> {
  const rows = await sql<{ user_id: string }>(em, 'select user_id from ticket_watcher where tenant_id = ? and ticket_id = ?', [tenantId, ticketId]);
  return rows.map((r) => r.user_id);
}

/** Who made the ticket's latest change of `field` (the actor of an update event), or null (the system). */
export async function lastActorOf(em: EntityManager, tenantId: string, ticketId: string, field: string): Promise<string | null> {
  const [r] = await sql<{ actor_id: string | null }>(
    em,
    'select actor_id from ticket_history where tenant_id = ? and ticket_id = ? and field = ? order by created_at desc, id desc limit 1',
    [tenantId, ticketId, field],
  );
  return r?.actor_id ?? null;
}
