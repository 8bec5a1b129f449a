import type { Comment, Ticket } from './types.ts';

/** What a connection listens to (see docs/realtime.md). */
export type StreamTarget = { ticketId: string } | { viewId: string } | { mine: true };
export type PresenceState = 'viewing' | 'replying';
export type StreamState = 'stopped' | 'connecting' | 'open' | 'waiting';

export interface PresenceUser {
  userId: string;
  name: string;
  state: PresenceState;
}

/** A message from the server, plus `stream.reconnected` which the client adds after a reconnect. */
export interface TicketMessage {
  type: 'ticket.created' | 'ticket.updated' | 'ticket.deleted';
  ticketId: string;
  actorId: string | null;
  /** Names of the changed fields (`ticket.updated`). */
  changes?: string[];
  /** The subscribed views the ticket matches now. */
  viewIds?: string[];
  /** The ticket read after the change (absent once deleted or merged). */
  ticket?: Ticket;
}

export interface CommentMessage {
  type: 'comment.created';
  ticketId: string;
  actorId: string | null;
  viewIds?: string[];
  ticket?: Ticket;
  comment?: Comment;
}

export type StreamMessage =
  | { type: 'ready'; userId: string | null }
  | TicketMessage
  | CommentMessage
  | { type: 'presence'; ticketId: string; users: PresenceUser[] }
  | { type: 'view.count'; viewId: string; count: number }
  | { type: 'bulk.progress'; jobId: string; done: number; total: number; state: 'running' | 'completed' | 'failed' }
  | { type: 'subscribed' | 'unsubscribed'; ticketId?: string; viewId?: string; mine?: boolean }
  | { type: 'error'; code: string; message: string; ticketId?: string; viewId?: string }
  | { type: 'pong' }
  | { type: 'stream.reconnected' };

export interface StreamOptions {
  /** `ws(s)://host/api/v1/stream` of this page's origin unless given. */
  url?: string;
  /**
   * Asked when a connection could not be opened: false when the session is gone (the client then
   * stops trying; the app shows the sign-in form). The console's probe is `GET /me`, whose 401
   * already ends the session in the API client.
   */
  sessionAlive?: () => Promise<boolean>;
  /** Factory, for tests. */
  createSocket?: (url: string) => WebSocket;
}

const keyOf = (target: StreamTarget): string => ('ticketId' in target ? `ticket:${target.ticketId}` : 'viewId' in target ? `view:${target.viewId}` : 'mine');
const ackKeyOf = (message: { ticketId?: string; viewId?: string; mine?: boolean }): string | null =>
  message.ticketId ? `ticket:${message.ticketId}` : message.viewId ? `view:${message.viewId}` : message.mine ? 'mine' : null;

/** Backoff after the n-th failed attempt: 1 s, 2 s, 4 s … 30 s, with ±25 % jitter so tabs do not reconnect in step. */
export function backoff(attempt: number, random = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}

/** The server closes a socket sending more than 20 messages a second; the client stays well below. */
const SEND_BURST = 12;
const SENDS_PER_SECOND = 10;
/** Presence expires after 30 s on the server; it is sent again this often. */
const PRESENCE_EVERY_MS = 15_000;
/** Without any message for this long the socket is presumed dead (half-open) and replaced. */
const SILENCE_MS = 45_000;

interface Subscription {
  target: StreamTarget;
  count: number;
  acked: boolean;
  waiters: (() => void)[];
}

/**
 * The console's one WebSocket on `/api/v1/stream`, shared by every element through
 * `streamContext`. Authenticated by the session cookie (same origin). Subscriptions are counted
 * per target, so elements subscribe and release independently and the server hears each target
 * once; after a reconnect every live subscription and presence is sent again and listeners get
 * `stream.reconnected` (whatever happened meanwhile was missed, so lists read again). Reconnects
 * back off exponentially; when a connection cannot even be opened, the session is checked first
 * and a gone session stops the client instead of retrying. Outgoing messages are paced below the
 * server's limit of 20 a second.
 */
export class StreamClient {
  readonly url: string;
  #state: StreamState = 'stopped';
  #socket: WebSocket | null = null;
  #opened = false;
  #everReady = false;
  #attempt = 0;
  #retry: ReturnType<typeof setTimeout> | null = null;
  #heartbeat: ReturnType<typeof setInterval> | null = null;
  #lastMessageAt = 0;
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #presence = new Map<string, PresenceState>();
  readonly #listeners = new Set<(message: StreamMessage) => void>();
  readonly #stateListeners = new Set<(state: StreamState) => void>();
  readonly #queue: string[] = [];
  #tokens = SEND_BURST;
  #tokensAt = 0;
  #drain: ReturnType<typeof setTimeout> | null = null;
  readonly #sessionAlive: () => Promise<boolean>;
  readonly #createSocket: (url: string) => WebSocket;
  readonly #onOnline = () => {
    if (this.#state === 'waiting') this.#connectNow();
  };

  constructor(options: StreamOptions = {}) {
    this.url = options.url ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/stream`;
    this.#sessionAlive = options.sessionAlive ?? (async () => true);
    this.#createSocket = options.createSocket ?? ((url) => new WebSocket(url));
  }

  get state(): StreamState {
    return this.#state;
  }

  /** Connects (after sign-in). Subscriptions made before are sent once the server is ready. */
  start(): void {
    if (this.#state !== 'stopped') return;
    window.addEventListener('online', this.#onOnline);
    this.#attempt = 0;
    this.#everReady = false;
    this.#connectNow();
  }

  /** Disconnects for good (sign-out, session ended); presences are dropped, subscriptions kept for a later start. */
  stop(): void {
    if (this.#state === 'stopped') return;
    window.removeEventListener('online', this.#onOnline);
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    this.#stopHeartbeat();
    this.#presence.clear();
    this.#queue.length = 0;
    const socket = this.#socket;
    this.#socket = null;
    socket?.close(1000, 'signed out');
    for (const sub of this.#subscriptions.values()) sub.acked = false;
    this.#setState('stopped');
  }

  /** Every message (and `stream.reconnected`); returns the function that stops listening. */
  on(listener: (message: StreamMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onState(listener: (state: StreamState) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  /**
   * Listens to a ticket, a saved view or "mine". Returns the release function; the server is told
   * to unsubscribe when the last holder releases.
   */
  subscribe(target: StreamTarget): () => void {
    const key = keyOf(target);
    let sub = this.#subscriptions.get(key);
    if (!sub) {
      sub = { target, count: 0, acked: false, waiters: [] };
      this.#subscriptions.set(key, sub);
      if (this.#state === 'open') this.#send({ type: 'subscribe', ...target });
    }
    sub.count++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const current = this.#subscriptions.get(key);
      if (!current || --current.count > 0) return;
      this.#subscriptions.delete(key);
      for (const waiter of current.waiters) waiter();
      if (this.#state === 'open') this.#send({ type: 'unsubscribe', ...target });
    };
  }

  /** Resolves once the server confirmed the subscription (at once when it already did, or it was released). */
  subscribed(target: StreamTarget): Promise<void> {
    const sub = this.#subscriptions.get(keyOf(target));
    if (!sub || sub.acked) return Promise.resolve();
    return new Promise((resolve) => sub.waiters.push(resolve));
  }

  /** Tells the ticket's other agents that this user views it, replies to it, or left; repeated until changed. */
  setPresence(ticketId: string, state: PresenceState | 'left'): void {
    const before = this.#presence.get(ticketId);
    if (state === 'left') {
      if (!before) return;
      this.#presence.delete(ticketId);
    } else {
      if (before === state) return;
      this.#presence.set(ticketId, state);
    }
    if (this.#state === 'open') this.#send({ type: 'presence', ticketId, state });
  }

  #setState(state: StreamState): void {
    if (state === this.#state) return;
    this.#state = state;
    for (const listener of this.#stateListeners) listener(state);
  }

  #emit(message: StreamMessage): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(message);
      } catch (error) {
        console.error(error);
      }
    }
  }

  #connectNow(): void {
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    this.#setState('connecting');
    this.#opened = false;
    let socket: WebSocket;
    try {
      socket = this.#createSocket(this.url);
    } catch {
      void this.#closed(null);
      return;
    }
    this.#socket = socket;
    socket.addEventListener('open', () => {
      if (socket === this.#socket) this.#opened = true;
    });
    socket.addEventListener('message', (event) => {
      if (socket !== this.#socket) return;
      this.#lastMessageAt = Date.now();
      let message: StreamMessage;
      try {
        message = JSON.parse(String(event.data));
      } catch {
        return;
      }
      this.#received(message);
    });
    socket.addEventListener('close', () => {
      if (socket === this.#socket) void this.#closed(socket);
    });
  }

  #received(message: StreamMessage): void {
    if (message.type === 'ready') {
      this.#attempt = 0;
      this.#queue.length = 0;
      this.#setState('open');
      this.#startHeartbeat();
      for (const sub of this.#subscriptions.values()) {
        sub.acked = false;
        this.#send({ type: 'subscribe', ...sub.target });
      }
      for (const [ticketId, state] of this.#presence) this.#send({ type: 'presence', ticketId, state });
      const again = this.#everReady;
      this.#everReady = true;
      this.#emit(message);
      if (again) this.#emit({ type: 'stream.reconnected' });
      return;
    }
    if (message.type === 'subscribed' || (message.type === 'error' && (message.ticketId || message.viewId))) {
      const key = ackKeyOf(message);
      const sub = key ? this.#subscriptions.get(key) : undefined;
      if (sub && !sub.acked) {
        sub.acked = true;
        for (const waiter of sub.waiters.splice(0)) waiter();
      }
    }
    this.#emit(message);
  }

  async #closed(socket: WebSocket | null): Promise<void> {
    const opened = this.#opened;
    this.#socket = null;
    this.#stopHeartbeat();
    this.#queue.length = 0;
    for (const sub of this.#subscriptions.values()) sub.acked = false;
    if (this.#state === 'stopped') return;
    this.#setState('waiting');
    // A handshake refused is most often a session that ended: ask before trying again.
    if (!opened && socket !== null) {
      const alive = await this.#sessionAlive().catch(() => true);
      if (!alive || (this.#state as StreamState) === 'stopped') return;
    }
    this.#attempt++;
    this.#retry = setTimeout(() => this.#connectNow(), backoff(this.#attempt));
  }

  #startHeartbeat(): void {
    this.#stopHeartbeat();
    this.#lastMessageAt = Date.now();
    this.#heartbeat = setInterval(() => {
      if (this.#state !== 'open') return;
      const quiet = Date.now() - this.#lastMessageAt;
      if (quiet > SILENCE_MS) {
        this.#socket?.close(4000, 'no answer');
        return;
      }
      if (quiet > PRESENCE_EVERY_MS) this.#send({ type: 'ping' });
      for (const [ticketId, state] of this.#presence) this.#send({ type: 'presence', ticketId, state });
    }, PRESENCE_EVERY_MS);
  }

  #stopHeartbeat(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = null;
  }

  /** Queues a message and sends as fast as the pacing allows. */
  #send(message: Record<string, unknown>): void {
    this.#queue.push(JSON.stringify(message));
    this.#flush();
  }

  #flush(): void {
    if (this.#drain) return;
    const now = performance.now();
    this.#tokens = Math.min(SEND_BURST, this.#tokens + ((now - this.#tokensAt) / 1000) * SENDS_PER_SECOND);
    this.#tokensAt = now;
    const socket = this.#socket;
    while (this.#queue.length > 0 && this.#tokens >= 1 && socket && socket.readyState === 1) {
      socket.send(this.#queue.shift()!);
      this.#tokens -= 1;
    }
    if (this.#queue.length > 0 && socket) {
      this.#drain = setTimeout(
        () => {
          this.#drain = null;
          this.#flush();
        },
        Math.ceil(((1 - this.#tokens) / SENDS_PER_SECOND) * 1000),
      );
    }
  }
}
