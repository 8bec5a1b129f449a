import type { EntityManager } from '@mikro-orm/sql';
import type { SendMailOptions, Transporter } from 'nodemailer';
import { isSuppressed, recordBounce } from './bounces.ts';
import type { Envelope } from './compose.ts';
import { sql } from './db.ts';

export type DeliveryOutcome = 'sent' | 'retry' | 'failed' | 'bounced' | 'suppressed' | 'skipped';

export interface DeliveryOptions {
  maxAttempts: number;
  isOwnAddress: (address: string) => boolean;
}

/** A claimed row is leased this long; a process that dies mid-send leaves it to be claimed again after. */
const LEASE = "interval '5 minutes'";

/**
 * Delivers one outbox row. The row is claimed with an atomic lease (state `sending`), so several
 * processes never send it twice; the SMTP answer decides its state: sent; a permanent 5xx →
 * bounced (and the address suppressed); anything else → pending again (`retry`: the caller
 * throws so the job queue retries with backoff) until `maxAttempts`, then failed.
 */
export async function deliver(em: EntityManager, tenantId: string, outboxId: string, transport: Transporter, options: DeliveryOptions): Promise<DeliveryOutcome> {
  const [row] = await sql<{ envelope: Envelope | string; attempts: number; to_address: string }>(
    em,
    `update email_outbox set state = 'sending', attempts = attempts + 1, locked_until = now() + ${LEASE}, updated_at = now()
      where tenant_id = ? and id = ? and (state = 'pending' or (state = 'sending' and locked_until < now()))
      returning envelope, attempts, to_address`,
    [tenantId, outboxId],
  );
  if (!row) return 'skipped';
  const envelope = (typeof row.envelope === 'string' ? JSON.parse(row.envelope) : row.envelope) as Envelope;
  if (options.isOwnAddress(row.to_address) || (await isSuppressed(em, tenantId, row.to_address))) {
    await finish(em, tenantId, outboxId, 'suppressed', 'recipient suppressed (own mailbox or recent bounce)');
    return 'suppressed';
  }
  try {
    await transport.sendMail(mailOptions(envelope));
    await finish(em, tenantId, outboxId, 'sent', null);
    return 'sent';
  } catch (error) {
    const e = error as { responseCode?: number; response?: string; message?: string };
    const reason = (e.response ?? e.message ?? String(error)).slice(0, 1000);
    if (e.responseCode && e.responseCode >= 500 && e.responseCode < 600) {
      await em.transactional(async (tem) => {
        await finish(tem, tenantId, outboxId, 'bounced', reason);
        await recordBounce(tem, tenantId, row.to_address, reason);
      });
      return 'bounced';
    }
    if (row.attempts >= options.maxAttempts) {
      await finish(em, tenantId, outboxId, 'failed', reason);
      return 'failed';
    }
    await finish(em, tenantId, outboxId, 'pending', reason);
    return 'retry';
  }
}

/**
 * Delivers up to `limit` of the tenant's queued rows that no job has tried yet, a few at a time
 * over the pooled connections — so a burst of messages does not wait for one job each. Their own
 * jobs then find them taken and skip them. Returns the rows to retry (the caller queues a job for
 * each, since their own may already have passed).
 */
export async function drainFresh(em: EntityManager, tenantId: string, transport: Transporter, options: DeliveryOptions & { limit: number; parallel: number }): Promise<string[]> {
  const rows = await sql<{ id: string }>(
    em,
    "select id from email_outbox where tenant_id = ? and state = 'pending' and attempts = 0 order by created_at limit ?",
    [tenantId, options.limit],
  );
  let next = 0;
  const retry: string[] = [];
  await Promise.all(
    Array.from({ length: Math.min(options.parallel, rows.length) }, async () => {
      while (next < rows.length) {
        const row = rows[next++] as { id: string };
        if ((await deliver(em, tenantId, row.id, transport, options)) === 'retry') retry.push(row.id);
      }
    }),
  );
  return retry;
}

/** What nodemailer gets for a stored envelope (no file or URL access: content is ours, already rendered). */
export function mailOptions(envelope: Envelope): SendMailOptions {
  return {
    from: envelope.from,
    to: envelope.to,
    replyTo: envelope.replyTo,
    subject: envelope.subject,
    html: envelope.html,
    text: envelope.text,
    messageId: envelope.messageId,
    inReplyTo: envelope.inReplyTo ?? undefined,
    references: envelope.references.length ? envelope.references : undefined,
    headers: envelope.headers,
    envelope: { from: envelope.sender, to: envelope.to.address },
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

async function finish(em: EntityManager, tenantId: string, id: string, state: string, error: string | null): Promise<void> {
  await sql(
    em,
    `update email_outbox set state = ?, locked_until = null, updated_at = now(), last_error = coalesce(?, last_error), sent_at = case when ? = 'sent' then now() else sent_at end
      where tenant_id = ? and id = ?`,
    [state, error, state, tenantId, id],
  );
}
