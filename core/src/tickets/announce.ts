import type { TransactionContext } from '@ticketops/plugin-sdk';
import { sql } from './sql.ts';

/** Channel carrying realtime notices between nodes (PostgreSQL LISTEN/NOTIFY; ids only, never content). */
export const STREAM_CHANNEL = 'ticketops_stream';

export interface StreamNotice {
  kind: 'ticket.created' | 'ticket.updated' | 'ticket.deleted' | 'comment.created';
  tenantId: string;
  ticketId: string;
  commentId?: string;
  internal?: boolean;
  /** Who may see it is decided by the stream per subscriber, from these and the actor's rights. */
  requesterId: string | null;
  organizationId: string | null;
  actorId: string | null;
  changes?: string[];
}

/**
 * Emits the domain event (delivered after commit to subscribers) and queues the realtime notice
 * (NOTIFY is transactional too: listeners hear it only if and when the transaction commits).
 */
export async function announce(tx: TransactionContext, notice: StreamNotice, event: { name: string; payload: Record<string, unknown> }): Promise<void> {
  await tx.emit(event.name, event.payload);
  await sql(tx.em, 'select pg_notify(?, ?)', [STREAM_CHANNEL, JSON.stringify(notice)]);
}
