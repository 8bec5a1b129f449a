/**
 * Ticket creation through the API at 32 concurrent clients, beside a pgbench replay of the same
 * writes (counter, ticket, history, tag, notify) in the same run. Run: npm run bench:ticket-create
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { cli, freshDatabase, machine, round, save, startServer, stop, waitFor } from './lib.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const url = await freshDatabase('ticketops_bench_create');
const env = { DATABASE_URL: url };
const { child, url: base } = startServer(env);
const results: Record<string, unknown> = { machine: machine(), seconds, connections };
const dir = mkdtempSync(join(tmpdir(), 'ticketops-pgbench-'));
try {
  await waitFor(`${base}/readyz`, 120_000);
  cli(['users', 'create', '--email', 'creator@example.com', '--password', 'a long bench password', '--role', 'agent'], env);
  const token = cli(['tokens', 'create', '--email', 'creator@example.com', '--name', 'bench'], env).trim();
  const times: number[] = [];
  const run = autocannon({
    url: `${base}/api/v1/tickets`, method: 'POST', connections, duration: seconds,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Printer jams on the third floor', description: 'Paper jam, error E42', priority: 'high', tags: ['printer', 'floor-3'] }),
  }) as unknown as Promise<autocannon.Result> & import('node:events').EventEmitter;
  run.on('response', (_c: unknown, _s: number, _b: number, ms: number) => times.push(ms));
  const result = await run;
  times.sort((a, b) => a - b);
  const q = (p: number) => round(times[Math.floor((p / 100) * times.length)] ?? Number.NaN);
  results.api = { perSecond: round(result.requests.total / seconds), p50: q(50), p95: q(95), p99: q(99), non2xx: result.non2xx, errors: result.errors };
  console.log('API ticket create', results.api);

  // The same writes the API makes for one ticket, replayed by pgbench in one transaction each.
  const script = join(dir, 'create.sql');
  writeFileSync(script, `\\set n random(1, 2000000000)
BEGIN;
SELECT nextval('ticket_number_ten_default') AS last_number \\gset
INSERT INTO ticket (id, tenant_id, number, title, description, status, status_category, priority, tags, channel, custom_fields, created_at, updated_at)
  VALUES ('tkt_pgb' || :client_id || 'x' || :n, 'ten_default', :last_number, 'Printer jams on the third floor', 'Paper jam, error E42', 'new', 'new', 'high', '{floor-3,printer}', 'api', '{}', now(), now());
INSERT INTO tag (tenant_id, name) SELECT 'ten_default', unnest('{floor-3,printer}'::text[]) ON CONFLICT DO NOTHING;
INSERT INTO ticket_history (id, tenant_id, ticket_id, actor_id, channel, field, new_value) VALUES ('thi_pgb' || :client_id || 'x' || :n, 'ten_default', 'tkt_pgb' || :client_id || 'x' || :n, NULL, 'api', 'created', to_jsonb(:last_number));
SELECT pg_notify('ticketops_stream', '{}');
COMMIT;
`);
  const out = execFileSync('pgbench', ['-n', '-c', String(connections), '-j', '2', '-T', String(seconds), '-f', script, url], { encoding: 'utf8' });
  const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
  const latency = Number(/latency average = ([\d.]+) ms/.exec(out)?.[1]);
  results.pgbench = { perSecond: round(tps), latencyAverageMs: latency };
  results.ratio = round(((results.api as { perSecond: number }).perSecond / tps) * 100);
  console.log('pgbench replay of the same writes', results.pgbench, `API at ${results.ratio}% of it`);
} finally {
  await stop(child);
  rmSync(dir, { recursive: true, force: true });
}
save('ticket-create', results);
process.exit(0);
