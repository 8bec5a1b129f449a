import pg from 'pg';

/** Says once, up front, which database the run uses. */
export default async function setup() {
  const url = process.env.TICKETOPS_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query('show server_version');
    console.log(`[ticketops tests] PostgreSQL ${rows[0].server_version}: one database per worker (ticketops_test_<n>)`);
  } catch (error) {
    if (process.env.TICKETOPS_TEST_REQUIRE_POSTGRES === '1') throw new Error(`PostgreSQL is required (TICKETOPS_TEST_REQUIRE_POSTGRES=1) but unreachable: ${(error as Error).message}`);
    console.log(`[ticketops tests] PostgreSQL unreachable (${(error as Error).message}): falling back to embedded PGlite`);
  } finally {
    await client.end().catch(() => {});
  }
}
