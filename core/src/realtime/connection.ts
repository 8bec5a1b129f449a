import type { WebSocket } from 'ws';
import type { Principal } from '../auth/authenticate.ts';
import type { TicketFilter } from '../tickets/search/filters.ts';
import type { Statement } from '../tickets/sql.ts';
import type { Audience } from '../tickets/visibility.ts';

/** One authenticated socket and what it listens to. State here is per connection, never shared. */
export interface StreamConnection {
  socket: WebSocket;
  principal: Principal;
  audience: Audience;
  /** Staff with tickets.notes.read: may hear about internal notes and presence. */
  staff: boolean;
  tickets: Set<string>;
  /** Saved views subscribed to, with their filters (re-evaluated for each changed ticket). */
  views: Map<string, TicketFilter>;
  /** Live counts of those views (`view-counts.ts`): the viewer's count query and the number last sent. */
  viewCounts: Map<string, ViewCountState>;
  mine: boolean;
  alive: boolean;
  /** Token bucket for client messages. */
  budget: number;
  budgetAt: number;
}

/** One subscribed view's count as this connection sees it. */
export interface ViewCountState {
  /** Equal keys mean equal queries (same view, filter and visibility): one query serves them all. */
  key: string;
  statement: Statement;
  /** The count last sent to this connection; null until one was. */
  sent: number | null;
}

const MAX_BUFFERED_BYTES = 1024 * 1024;
const MESSAGES_PER_SECOND = 20;

/** Sends unless the client has fallen too far behind; a slow consumer is dropped, not buffered forever. */
export function send(conn: StreamConnection, message: Record<string, unknown>): void {
  if (conn.socket.readyState !== conn.socket.OPEN) return;
  if (conn.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
    conn.socket.close(1013, 'consumer too slow');
    return;
  }
  conn.socket.send(JSON.stringify(message));
}

/** Token bucket: `MESSAGES_PER_SECOND` sustained, bursts up to the same. */
export function allowMessage(conn: StreamConnection): boolean {
  const now = Date.now();
  conn.budget = Math.min(MESSAGES_PER_SECOND, conn.budget + ((now - conn.budgetAt) / 1000) * MESSAGES_PER_SECOND);
  conn.budgetAt = now;
  if (conn.budget < 1) return false;
  conn.budget -= 1;
  return true;
}
