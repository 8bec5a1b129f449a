import { monotonicFactory } from 'ulid';

// Monotonic: ids made in the same millisecond still sort in creation order (history rows, comments).
const ulid = monotonicFactory();

/** Prefixed, time-sortable ids (`usr_01j…`): readable in logs, ordered by creation. */
export function newId(prefix: string): string {
  return `${prefix}_${ulid().toLowerCase()}`;
}

export const DEFAULT_TENANT_ID = 'ten_default';
