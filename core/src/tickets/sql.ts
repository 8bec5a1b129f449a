import type { EntityManager } from '@mikro-orm/sql';

/** Raw SQL in the em's transaction when it has one. `?` placeholders; values are escaped by the driver layer. */
export function sql<T = Record<string, any>>(em: EntityManager, text: string, params: unknown[] = []): Promise<T[]> {
  return em.getConnection().execute(text, params as never[], 'all', em.getTransactionContext()) as Promise<T[]>;
}

/** A PostgreSQL array literal for `?::text[]` parameters, every element quoted and escaped. */
export function pgArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}
