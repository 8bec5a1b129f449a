import type { EntityManager } from '@mikro-orm/sql';

/** Raw SQL on the scope's (or transaction's) entity manager; callers state the tenant explicitly. */
export function sql<T = Record<string, unknown>>(em: EntityManager, query: string, params: unknown[] = []): Promise<T[]> {
  return em.getConnection().execute(query, params, 'all', em.getTransactionContext()) as Promise<T[]>;
}
