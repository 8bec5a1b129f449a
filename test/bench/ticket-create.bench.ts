/**
 * Ticket creation through the API at 32 concurrent clients — with the create statement prepared
 * (the default) and with it sent with inlined values (`TICKETOPS_DB_PREPARED_STATEMENTS=off`) —
 * beside a pgbench replay of the same statements (requester look-up; ticket, tags, history, notice
 * and suggestions in one statement), prepared and simple, in the same run.
 * Run: npm run bench:ticket-create
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { TICKET_COLUMNS } from '../../core/src/tickets/record.ts';
import { similarStatement } from '../../core/src/tickets/relations/similar.ts';
import { cli, freshDatabase, machine, round, save, startServer, stop, waitFor } from './lib.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);
const url = await freshDatabase('ticketops_bench_create');
const env = { DATABASE_URL: url };
let { child, url: base } = startServer(env);
const results: Record<string, unknown> = { machine: machine(), seconds, connections };
const sqlClient = new pg.Client({ connectionString: url });
await sqlClient.connect();
const dir = mkdtempSync(join(tmpdir(), 'ticketops-pgbench-'));
try {
  await waitFor(`${base}/readyz`, 120_000);
  cli(['users', 'create', '--email', 'creator@example.com', '--password', 'a long bench password', '--role', 'agent'], env);
  const token = cli(['tokens', 'create', '--email', 'creator@example.com', '--name', 'bench'], env).trim();
  const api = async () => {
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
    return { perSecond: round(result.requests.total / seconds), p50: q(50), p95: q(95), p99: q(99), non2xx: result.non2xx, errors: result.errors };
  };
  results.api = await api();
  console.log('API ticket create (prepared statement)', results.api);
  // The same server with the statement sent the way MikroORM sends SQL (values inlined, planned every
  // time). The first run grew the tables from empty: fresh statistics (as autovacuum would keep them)
  // so the later runs are not planned on the empty table's.
  await stop(child);
  await sqlClient.query('vacuum analyze');
  ({ child, url: base } = startServer({ ...env, TICKETOPS_DB_PREPARED_STATEMENTS: 'off' }));
  await waitFor(`${base}/readyz`, 120_000);
  results.apiInlined = await api();
  console.log('API ticket create (values inlined)', results.apiInlined);

  // The statements the API sends for one ticket (ticket-service.ts createTicketInTransaction),
  // replayed by pgbench in one transaction each: the requester look-up, then one statement with the
  // row, tag catalogue, history entry, notice and duplicate suggestions.
  const [{ id: creatorId }] = (await sqlClient.query(`select id from app_user where email = 'creator@example.com'`)).rows;
  const alike = similarStatement('ten_default', { id: 'tkt_new', title: 'Printer jams on the third floor', description: 'Paper jam, error E42', requesterId: creatorId, organizationId: null }, { all: true, userId: creatorId, organizationId: null });
  const literal = (v: unknown) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replaceAll("'", "''")}'`);
  const inline = (text: string, params: unknown[]) => {
    let i = 0;
    return text.replace(/\?/g, () => literal(params[i++])).replace(/\s+/g, ' ');
  };
  const script = join(dir, 'create.sql');
  writeFileSync(script, `\\set n random(1, 2000000000)
BEGIN;
SELECT id, role, organization_id FROM app_user WHERE tenant_id = 'ten_default' AND id = '${creatorId}' AND active;
WITH fresh AS (INSERT INTO ticket AS t (id, tenant_id, number, title, description, status, status_category, priority, type, requester_id, organization_id, assignee_id, group_id, tags, channel, custom_fields, created_at, updated_at, solved_at, closed_at) VALUES ('tkt_pgb' || :client_id || 'x' || :n, 'ten_default', nextval('ticket_number_ten_default'), 'Printer jams on the third floor', 'Paper jam, error E42', 'new', 'new', 'high', NULL, '${creatorId}', NULL, NULL, NULL, '{floor-3,printer}', 'api', '{}', now(), now(), NULL, NULL) RETURNING ${TICKET_COLUMNS.replace(/\s+/g, ' ')}), tags AS (INSERT INTO tag (tenant_id, name) SELECT 'ten_default', unnest('{floor-3,printer}'::text[]) ON CONFLICT DO NOTHING), created AS (INSERT INTO ticket_history (id, tenant_id, ticket_id, actor_id, channel, via, field, old_value, new_value) SELECT 'thi_pgb' || :client_id || 'x' || :n, 'ten_default', 'tkt_pgb' || :client_id || 'x' || :n, '${creatorId}', 'api', NULL, 'created', NULL, to_jsonb(fresh.number) FROM fresh), notice AS (SELECT pg_notify('ticketops_stream', '{}')), alike AS (${inline(alike?.text ?? 'select 1 where false', alike?.params ?? [])}) SELECT fresh.*, (SELECT coalesce(json_agg(alike ORDER BY alike.score DESC, alike.id DESC), '[]'::json) FROM alike) AS similar FROM fresh CROSS JOIN notice;
COMMIT;
`);
  // Simple protocol (planned every time) and prepared (planned once per connection), like the two API runs.
  const replay = (mode: 'simple' | 'prepared') => {
    const out = execFileSync('pgbench', ['-n', '-M', mode, '-c', String(connections), '-j', '2', '-T', String(seconds), '-f', script, url], { encoding: 'utf8' });
    return { perSecond: round(Number(/tps = ([\d.]+)/.exec(out)?.[1])), latencyAverageMs: Number(/latency average = ([\d.]+) ms/.exec(out)?.[1]) };
  };
  await sqlClient.query('vacuum analyze');
  results.pgbench = replay('prepared');
  results.pgbenchSimple = replay('simple');
  results.ratio = round(((results.api as { perSecond: number }).perSecond / (results.pgbench as { perSecond: number }).perSecond) * 100);
  console.log('pgbench replay of the same statements', results.pgbench, results.pgbenchSimple, `API (prepared) at ${results.ratio}% of the prepared replay`);
} finally {
  await stop(child);
  await sqlClient.end();
  rmSync(dir, { recursive: true, force: true });
}
save('ticket-create', results);
process.exit(0);
