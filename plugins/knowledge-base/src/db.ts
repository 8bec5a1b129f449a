import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';

/** Raw SQL on the scope's (or transaction's) entity manager; every query names its tenant explicitly. */
export function sql<T = Record<string, unknown>>(em: EntityManager, query: string, params: unknown[] = []): Promise<T[]> {
  return em.getConnection().execute(query, params, 'all', em.getTransactionContext()) as Promise<T[]>;
}

/** Prefixed ids that sort by creation time (`kba_…`): a base-36 millisecond clock, then 64 random bits. */
export function newId(prefix: string): string {
  return `${prefix}_${Date.now().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;
}

/** PostgreSQL's unique violation, for turning a race on a unique index into a 409. */
export const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505' || /duplicate key/i.test((error as Error).message ?? '');
