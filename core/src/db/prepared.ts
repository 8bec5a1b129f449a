import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';
import { CompiledQuery } from 'kysely';

/**
 * Runs a hot statement as a named prepared statement on PostgreSQL, so the server parses and
 * plans it once per connection instead of on every call. MikroORM's `execute` inlines the values
 * into the SQL text (the simple protocol), which makes PostgreSQL plan a large statement afresh
 * each time — for a ticket create that planning cost about as much as running it.
 *
 * `text` uses `?` placeholders like everywhere else (not inside string literals). The statement's
 * name is a hash of its text, so each distinct text is prepared once per connection (`pg` keeps
 * track of what a connection has prepared). The embedded database (PGlite), and a server whose
 * config turns prepared statements off (`database.preparedStatements: false`, for a pooler in
 * transaction mode), run it as usual.
 */
export async function preparedSql<T = Record<string, any>>(em: EntityManager, text: string, params: unknown[]): Promise<T[]> {
  const connection = em.getConnection();
  if (!allowed.has(em.config)) return connection.execute(text, params as never[], 'all', em.getTransactionContext()) as Promise<T[]>;
  const numbered = numberPlaceholders(text);
  const name = `tko_${createHash('sha1').update(numbered).digest('hex').slice(0, 20)}`;
  // `pg` takes a query config object where Kysely passes the SQL through: `{ name, text }` prepares it.
  const compiled = CompiledQuery.raw(numbered, params.map(toParameter));
  const query = { ...compiled, sql: { name, text: numbered } as unknown as string };
  const runner = em.getTransactionContext() ?? connection.getClient();
  const result = await runner.executeQuery(query);
  return result.rows as T[];
}

/** The ORMs (by their configuration, which forks share) that talk to a PostgreSQL server directly. */
const allowed = new WeakSet<object>();

export function allowPreparedStatements(em: EntityManager): void {
  allowed.add(em.config);
}

/** `?` → `$1`, `$2`, … outside single-quoted literals (and `??`, the JSON operator, left alone). */
export function numberPlaceholders(text: string): string {
  let n = 0;
  let out = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    if (c === '?' && !quoted) {
      if (text[i + 1] === '?') {
        out += '??';
        i++;
        continue;
      }
      out += `$${++n}`;
      continue;
    }
    out += c;
  }
  return out;
}

/** Values as MikroORM would send them: JSON for plain objects, instants as ISO text. */
function toParameter(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value)) return JSON.stringify(value);
  return value;
}
