/**
 * Cold start (process spawn → first /readyz 200) and idle RSS, on the embedded database (fresh and
 * already initialised) and on PostgreSQL (fresh database and already migrated). Run: npm run bench:cold-start
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase, machine, round, rssMb, save, startServer, stop, waitFor } from './lib.ts';

const repetitions = Number(process.env.BENCH_REPETITIONS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function measure(env: Record<string, string>) {
  const { child, url } = startServer(env);
  const ms = await waitFor(`${url}/readyz`, 120_000);
  await new Promise((r) => setTimeout(r, 5_000));
  const rss = rssMb(child.pid as number);
  await stop(child);
  return { ms: round(ms), rss };
}

async function series(label: string, prepare: () => Promise<Record<string, string>>, reuse: boolean) {
  const runs: { ms: number; rss: number }[] = [];
  let env = await prepare();
  for (let i = 0; i < repetitions; i++) {
    if (!reuse && i > 0) env = await prepare();
    runs.push(await measure(env));
  }
  const summary = { label, runs, medianMs: median(runs.map((r) => r.ms)), medianIdleRssMb: median(runs.map((r) => r.rss)) };
  console.log(summary);
  return summary;
}

const scratch = mkdtempSync(join(tmpdir(), 'ticketops-cold-'));
let n = 0;
const results: Record<string, unknown> = { machine: machine(), repetitions };
try {
  results.embeddedFresh = await series('embedded, empty data dir (initdb + migrations)', async () => ({ TICKETOPS_DATA_DIR: join(scratch, `fresh-${n++}`), DATABASE_URL: '' }), false);
  const existing = join(scratch, 'existing');
  await measure({ TICKETOPS_DATA_DIR: existing, DATABASE_URL: '' });
  results.embeddedExisting = await series('embedded, initialised data dir', async () => ({ TICKETOPS_DATA_DIR: existing, DATABASE_URL: '' }), true);
  results.postgresFresh = await series('PostgreSQL, empty database (migrations)', async () => ({ DATABASE_URL: await freshDatabase('ticketops_bench_cold') }), false);
  results.postgresMigrated = await series('PostgreSQL, migrated database', async () => ({ DATABASE_URL: await freshDatabase('ticketops_bench_cold') }), true);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
save('cold-start', results);
process.exit(0);
