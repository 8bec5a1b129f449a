import pg from 'pg';

const adminUrl = () => process.env.TICKETOPS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Says once which database the run uses, and names the run: each worker's database is
 * `ticketops_test_<run>_<worker>`, dropped when the run ends, so parallel runs never collide.
 */
export default async function setup() {
  const run = String(process.pid);
  process.env.TICKETOPS_TEST_RUN = run;
  const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 3000 });
  let reachable = false;
  try {
    await client.connect();
    reachable = true;
    const { rows } = await client.query('show server_version');
    console.log(`[ticketops tests] PostgreSQL ${rows[0].server_version}: one database per worker (ticketops_test_${run}_<n>)`);
  } catch (error) {
    if (process.env.TICKETOPS_TEST_REQUIRE_POSTGRES === '1') throw new Error(`PostgreSQL is required (TICKETOPS_TEST_REQUIRE_POSTGRES=1) but unreachable: ${(error as Error).message}`);
    console.log(`[ticketops tests] PostgreSQL unreachable (${(error as Error).message}): falling back to embedded PGlite`);
  } finally {
    await client.end().catch(() => {});
  }
  return async function teardown() {
    if (!reachable) return;
    const c = new pg.Client({ connectionString: adminUrl() });
    await c.connect();
    try {
      const { rows } = await c.query(`select datname from pg_database where datname like $1`, [`ticketops_test_${run}_%`]);
      for (const { datname } of rows) await c.query(`drop database if exists ${datname} with (force)`);
    } finally {
      await c.end();
    }
  };
}
