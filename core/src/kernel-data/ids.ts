import { ulid } from 'ulid';

/** Prefixed, time-sortable ids (`usr_01J…`): readable in logs, ordered by creation. */
export function newId(prefix: string): string {
  return `${prefix}_${ulid().toLowerCase()}`;
}

export const DEFAULT_TENANT_ID = 'ten_default';
