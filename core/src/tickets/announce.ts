import type { TransactionContext } from '@ticketops/plugin-sdk';
import { type Statement, sql, writeTogether } from './sql.ts';

/** Channel carrying realtime notices between nodes (PostgreSQL LISTEN/NOTIFY; ids only, never content). */
export const STREAM_CHANNEL = 'ticketops_stream';

/** Progress of a background bulk operation, sent to the actor who started it. */
export interface BulkProgressNotice {
  kind: 'bulk.progress';
  tenantId: string;
  jobId: string;
  actorId: string | null;
  done: number;
  total: number;
  state: 'running' | 'completed' | 'failed';
}

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

/** Queues a realtime notice in `em`'s transaction (or at once, outside one). Payloads stay small: ids. */
export async function notify(em: import('@mikro-orm/sql').EntityManager, notice: StreamNotice | BulkProgressNotice): Promise<void> {
  const statement = notifyStatement(notice);
  await sql(em, statement.text, statement.params);
}

export function notifyStatement(notice: StreamNotice | BulkProgressNotice): Statement {
  return { text: 'select pg_notify(?, ?)', params: [STREAM_CHANNEL, JSON.stringify(notice)] };
}

/**
 * Emits the domain event (delivered after commit to subscribers) and queues the realtime notice
 * (NOTIFY is transactional too: listeners hear it only if and when the transaction commits).
 * `alsoWrite` are the change's other side-effect writes, sent in the same round trip.
 */
export async function announce(
  tx: TransactionContext, notice: StreamNotice, event: { name: string; payload: Record<string, unknown> }, alsoWrite: (Statement | null)[] = [],
): Promise<void> {
  await tx.emit(event.name, event.payload);
  await writeTogether(tx.em, [...alsoWrite, notifyStatement(notice)]);
}
