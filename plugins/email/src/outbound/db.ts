import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';

/** Raw SQL on the scope's (or transaction's) entity manager; callers state the tenant explicitly. */
export function sql<T = Record<string, unknown>>(em: EntityManager, query: string, params: unknown[] = []): Promise<T[]> {
  return em.getConnection().execute(query, params, 'all', em.getTransactionContext()) as Promise<T[]>;
}

/** Prefixed ids that sort by creation time: a base-36 millisecond clock, then 64 random bits. */
export function newId(prefix: string): string {
  return `${prefix}_${Date.now().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;
}

/** A PostgreSQL text[] literal (quoted, so any text is safe). */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}
