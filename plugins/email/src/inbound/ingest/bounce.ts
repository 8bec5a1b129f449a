import type { Scope, TicketsService } from '@ticketops/plugin-sdk';
import { recordBounce } from '../../outbound/bounces.ts';
import { sql } from '../db.ts';
import type { IngestResult } from './ingest.ts';
import { bouncedMessageIds } from './noise.ts';
import { type InboundRow, claimMessageId, recordInbound } from './record.ts';

type Base = Omit<InboundRow, 'emailMessageId' | 'kind' | 'ticketId' | 'commentId' | 'thread' | 'auto'>;

/** What the DSN says about the failed delivery (RFC 3464 fields), cut to a sane length. */
export function bounceDetails(raw: Buffer, headerBytes: number): { recipient: string | null; status: string | null; diagnostic: string | null } {
  const body = raw.subarray(headerBytes, headerBytes + 512 * 1024).toString('latin1');
  const field = (name: string) => new RegExp(`^${name}:\\s*([^\\r\\n]{1,500})`, 'im').exec(body)?.[1]?.trim() ?? null;
  const recipient = field('Final-Recipient')?.replace(/^rfc822;\s*/i, '').toLowerCase() ?? field('Original-Recipient')?.replace(/^rfc822;\s*/i, '').toLowerCase() ?? null;
  return { recipient, status: field('Status'), diagnostic: field('Diagnostic-Code') };
}

/**
 * A mailer-daemon's report goes to the ticket of the message it bounces (found by the original
 * Message-ID quoted inside), as an internal note by the system, and is recorded as a bounce.
 * Null when it names no message of ours (the caller keeps it aside).
 */
export async function handleBounce(scope: Scope, tickets: TicketsService, base: Base, raw: Buffer, headerBytes: number, fullText: string): Promise<IngestResult | null> {
  const ids = bouncedMessageIds(raw, headerBytes).filter((id) => id !== base.messageId);
  if (ids.length === 0) return null;
  const rows = await sql<{ ticket_id: string; message_id: string }>(
    scope.em,
    `select ticket_id, message_id from email_message where tenant_id = ? and ticket_id is not null and message_id in (${ids.map(() => '?').join(', ')})
     order by direction = 'out' desc, created_at desc limit 1`,
    [base.tenantId, ...ids],
  );
  const original = rows[0];
  if (!original) return null;
  const details = bounceDetails(raw, headerBytes);
  return scope.transactional(async (tx): Promise<IngestResult> => {
    const claimed = await claimMessageId(tx, base.tenantId, base.messageId);
    if (!claimed) return { status: 'duplicate', messageId: base.messageId, ticketId: original.ticket_id, commentId: null };
    const lines = [`Delivery failed${details.recipient ? ` to ${details.recipient}` : ''}.`, details.status && `Status: ${details.status}`, details.diagnostic && `Diagnostic: ${details.diagnostic}`];
    const body = lines.filter(Boolean).join('\n\n').replace(/</g, '\\<');
    const comment = await tickets.comment(scope, original.ticket_id, { body: body || fullText.slice(0, 2000), internal: true, channel: 'email' }, { tx });
    const thread = { by: 'bounce', messageId: original.message_id } as const;
    await recordInbound(tx, { ...base, emailMessageId: claimed, kind: 'bounce', ticketId: original.ticket_id, commentId: comment.id, thread, auto: ['bounce'] });
    // In the same transaction: outbound stops mailing the failed address.
    if (details.recipient) await recordBounce(tx.em, base.tenantId, details.recipient, details.diagnostic ?? details.status ?? 'bounced');
    return { status: 'bounce', messageId: base.messageId, ticketId: original.ticket_id, commentId: comment.id, thread, auto: ['bounce'] };
  });
}
