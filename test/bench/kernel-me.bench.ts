/**
 * Authenticated GET /api/v1/me against a bare node:http server answering the same JSON, in one run,
 * same load generator and settings. Run: npm run bench:kernel (env BENCH_SECONDS, BENCH_CONNECTIONS).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE, cli, freePort, freshDatabase, load, machine, save, startServer, stop, track, waitFor } from './lib.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const settings = { seconds, connections, warmupSeconds: 3 };
const body = JSON.stringify({ id: 'usr_01', email: 'bench@example.com', name: 'Bench', role: 'admin', tenantId: 'ten_default', permissions: ['*'] });

/** The bare server answers the same JSON; with `headers`, also the same response headers as the kernel. */
async function bare(headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const port = freePort();
  const child = track(spawn(NODE, ['-e', `require('node:http').createServer((q, s) => { s.writeHead(200, ${JSON.stringify(headers)}); s.end(${JSON.stringify(body)}); }).listen(${port}, '127.0.0.1')`]));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(url);
  try {
    return await load(url, { ...settings, headers: { authorization: 'Bearer x' } });
  } finally {
    await stop(child);
  }
}

async function kernel(env: Record<string, string>, label: string) {
  const { child, url } = startServer(env);
  await waitFor(`${url}/readyz`);
  cli(['users', 'create', '--email', `${label}@example.com`, '--password', 'a long bench password', '--role', 'admin'], env);
  const token = cli(['tokens', 'create', '--email', `${label}@example.com`, '--name', 'bench'], env).trim();
  const check = await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  if (check.status !== 200) throw new Error(`GET /me answered ${check.status}`);
  kernelHeaders = Object.fromEntries([...check.headers].filter(([name]) => !['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name)));
  try {
    return await load(`${url}/api/v1/me`, { ...settings, headers: { authorization: `Bearer ${token}` } });
  } finally {
    await stop(child);
  }
}

let kernelHeaders: Record<string, string> = {};
const results: Record<string, unknown> = { machine: machine(), settings };
results.bare = await bare();
console.log('bare node:http', results.bare);
const pgUrl = await freshDatabase('ticketops_bench_kernel');
results.postgresWarn = await kernel({ DATABASE_URL: pgUrl, LOG_LEVEL: 'warn' }, 'pgwarn');
console.log('kernel, PostgreSQL, LOG_LEVEL=warn', results.postgresWarn);
results.postgresInfo = await kernel({ DATABASE_URL: pgUrl, LOG_LEVEL: 'info' }, 'pginfo');
console.log('kernel, PostgreSQL, LOG_LEVEL=info (request logs to /dev/null)', results.postgresInfo);
const dir = mkdtempSync(join(tmpdir(), 'ticketops-bench-'));
try {
  results.embeddedWarn = await kernel({ TICKETOPS_DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'warn', DATABASE_URL: '' }, 'embedded');
  console.log('kernel, embedded PGlite, LOG_LEVEL=warn', results.embeddedWarn);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
// The kernel sends ~15 headers (security headers, request id, ETag…); parsing them costs the load
// generator too, on the same two cores. This baseline sends the very same headers.
results.bareSameHeaders = await bare(kernelHeaders);
console.log('bare node:http with the kernel\'s response headers', results.bareSameHeaders);
const rps = (k: string) => (results[k] as { requestsPerSecond: number }).requestsPerSecond;
const pct = (a: string, b: string) => Math.round((rps(a) / rps(b)) * 1000) / 10;
results.ratio = {
  postgresWarn: pct('postgresWarn', 'bare'),
  postgresInfo: pct('postgresInfo', 'bare'),
  embeddedWarn: pct('embeddedWarn', 'bare'),
  postgresWarnVsSameHeaders: pct('postgresWarn', 'bareSameHeaders'),
  embeddedWarnVsSameHeaders: pct('embeddedWarn', 'bareSameHeaders'),
};
console.log('kernel / bare, % of requests per second:', results.ratio);
save('kernel-me', results);
process.exit(0);
