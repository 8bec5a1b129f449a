import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';

/** Raw SQL on the scope's (or transaction's) entity manager; callers state the tenant explicitly. */
export function sql<T = Record<string, unknown>>(em: EntityManager, query: string, params: unknown[] = []): Promise<T[]> {
  return em.getConnection().execute(query, params, 'all', em.getTransactionContext()) as Promise<T[]>;
}

/** Sortable ids: a time prefix and random bits (`emi_…`). */
export const newId = (prefix: string) => `${prefix}_${Date.now().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;

/** The kernel's database handle, for lookups that span tenants (which tenant owns an address). */
export interface Db {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}
