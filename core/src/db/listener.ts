import pg from 'pg';
import type { Database } from './database.ts';

type Handler = (payload: string) => void;

/**
 * One LISTEN connection per process, shared by everything that reacts to NOTIFY (auth cache
 * invalidation, realtime): a dedicated `pg` client reconnecting with backoff on PostgreSQL, or
 * PGlite's in-process listen in embedded mode. `onReconnect` callbacks run after a reconnect, since
 * notifications sent while disconnected are lost and caches must assume the worst.
 */
export class Listener {
  readonly #db: Database;
  readonly #url: string | undefined;
  readonly #handlers = new Map<string, Set<Handler>>();
  readonly #reconnectHandlers = new Set<() => void>();
  #client: pg.Client | undefined;
  #unlisten: (() => Promise<void>)[] = [];
  #closed = false;

  constructor(db: Database, url: string | undefined) {
    this.#db = db;
    this.#url = url;
  }

  async on(channel: string, handler: Handler): Promise<void> {
    const set = this.#handlers.get(channel) ?? new Set();
    const fresh = set.size === 0;
    set.add(handler);
    this.#handlers.set(channel, set);
    if (fresh) await this.#listen(channel);
  }

  onReconnect(handler: () => void): void {
    this.#reconnectHandlers.add(handler);
  }

  async #listen(channel: string): Promise<void> {
    if (this.#db.pglite) {
      this.#unlisten.push(await this.#db.pglite.listen(channel, (payload) => this.#dispatch(channel, payload)));
      return;
    }
    const client = await this.#connect();
    await client.query(`listen ${pg.escapeIdentifier(channel)}`);
  }

  async #connect(): Promise<pg.Client> {
    if (this.#client) return this.#client;
    const client = new pg.Client({ connectionString: this.#url, keepAlive: true });
    client.on('notification', (msg) => this.#dispatch(msg.channel, msg.payload ?? ''));
    client.on('error', () => this.#reconnectSoon());
    client.on('end', () => this.#reconnectSoon());
    await client.connect();
    this.#client = client;
    return client;
  }

  #reconnectSoon(attempt = 0): void {
    if (this.#closed) return;
    this.#client = undefined;
    setTimeout(async () => {
      try {
        const client = await this.#connect();
        for (const channel of this.#handlers.keys()) await client.query(`listen ${pg.escapeIdentifier(channel)}`);
        for (const handler of this.#reconnectHandlers) handler();
      } catch {
        this.#reconnectSoon(attempt + 1);
      }
    }, Math.min(30_000, 250 * 2 ** attempt)).unref();
  }

  #dispatch(channel: string, payload: string): void {
    for (const handler of this.#handlers.get(channel) ?? []) {
      try {
        handler(payload);
      } catch {}
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const unlisten of this.#unlisten) await unlisten().catch(() => {});
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }
}
