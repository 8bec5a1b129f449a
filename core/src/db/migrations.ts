import type { Migration } from '@ticketops/plugin-sdk';
import type { Database } from './database.ts';

export interface MigrationSet {
  /** `kernel` or a plugin id. */
  owner: string;
  migrations: Migration[];
}

export interface AppliedMigration {
  owner: string;
  name: string;
}

const LOCK_KEY = 7_381_203; // pg_advisory_xact_lock key shared by every TicketOps node

/**
 * Applies pending migrations, kernel first then plugins in dependency order. The whole run is one
 * transaction holding an advisory lock, so several nodes starting at once apply each migration
 * exactly once, and a failing migration leaves the schema as it was.
 */
export async function migrate(db: Database, sets: MigrationSet[]): Promise<AppliedMigration[]> {
  const applied: AppliedMigration[] = [];
  await db.em.fork().transactional(async (em) => {
    const conn = em.getConnection();
    const ctx = em.getTransactionContext();
    const run = (sql: string, params: unknown[] = []) => conn.execute(sql, params as never[], 'all', ctx);
    await run('select pg_advisory_xact_lock(?)', [LOCK_KEY]);
    await run(`create table if not exists ticketops_migration (
      owner text not null,
      name text not null,
      applied_at timestamptz not null default now(),
      primary key (owner, name))`);
    const rows = (await run('select owner, name from ticketops_migration')) as AppliedMigration[];
    const done = new Set(rows.map((r) => `${r.owner}/${r.name}`));
    for (const set of sets) {
      for (const migration of [...set.migrations].sort((a, b) => a.name.localeCompare(b.name))) {
        if (done.has(`${set.owner}/${migration.name}`)) continue;
        for (const statement of migration.up) {
          try {
            await run(statement);
          } catch (error) {
            throw new Error(`Migration ${set.owner}/${migration.name} failed: ${(error as Error).message}`, { cause: error });
          }
        }
        await run('insert into ticketops_migration (owner, name) values (?, ?)', [set.owner, migration.name]);
        applied.push({ owner: set.owner, name: migration.name });
      }
    }
  });
  return applied;
}

/** Migrations not yet applied; `/readyz` answers 503 while any remain. */
export async function pendingMigrations(db: Database, sets: MigrationSet[]): Promise<AppliedMigration[]> {
  const exists = await db.query<{ t: string | null }>(`select to_regclass('ticketops_migration')::text as t`);
  const rows = exists[0]?.t ? await db.query<AppliedMigration>('select owner, name from ticketops_migration') : [];
  const done = new Set(rows.map((r) => `${r.owner}/${r.name}`));
  return sets.flatMap((s) => s.migrations.filter((m) => !done.has(`${s.owner}/${m.name}`)).map((m) => ({ owner: s.owner, name: m.name })));
}
