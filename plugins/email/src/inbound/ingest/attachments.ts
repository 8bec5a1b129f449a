import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import type { Scope } from '@ticketops/plugin-sdk';
import type { Attachment } from 'postal-mime';
import { sql } from '../db.ts';
import type { IngestDeps } from './ingest.ts';

/** The part of the attachments plugin's service this part uses (resolved defensively: it is optional). */
export interface AttachmentHandoff {
  upload(scope: Scope, stream: Readable, headers: IncomingHttpHeaders, target: { ticketId?: string; commentId?: string }): Promise<{ id: string }>;
}

/** A file name safe for a multipart header: no quotes, no line breaks. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const safeName = (a: Attachment, i: number) => (a.filename ?? `${a.related ? 'inline' : 'attachment'}-${i + 1}${a.mimeType === 'text/calendar' ? '.ics' : ''}`).replace(/["\\\r\n\u0000-\u001f]/g, '_').slice(0, 200);

/** One file as the multipart/form-data upload the attachments plugin takes. */
function asUpload(bytes: Uint8Array, filename: string, type: string): { stream: Readable; headers: IncomingHttpHeaders } {
  const boundary = `ticketops-email-${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type.replace(/[^\w.+/-]/g, '') || 'application/octet-stream'}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const body = Buffer.concat([head, bytes, tail]);
  const stream = Readable.from([body]);
  // The attachments plugin reads an HTTP request and checks `complete` to tell a finished upload from a cut one.
  Object.defineProperty(stream, 'complete', { get: () => stream.readableEnded });
  return { stream, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(body.length) } };
}

type Outcome = { name: string; contentId?: string; attachmentId?: string; error?: string };

/**
 * Hands the mail's files (inline images, calendar invites, winmail.dat included) to the
 * attachments plugin, as the sender, on the new ticket or comment, after the ingest committed.
 * A refused file (type, size, quota, virus) is noted with the message and does not fail it.
 *
 * Crash-safe: the ingest recorded the files as due (`attachments_due`); each file's outcome is
 * written as soon as it is known, and a hand-over resumed by the recovery job skips the files
 * already recorded. Only a crash between one file's upload and its note repeats that one file.
 */
export async function handOffAttachments(
  deps: IngestDeps,
  tenantId: string,
  userId: string,
  messageId: string,
  target: { ticketId: string | null; commentId: string | null },
  files: Attachment[],
): Promise<void> {
  const service = deps.attachments;
  const note = (outcomes: Outcome[], done: boolean) =>
    deps.forTenant(tenantId, (scope) =>
      sql(scope.em, `update email_inbound set attachments = ?${done ? ', attachments_due = null' : ''} where tenant_id = ? and message_id = ?`, [JSON.stringify(outcomes), tenantId, messageId]),
    );
  if (!service || !target.ticketId) return void (await note([], true));
  const recorded = await deps.forTenant(tenantId, (scope) => sql<{ attachments: Outcome[] | null }>(scope.em, 'select attachments from email_inbound where tenant_id = ? and message_id = ?', [tenantId, messageId]));
  const outcomes: Outcome[] = recorded[0]?.attachments ?? [];
  await deps.forUser(tenantId, userId, async (scope) => {
    for (const [i, file] of files.slice(0, 50).entries()) {
      if (i < outcomes.length) continue;
      const name = safeName(file, i);
      const bytes = typeof file.content === 'string' ? Buffer.from(file.content, file.encoding === 'base64' ? 'base64' : 'utf8') : new Uint8Array(file.content);
      try {
        const { stream, headers } = asUpload(bytes, name, file.mimeType);
        const saved = await service.upload(scope, stream, headers, { ticketId: target.ticketId ?? undefined, commentId: target.commentId ?? undefined });
        outcomes.push({ name, contentId: file.contentId, attachmentId: saved.id });
      } catch (error) {
        outcomes.push({ name, contentId: file.contentId, error: (error as Error).message.slice(0, 300) });
        deps.logger.warn({ err: error, messageId, name }, 'email: attachment not kept');
      }
      await note(outcomes, false);
    }
  });
  await note(outcomes, true);
}
