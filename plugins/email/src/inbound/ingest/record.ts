import type { TransactionContext } from '@ticketops/plugin-sdk';
import { newId, sql } from '../db.ts';
import type { AuthVerdict } from './auth.ts';
import type { ThreadReason } from './thread.ts';

/**
 * Claims a Message-ID for this tenant inside the ingest transaction. The unique key makes a second
 * ingest of the same message (a re-delivery, an IMAP re-sync, a crash before the server was told)
 * wait for the first to commit and then find the row: exactly one ticket change per message.
 */
export async function claimMessageId(tx: TransactionContext, tenantId: string, messageId: string): Promise<string | null> {
  const rows = await sql<{ id: string }>(
    tx.em,
    `insert into email_message (id, tenant_id, direction, message_id) values (?, ?, 'in', ?) on conflict (tenant_id, message_id) do nothing returning id`,
    [newId('emm'), tenantId, messageId],
  );
  return rows[0]?.id ?? null;
}

export interface InboundRow {
  tenantId: string;
  messageId: string;
  emailMessageId: string;
  source: string;
  mailboxId: string | null;
  kind: 'ticket' | 'comment' | 'bounce' | 'ignored';
  ticketId: string | null;
  commentId: string | null;
  sender: string | null;
  subject: string | null;
  /** To and Cc of the mail's header (not the envelope). */
  recipients: { to: { name: string; address: string }[]; cc: { name: string; address: string }[] } | null;
  /** The Date header, when it is a date. */
  sentAt: Date | null;
  thread: ThreadReason;
  auto: string[] | null;
  auth: AuthVerdict;
  fullText: string | null;
  raw: Buffer;
  /** The mail has files for the attachments plugin: recorded as due, so a crash before the hand-over finishes is recovered. */
  attachmentsDue?: boolean;
}

/** How long the ingesting process has to hand the files over before the recovery job may take them. */
export const ATTACHMENTS_LEASE = "interval '5 minutes'";

/** Links the claimed email_message row to its ticket change and stores the inbound details. */
export async function recordInbound(tx: TransactionContext, row: InboundRow): Promise<string> {
  await sql(tx.em, 'update email_message set ticket_id = ?, comment_id = ? where id = ?', [row.ticketId, row.commentId, row.emailMessageId]);
  const id = newId('emi');
  await sql(
    tx.em,
    `insert into email_inbound (id, tenant_id, message_id, source, mailbox_id, kind, ticket_id, comment_id, sender, subject, recipients, sent_at, thread, auto, auth, full_text, raw, attachments_due)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${row.attachmentsDue ? `now() + ${ATTACHMENTS_LEASE}` : 'null'})`,
    [
      id, row.tenantId, row.messageId, row.source, row.mailboxId, row.kind, row.ticketId, row.commentId, row.sender?.slice(0, 320) ?? null,
      row.subject?.slice(0, 1000) ?? null, row.recipients ? JSON.stringify(row.recipients) : null, row.sentAt, JSON.stringify(row.thread), row.auto ? JSON.stringify(row.auto) : null, JSON.stringify(row.auth), row.fullText, row.raw,
    ],
  );
  return id;
}

export async function existingInbound(em: TransactionContext['em'], tenantId: string, messageId: string): Promise<{ ticketId: string | null; commentId: string | null } | null> {
  const rows = await sql<{ ticket_id: string | null; comment_id: string | null }>(em, 'select ticket_id, comment_id from email_message where tenant_id = ? and message_id = ?', [tenantId, messageId]);
  return rows[0] ? { ticketId: rows[0].ticket_id, commentId: rows[0].comment_id } : null;
}
