import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/**
 * The ulid library asks its PRNG once per random character, and its default calls into the OS
 * (`crypto.getRandomValues`) each time: ~27 µs an id. This one draws from a pooled buffer of
 * cryptographically strong bytes, refilled 4 KiB at a time.
 */
const pool = new Uint32Array(1024);
let next = pool.length;
function pooledRandom(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return (pool[next++] as number) / 0x1_0000_0000;
}

// Monotonic: ids made in the same millisecond still sort in creation order (history rows, comments).
const ulid = monotonicFactory(pooledRandom);

/** Prefixed, time-sortable ids (`usr_01j…`): readable in logs, ordered by creation. */
export function newId(prefix: string): string {
  return `${prefix}_${ulid().toLowerCase()}`;
}

export const DEFAULT_TENANT_ID = 'ten_default';
