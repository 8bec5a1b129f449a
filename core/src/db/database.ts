import { CompiledQuery, type DatabaseConnection } from 'kysely';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { MikroORM as CoreMikroORM } from '@mikro-orm/core';
import { MikroORM as PgliteMikroORM } from '@mikro-orm/pglite';
import { MikroORM as PgMikroORM } from '@mikro-orm/postgresql';
import type { EntityManager } from '@mikro-orm/sql';
import { type Db as IDatabase, fromKysely, fromPglite } from 'pg-boss';
import { allowPreparedStatements } from './prepared.ts';

export interface DatabaseOptions {
  /** PostgreSQL URL; absent means embedded PGlite. */
  url?: string;
  /** PGlite data directory (`memory://` for a throw-away database). */
  dataDir: string;
  entities: unknown[];
  /** Entities whose rows are tenant-owned, scoped by the `tenant` filter. */
  tenantEntities: unknown[];
  debug?: boolean;
  /** Named prepared statements for hot statements (`db/prepared.ts`); off behind a pooler in transaction mode. */
  preparedStatements?: boolean;
}

export interface Database {
  mode: 'postgres' | 'embedded';
  orm: CoreMikroORM;
  /** Root entity manager; never used directly for work, always forked. */
  em: EntityManager;
  /** The embedded instance, shared with pg-boss (one backend, one set of tables). */
  pglite?: PGlite;
  /** pg-boss database adapter for work outside a transaction. */
  bossDb?: IDatabase;
  /** Runs raw SQL outside the ORM (health checks, migrations, locks). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** pg-boss adapter bound to the entity manager's open transaction, so enqueued jobs commit with it. */
export function transactionBossDb(em: EntityManager): IDatabase {
  const trx = em.getTransactionContext();
  if (!trx) throw new Error('Events can only be emitted inside a transaction (scope.transactional)');
  return fromKysely(trx as never);
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const filters = {
    tenant: {
      name: 'tenant',
      cond: (args: { tenantId: string }) => ({ tenantId: args.tenantId }),
      entity: options.tenantEntities as never,
      default: true,
    },
  };
  const common = {
    entities: options.entities as never,
    filters,
    debug: options.debug ?? false,
    allowGlobalContext: false,
    ensureDatabase: false,
    discovery: { warnWhenNoEntities: false },
  };

  if (options.url) {
    const orm = await PgMikroORM.init({
      ...common,
      clientUrl: options.url,
      pool: { min: 0, max: 20 },
      // JIT compilation pays off for long analytical queries; for a help desk's short ones it only
      // adds milliseconds whenever the planner overestimates a search.
      onCreateConnection: async (connection: unknown) => {
        await (connection as DatabaseConnection).executeQuery(CompiledQuery.raw('set jit = off'));
      },
    });
    const em = orm.em as unknown as EntityManager;
    if (options.preparedStatements !== false) allowPreparedStatements(em);
    return {
      mode: 'postgres',
      orm: orm as unknown as CoreMikroORM,
      em,
      query: (sql, params = []) => em.getConnection().execute(sql, params as never[]) as never,
      close: () => orm.close(true),
    };
  }

  if (!options.dataDir.startsWith('memory://')) mkdirSync(options.dataDir, { recursive: true });
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const pglite = await PGlite.create({ dataDir: options.dataDir, extensions: { pg_trgm } });
  const orm = await PgliteMikroORM.init({ ...common, dbName: 'ticketops', driverOptions: { pglite } as never });
  const em = orm.em as unknown as EntityManager;
  return {
    mode: 'embedded',
    orm: orm as unknown as CoreMikroORM,
    em,
    pglite,
    bossDb: fromPglite(pglite),
    query: (sql, params = []) => em.getConnection().execute(sql, params as never[]) as never,
    close: async () => {
      await orm.close(true);
      await pglite.close();
    },
  };
}
