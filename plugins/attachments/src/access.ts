import type { EntityManager } from '@mikro-orm/sql';
import { type Actor, type Scope, TicketOpsError, hasPermission } from '@ticketops/plugin-sdk';
import { sql } from './db.ts';
import type { AttachmentOwners } from './owners.ts';

/** The kernel's visibility rules (docs/architecture.md, tickets/visibility.ts), applied to one ticket. */
export const seesAllTickets = (actor: Actor) => actor.kind === 'system' || hasPermission(actor, 'tickets.read.all');
export const seesInternalNotes = (actor: Actor) => actor.kind === 'system' || hasPermission(actor, 'tickets.notes.read');

export async function canSeeTicket(em: EntityManager, tenantId: string, actor: Actor, ticketId: string): Promise<boolean> {
  if (seesAllTickets(actor)) {
    return (await sql(em, 'select 1 from ticket where tenant_id = ? and id = ? and deleted_at is null', [tenantId, ticketId])).length > 0;
  }
  if (!actor.userId) return false;
  const rows = await sql(
    em,
    `select 1 from ticket t where t.tenant_id = ? and t.id = ? and t.deleted_at is null and (
       t.requester_id = ? or t.organization_id = (
         select u.organization_id from app_user u join organization o on o.id = u.organization_id
         where u.tenant_id = ? and u.id = ? and o.shared_tickets))`,
    [tenantId, ticketId, actor.userId, tenantId, actor.userId],
  );
  return rows.length > 0;
}

/** A comment is visible with its ticket, and an internal note only to `tickets.notes.read`. */
export async function canSeeComment(em: EntityManager, tenantId: string, actor: Actor, ticketId: string, commentId: string): Promise<boolean> {
  const rows = await sql<{ internal: boolean }>(em, 'select internal from comment where tenant_id = ? and id = ? and ticket_id = ?', [tenantId, commentId, ticketId]);
  const row = rows[0];
  if (!row) return false;
  return !row.internal || seesInternalNotes(actor);
}

export interface FileRow {
  id: string;
  tenant_id: string;
  sha256: string;
  ticket_id: string | null;
  comment_id: string | null;
  owner_kind: string | null;
  owner_id: string | null;
  uploaded_by: string | null;
  name: string;
  original_name: string;
  mime: string;
  size: string | number;
  status: 'clean' | 'unscanned' | 'infected';
  signature: string | null;
  created_at: Date;
}

/**
 * An attachment as its reader may see it; anything else — another tenant's, an internal note's for
 * a customer, an owner's the registered kind refuses (or a kind no enabled plugin registered) — is a 404.
 * Files of an owner kind need `owners` and the request's scope (the kind's check runs as that actor).
 */
export async function visibleFile(em: EntityManager, tenantId: string, actor: Actor, id: string, owners?: { scope: Scope; registry: AttachmentOwners }): Promise<FileRow> {
  const rows = await sql<FileRow>(em, 'select * from attachments_file where tenant_id = ? and id = ?', [tenantId, id]);
  const row = rows[0];
  const notFound = new TicketOpsError('not_found', 'Attachment was not found');
  if (!row) throw notFound;
  if (row.owner_kind) {
    const kind = owners?.registry.get(row.owner_kind);
    if (!kind || !(await kind.canRead(owners!.scope, row.owner_id as string))) throw notFound;
  } else if (row.ticket_id) {
    if (!(await canSeeTicket(em, tenantId, actor, row.ticket_id))) throw notFound;
    if (row.comment_id && !(await canSeeComment(em, tenantId, actor, row.ticket_id, row.comment_id))) throw notFound;
  } else if (!(actor.kind === 'system' || (actor.userId !== null && actor.userId === row.uploaded_by))) {
    throw notFound;
  }
  return row;
}

export function toAttachment(row: FileRow) {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    commentId: row.comment_id,
    owner: row.owner_kind ? `${row.owner_kind}:${row.owner_id}` : null,
    name: row.name,
    originalName: row.original_name,
    mimeType: row.mime,
    size: Number(row.size),
    sha256: row.sha256,
    status: row.status,
    uploadedBy: row.uploaded_by,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
