import pg from 'pg';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
let resolved: Promise<string | undefined> | undefined;

/**
 * The database this test worker uses: its own PostgreSQL database (`ticketops_test_<worker>`),
 * created on first use, from TICKETOPS_TEST_DATABASE_URL. When PostgreSQL is unreachable it
 * returns undefined (embedded PGlite) and says so — unless TICKETOPS_TEST_REQUIRE_POSTGRES=1,
 * which turns that into a failure.
 */
export function testDatabaseUrl(): Promise<string | undefined> {
  resolved ??= resolveUrl();
  return resolved;
}

async function resolveUrl(): Promise<string | undefined> {
  const adminUrl = process.env.TICKETOPS_TEST_DATABASE_URL ?? DEFAULT_URL;
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch (error) {
    if (process.env.TICKETOPS_TEST_REQUIRE_POSTGRES === '1') {
      throw new Error(`PostgreSQL at ${redact(adminUrl)} is unreachable and TICKETOPS_TEST_REQUIRE_POSTGRES=1: ${(error as Error).message}`);
    }
    console.warn(`[ticketops tests] PostgreSQL at ${redact(adminUrl)} is unreachable (${(error as Error).message}); using embedded PGlite instead`);
    return undefined;
  }
  // One database per worker of this run: the run id keeps two test runs on one server apart.
  const run = process.env.TICKETOPS_TEST_RUN ?? String(process.ppid);
  const worker = process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? String(process.pid);
  const name = `ticketops_test_${run}_${worker}`.replace(/\W/g, '');
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) {
      try {
        await client.query(`create database ${name}`);
      } catch (error) {
        if ((error as { code?: string }).code !== '42P04') throw error; // created by a racing worker
      }
    }
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@]+@/, '//$1:***@');
