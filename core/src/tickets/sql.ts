import type { EntityManager } from '@mikro-orm/sql';

/** Raw SQL in the em's transaction when it has one. `?` placeholders; values are escaped by the driver layer. */
export function sql<T = Record<string, any>>(em: EntityManager, text: string, params: unknown[] = []): Promise<T[]> {
  return em.getConnection().execute(text, params as never[], 'all', em.getTransactionContext()) as Promise<T[]>;
}

/** A PostgreSQL array literal for `?::text[]` parameters, every element quoted and escaped. */
export function pgArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}

/** One data-modifying statement (`insert`/`update`/`delete`, or a `select pg_notify(…)`) and its `?` values. */
export interface Statement {
  text: string;
  params: unknown[];
}

/**
 * Runs several writes in one round trip: the data-modifying ones as CTEs (PostgreSQL runs every one
 * of them, referenced or not), the last as the main statement. A ticket write's side effects — tag
 * catalogue, history, realtime notice — cost one round trip instead of three.
 */
export async function writeTogether(em: EntityManager, statements: (Statement | null)[]): Promise<void> {
  const parts = statements.filter((s): s is Statement => s !== null);
  const last = parts.pop();
  if (!last) return;
  // WITH may precede a SELECT, INSERT, UPDATE or DELETE alike.
  const { text, params } = withStatements(Object.fromEntries(parts.map((s, i) => [`w${i}`, s])));
  await sql(em, `${text} ${last.text}`, [...params, ...last.params]);
}

/**
 * `with name as (…), …` for named statements (nulls left out), with their values in order; a later
 * one may read an earlier one by name. Data-modifying ones always run; a plain SELECT runs only if
 * the main statement reads it.
 */
export function withStatements(named: Record<string, Statement | null>): Statement {
  const parts = Object.entries(named).filter((entry): entry is [string, Statement] => entry[1] !== null);
  if (!parts.length) return { text: '', params: [] };
  return { text: `with ${parts.map(([name, s]) => `${name} as (${s.text})`).join(', ')}`, params: parts.flatMap(([, s]) => s.params) };
}
