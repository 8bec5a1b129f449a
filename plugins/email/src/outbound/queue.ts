import type { Scope } from '@ticketops/plugin-sdk';
import type { Composed } from './compose.ts';
import { newId, sql } from './db.ts';

/** Emitted once per queued message; the `deliver` subscriber sends it (pg-boss retries with backoff). */
export const OUTBOX_QUEUED = 'email.outbox.queued';

const bare = (id: string) => id.replace(/^<|>$/g, '');

/**
 * Writes the rendered messages to the outbox, records their Message-IDs for threading and queues
 * their delivery — one transaction, so a message is either queued and known, or neither. A row
 * whose dedupe key exists (a redelivered event) is skipped and not delivered again.
 */
export async function enqueue(scope: Scope, ticketId: string, commentId: string | null, messages: Composed[]): Promise<string[]> {
  if (!messages.length) return [];
  return scope.transactional(async (tx) => {
    const queued: string[] = [];
    for (const { notice, recipient, envelope } of messages) {
      const id = newId('eob');
      const [row] = await sql<{ id: string }>(
        tx.em,
        `insert into email_outbox (id, tenant_id, dedupe_key, kind, ticket_id, comment_id, recipient_id, to_address, message_id, envelope)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb) on conflict (tenant_id, dedupe_key) do nothing returning id`,
        [id, scope.tenantId, notice.dedupeKey, notice.kind, ticketId, commentId, recipient.id, envelope.to.address, bare(envelope.messageId), JSON.stringify(envelope)],
      );
      if (!row) continue;
      await sql(
        tx.em,
        `insert into email_message (id, tenant_id, direction, message_id, ticket_id, comment_id) values (?, ?, 'out', ?, ?, ?) on conflict (tenant_id, message_id) do nothing`,
        [newId('emm'), scope.tenantId, bare(envelope.messageId), ticketId, commentId],
      );
      await tx.emit(OUTBOX_QUEUED, { outboxId: id });
      queued.push(id);
    }
    return queued;
  });
}
