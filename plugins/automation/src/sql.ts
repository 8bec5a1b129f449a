import type { EntityManager } from '@mikro-orm/sql';

/** Raw SQL in `em`'s transaction (if any). Raw statements bypass the tenant filter: always say `tenant_id = ?`. */
export function sql<T = Record<string, any>>(em: EntityManager, text: string, params: unknown[] = []): Promise<T[]> {
  return em.getConnection().execute(text, params as never[], 'all', em.getTransactionContext()) as Promise<T[]>;
}

/** A PostgreSQL array literal for `?::text[]` parameters, every element quoted and escaped. */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}
