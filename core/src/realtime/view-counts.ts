import type { Kernel } from '../kernel/kernel.ts';
import type { StreamNotice } from '../tickets/announce.ts';
import { viewCountStatement } from '../tickets/routes/views.ts';
import type { FilterContext, TicketFilter } from '../tickets/search/filters.ts';
import type { Statement } from '../tickets/sql.ts';
import { type StreamConnection, type ViewCountState, send } from './connection.ts';

/**
 * Live counts of subscribed saved views (`view.count` messages).
 *
 * A count is always computed with the receiving user's visibility: the query is the view's filter
 * turned into SQL for that viewer (`viewCountStatement`, shared with `GET /views/counts`). Viewers
 * whose query text and values are identical see the same number — agents with the same rights,
 * unless the filter says `me` — so they share one query per process; a customer's query carries
 * their own user (and organization) and is theirs alone.
 *
 * Any ticket notice may move tickets into or out of a view (a ticket leaving a view matches only
 * its old state), so each notice marks the affected subscribed counts dirty and they are counted
 * again: a trailing debounce per query (`debounceMs`) that still fires at most `maxWaitMs` after
 * the first unanswered notice, so a busy desk sees a fresh number about once a second. A notice
 * arriving while the query runs schedules one more. A connection is sent a count only when its
 * number changed. Nothing but the per-connection subscriptions and these timers lives in memory:
 * every process hears every notice (LISTEN/NOTIFY) and counts for its own sockets.
 */
export interface ViewCountTiming {
  debounceMs: number;
  maxWaitMs: number;
}

export const VIEW_COUNT_TIMING: ViewCountTiming = { debounceMs: 250, maxWaitMs: 1000 };

/**
 * Changes that can take a ticket away from a customer other than the one the notice names
 * (a new requester or organization; merged sources, closed, belong to their own requesters).
 */
const MOVES_BETWEEN_CUSTOMERS = new Set(['requesterId', 'organizationId', 'merged']);

/** One shared count query: its subscribers are the connections whose state carries `key`. */
interface PendingCount {
  key: string;
  tenantId: string;
  viewId: string;
  statement: Statement;
  /** When the oldest notice not yet answered by a started query arrived. */
  firstAt: number;
  timer: NodeJS.Timeout | null;
  running: boolean;
  /** A notice arrived while the query ran (the time it did): count once more afterwards. */
  dirtySince: number | null;
}

export interface ViewCounts {
  /** After `subscribed`: registers the view on the connection and sends its current count. */
  subscribe(conn: StreamConnection, viewId: string, filter: TicketFilter): Promise<void>;
  unsubscribe(conn: StreamConnection, viewId: string): void;
  /** A ticket notice reached this process: recount (coalesced) what it may have changed. */
  noticed(notice: StreamNotice): void;
  /** Notices may have been missed (the LISTEN connection reconnected): recount everything subscribed. */
  recountAll(): void;
  /** A connection closed: drop pending counts nobody waits for any more. */
  forget(conn: StreamConnection): void;
  close(): void;
}

export function filterContextOf(conn: StreamConnection, listFields?: FilterContext['listFields']): FilterContext {
  return { tenantId: conn.principal.tenantId, actorUserId: conn.principal.actor.userId, audience: conn.audience, searchNotes: conn.staff, listFields };
}

export function createViewCounts(kernel: Kernel, connections: ReadonlySet<StreamConnection>, timing: ViewCountTiming = VIEW_COUNT_TIMING): ViewCounts {
  const pending = new Map<string, PendingCount>();
  let closed = false;

  const count = async (statement: Statement) => {
    const [row] = await kernel.db.query<{ n: number }>(statement.text, statement.params);
    return row?.n ?? 0;
  };

  const holders = function* (tenantId: string, viewId: string, key: string) {
    for (const conn of connections) {
      if (conn.principal.tenantId !== tenantId) continue;
      const state = conn.viewCounts.get(viewId);
      if (state?.key === key) yield { conn, state };
    }
  };

  function arm(p: PendingCount) {
    if (p.timer) clearTimeout(p.timer);
    const wait = Math.max(0, Math.min(timing.debounceMs, p.firstAt + timing.maxWaitMs - Date.now()));
    p.timer = setTimeout(() => void run(p), wait);
    p.timer.unref();
  }

  async function run(p: PendingCount) {
    p.timer = null;
    if (holders(p.tenantId, p.viewId, p.key).next().done) {
      pending.delete(p.key);
      return;
    }
    p.running = true;
    try {
      const n = await count(p.statement);
      if (!closed) {
        for (const { conn, state } of holders(p.tenantId, p.viewId, p.key)) deliver(conn, p.viewId, state, n);
      }
    } catch (error) {
      kernel.logger.warn({ err: error, viewId: p.viewId }, 'view count failed');
    } finally {
      p.running = false;
      if (!closed && p.dirtySince !== null) {
        p.firstAt = p.dirtySince;
        p.dirtySince = null;
        arm(p);
      } else {
        pending.delete(p.key);
      }
    }
  }

  function schedule(tenantId: string, viewId: string, state: ViewCountState) {
    const existing = pending.get(state.key);
    if (existing?.running) {
      existing.dirtySince ??= Date.now();
      return;
    }
    const p = existing ?? { key: state.key, tenantId, viewId, statement: state.statement, firstAt: Date.now(), timer: null, running: false, dirtySince: null };
    pending.set(p.key, p);
    arm(p);
  }

  function deliver(conn: StreamConnection, viewId: string, state: ViewCountState, n: number) {
    if (state.sent === n) return;
    state.sent = n;
    send(conn, { type: 'view.count', viewId, count: n });
  }

  /** Whether a notice can change what this connection counts (customers: only their own tickets). */
  function concerns(conn: StreamConnection, notice: StreamNotice): boolean {
    const { audience } = conn;
    if (audience.all) return true;
    if (notice.changes?.some((c) => MOVES_BETWEEN_CUSTOMERS.has(c))) return true;
    return (audience.userId !== null && notice.requesterId === audience.userId) || (audience.organizationId !== null && notice.organizationId === audience.organizationId);
  }

  return {
    async subscribe(conn, viewId, filter) {
      const statement = viewCountStatement(filter, filterContextOf(conn, kernel.declarations.listFields));
      const state: ViewCountState = { key: JSON.stringify([viewId, statement.text, statement.params]), statement, sent: null };
      conn.viewCounts.set(viewId, state);
      const n = await count(statement);
      // Unsubscribed or subscribed again meanwhile, or a recount already told this connection.
      if (closed || conn.viewCounts.get(viewId) !== state || state.sent !== null) return;
      deliver(conn, viewId, state, n);
    },

    unsubscribe(conn, viewId) {
      conn.viewCounts.delete(viewId);
    },

    noticed(notice) {
      if (closed) return;
      for (const conn of connections) {
        if (conn.principal.tenantId !== notice.tenantId || conn.viewCounts.size === 0 || !concerns(conn, notice)) continue;
        for (const [viewId, state] of conn.viewCounts) schedule(notice.tenantId, viewId, state);
      }
    },

    recountAll() {
      if (closed) return;
      for (const conn of connections) for (const [viewId, state] of conn.viewCounts) schedule(conn.principal.tenantId, viewId, state);
    },

    forget(conn) {
      for (const [viewId, state] of conn.viewCounts) {
        const p = pending.get(state.key);
        if (!p || p.running || !holders(p.tenantId, viewId, p.key).next().done) continue;
        if (p.timer) clearTimeout(p.timer);
        pending.delete(p.key);
      }
      conn.viewCounts.clear();
    },

    close() {
      closed = true;
      for (const p of pending.values()) if (p.timer) clearTimeout(p.timer);
      pending.clear();
    },
  };
}
