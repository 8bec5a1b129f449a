import type { Database } from '../db/database.ts';
import type { Listener } from '../db/listener.ts';
import type { Principal } from './authenticate.ts';

export const AUTH_CHANNEL = 'ticketops_auth';
const TTL_MS = 30_000;
const MAX_ENTRIES = 20_000;

export interface CachedPrincipal extends Principal {
  user: { email: string; name: string };
  credentialId: string;
  /** When the credential itself stops being valid (token expiry), if sooner than the TTL. */
  validUntil: number;
}

/**
 * Verified API tokens, kept a short while so a request does not need a database round trip to
 * know its caller. Anything that could change the answer — a token revoked, a user deactivated or
 * changed, a role's permissions edited — sends an invalidation through NOTIFY (`invalidateAuth`),
 * which every node applies at once; the TTL bounds staleness should a notification be lost, and a
 * listener reconnect clears everything.
 */
export class AuthCache {
  readonly #entries = new Map<string, CachedPrincipal & { cachedAt: number }>();

  async attach(listener: Listener): Promise<void> {
    await listener.on(AUTH_CHANNEL, (payload) => this.apply(payload));
    listener.onReconnect(() => this.#entries.clear());
  }

  get(tokenHash: string): CachedPrincipal | undefined {
    const entry = this.#entries.get(tokenHash);
    if (!entry) return undefined;
    const now = Date.now();
    if (now - entry.cachedAt > TTL_MS || now >= entry.validUntil) {
      this.#entries.delete(tokenHash);
      return undefined;
    }
    return entry;
  }

  set(tokenHash: string, principal: CachedPrincipal): void {
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(tokenHash, { ...principal, cachedAt: Date.now() });
  }

  /** Applies an invalidation: `{ all }`, `{ userId }` or `{ credentialId }`. */
  apply(payload: string): void {
    let message: { all?: boolean; userId?: string; credentialId?: string };
    try {
      message = JSON.parse(payload);
    } catch {
      this.#entries.clear();
      return;
    }
    if (message.all) {
      this.#entries.clear();
      return;
    }
    for (const [key, entry] of this.#entries) {
      if (entry.actor.userId === message.userId || entry.credentialId === message.credentialId) this.#entries.delete(key);
    }
  }
}

/** Tells every node (this one included, synchronously) to forget cached credentials. */
export async function invalidateAuth(db: Database, cache: AuthCache | undefined, message: { all?: boolean; userId?: string; credentialId?: string }): Promise<void> {
  cache?.apply(JSON.stringify(message));
  await db.query('select pg_notify(?, ?)', [AUTH_CHANNEL, JSON.stringify(message)]);
}
