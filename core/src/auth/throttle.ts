import type { Database } from '../db/database.ts';
import type { KernelConfig } from '../config/config.ts';

/**
 * Login throttling kept in PostgreSQL (so every node sees the same counts): failures are counted
 * per account and per address in a sliding window; past the limit the key is blocked for a delay
 * that doubles with each further failure, capped at `maxBlockMinutes` — never locked forever.
 * A successful login clears the account's counter.
 */
export class LoginThrottle {
  readonly #db: Database;
  readonly #config: KernelConfig['login'];

  constructor(db: Database, config: KernelConfig['login']) {
    this.#db = db;
    this.#config = config;
  }

  /** Seconds until the next attempt is allowed for any of the keys, or 0. */
  async retryAfter(keys: string[]): Promise<number> {
    const rows = await this.#db.query<{ wait: number | string | null }>(
      `select max(extract(epoch from (blocked_until - now()))) as wait from login_throttle where key in (${keys.map(() => '?').join(',')}) and blocked_until > now()`,
      keys,
    );
    const wait = Number(rows[0]?.wait ?? 0);
    return wait > 0 ? Math.ceil(wait) : 0;
  }

  async recordFailure(accountKey: string, addressKey: string): Promise<void> {
    await this.#bump(accountKey, this.#config.maxFailuresPerAccount);
    await this.#bump(addressKey, this.#config.maxFailuresPerAddress);
  }

  async recordSuccess(accountKey: string): Promise<void> {
    await this.#db.query('delete from login_throttle where key = ?', [accountKey]);
  }

  async #bump(key: string, limit: number): Promise<void> {
    const { windowMinutes, maxBlockMinutes } = this.#config;
    // One statement: reset an expired window, count the failure, and block past the limit.
    await this.#db.query(
      `insert into login_throttle as t (key, failures, window_started_at) values (?, 1, now())
       on conflict (key) do update set
         failures = case when t.window_started_at < now() - make_interval(mins => ?) and (t.blocked_until is null or t.blocked_until < now()) then 1 else t.failures + 1 end,
         window_started_at = case when t.window_started_at < now() - make_interval(mins => ?) and (t.blocked_until is null or t.blocked_until < now()) then now() else t.window_started_at end`,
      [key, windowMinutes, windowMinutes],
    );
    await this.#db.query(
      `update login_throttle set blocked_until = now() + make_interval(secs => least(? * 60, power(2, failures - ?)::int))
       where key = ? and failures >= ?`,
      [maxBlockMinutes, limit, key, limit],
    );
  }
}
