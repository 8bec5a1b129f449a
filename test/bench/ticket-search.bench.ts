/**
 * Filtered list and full-text search latency through the HTTP API on a large seeded database, plus
 * EXPLAIN of the hot queries. Seed first (minutes):
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/ticketops_bench_tickets npx ticketops seed --tickets 1000000
 * Run: npm run bench:tickets (env BENCH_DATABASE_URL, BENCH_SECONDS, BENCH_CONCURRENCY, BENCH_SEARCH_CLIENTS).
 */
import pg from 'pg';
import type { TicketFilter } from '../../core/src/tickets/search/filters.ts';
import { type RunOptions, type SortKey, listStatement } from '../../core/src/tickets/search/list.ts';
import { cli, machine, round, save, startServer, stop, waitFor } from './lib.ts';

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ticketops_bench_tickets';
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const searchClients = (process.env.BENCH_SEARCH_CLIENTS ?? '1,2,4').split(',').map(Number).filter((n) => n > 0);

const TERMS = [
  'printer', 'vpn', 'password reset', 'outlook calendar', 'laptop battery', 'wifi slow', 'license expired', 'invoice refund', 'docking station',
  'blue screen', 'mailbox quota', 'teams audio', 'backup restore', 'disk space', 'login locked', 'badge door', 'scanner pdf', 'webcam',
  'firewall proxy', 'database timeout', 'release rollback', 'onboarding laptop', 'monitor flicker', 'usb port', 'sso mfa', 'excel export',
  'mobile app notification', 'server outage', 'change approval', 'shipment delivery', '"password reset"', 'printer -toner', 'vpn or wifi',
  'keyboard mouse', 'heating office', 'cloud storage', 'driver update crash', 'headset microphone', 'upload attachment error', 'portal form submit',
  'calendar invite meeting room', 'contract billing payment',
];

const db = new pg.Client({ connectionString: url });
await db.connect();
const [{ n }] = (await db.query('select count(*)::int as n from ticket')).rows;
const [{ c }] = (await db.query('select count(*)::int as c from comment')).rows;
if (n < 1000) throw new Error(`seed the database first (${url} has ${n} tickets)`);
const agents = (await db.query(`select id from app_user where role = 'agent' limit 5`)).rows.map((r) => r.id as string);
const tags = (await db.query(`select name from tag limit 20`)).rows.map((r) => r.name as string);

const env = { DATABASE_URL: url };
const { child, url: base } = startServer(env);
const results: Record<string, unknown> = { machine: machine(), tickets: n, comments: c, seconds, concurrency };
try {
  await waitFor(`${base}/readyz`, 120_000);
  const email = `bench-${Date.now()}@example.com`;
  cli(['users', 'create', '--email', email, '--password', 'a long bench password', '--role', 'agent'], env);
  const token = cli(['tokens', 'create', '--email', email, '--name', 'bench'], env).trim();
  const headers = { authorization: `Bearer ${token}` };

  const filters = [
    'statusCategory=open&priority=high', `assigneeId=${agents[0]}`, 'status=pending&sort=-created', `tag=${tags[0] ?? 'printer'}`, 'assigneeId=none&statusCategory=new',
    `groupId=${agents.length ? 'x' : ''}`, 'priority=urgent&sort=number', `anyTag=${tags.slice(1, 4).join(',')}`, 'cf.severity=critical', 'statusCategory=on-hold&sort=-priority',
  ].filter((f) => !f.startsWith('groupId=x'));

  const quantile = (sorted: number[], p: number) => round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN);
  async function measure(paths: string[], clients = concurrency) {
    const times: number[] = [];
    const pageSizes: number[] = [];
    const byPath = new Map<string, number[]>();
    let errors = 0;
    let i = 0;
    const end = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < end) {
          const path = paths[i++ % paths.length] as string;
          const started = performance.now();
          const res = await fetch(`${base}${path}`, { headers });
          const body = (await res.json()) as { items?: unknown[] };
          if (res.status !== 200) errors++;
          pageSizes.push(body.items?.length ?? 0);
          const ms = performance.now() - started;
          times.push(ms);
          byPath.set(path, [...(byPath.get(path) ?? []), ms]);
        }
      }),
    );
    times.sort((a, b) => a - b);
    // The slowest shapes first: where the p95 comes from.
    const slowest = [...byPath].map(([path, t]) => ({ path, p95: quantile(t.sort((a, b) => a - b), 95), n: t.length })).sort((a, b) => b.p95 - a.p95).slice(0, 8);
    const meanItems = round(pageSizes.reduce((a, b) => a + b, 0) / Math.max(1, pageSizes.length));
    return { clients, requests: times.length, perSecond: round(times.length / seconds), p50: quantile(times, 50), p95: quantile(times, 95), p99: quantile(times, 99), errors, meanItems, slowest };
  }

  await measure(filters.map((f) => `/api/v1/tickets?${f}&limit=25`)); // warm-up
  results.filteredList = await measure(filters.map((f) => `/api/v1/tickets?${f}&limit=25`));
  console.log('filtered list', results.filteredList);
  const searches = TERMS.map((q) => `/api/v1/tickets?q=${encodeURIComponent(q)}&limit=25`);
  results.fullTextSearch = await measure(searches);
  console.log(`full-text search (${TERMS.length} rotating terms)`, results.fullTextSearch);
  // Latency below saturation too: with 2 cores, 8 clients mostly measure the queue.
  results.fullTextSearchByClients = [];
  for (const clients of searchClients) {
    const run = await measure(searches, clients);
    (results.fullTextSearchByClients as unknown[]).push({ ...run, slowest: run.slowest.slice(0, 3) });
    console.log(`full-text search at ${clients} client(s)`, { ...run, slowest: run.slowest.slice(0, 3) });
  }
  // A short first page ends before the whole index; its cursor fetches the rest: time that page too.
  const follow: number[] = [];
  for (const q of TERMS) {
    const first = (await (await fetch(`${base}/api/v1/tickets?q=${encodeURIComponent(q)}&limit=25`, { headers })).json()) as { items: unknown[]; nextCursor: string | null };
    if (first.items.length >= 25 || !first.nextCursor) continue;
    const started = performance.now();
    await (await fetch(`${base}/api/v1/tickets?q=${encodeURIComponent(q)}&limit=25&cursor=${first.nextCursor}`, { headers })).arrayBuffer();
    follow.push(performance.now() - started);
  }
  follow.sort((a, b) => a - b);
  results.shortFirstPages = { terms: follow.length, followUpP50: quantile(follow, 50), followUpMax: round(follow.at(-1) ?? Number.NaN) };
  console.log('terms whose first page was short, and the time of their next page', results.shortFirstPages);

  // EXPLAIN the shapes the API runs, to see which indexes answer them.
  const plans: Record<string, string[]> = {};
  const explain = async (label: string, text: string, params: unknown[]) => {
    const rows = (await db.query(`explain ${text}`, params)).rows.map((r) => r['QUERY PLAN'] as string);
    plans[label] = rows;
    const seq = rows.filter((r) => /Seq Scan on (ticket|comment)\b/.test(r));
    console.log(`${label}: ${seq.length ? `SEQUENTIAL SCAN: ${seq.join(' | ')}` : 'index scans only'}`);
  };
  // The statements the API runs (built by the same code), with ? turned into $n for pg.
  const ctx = { tenantId: 'ten_default', actorUserId: agents[0] ?? null, audience: { all: true, userId: agents[0] ?? null, organizationId: null }, searchNotes: true };
  const page = (filter: TicketFilter, sort: SortKey, options: Partial<RunOptions> = {}) => {
    const statement = listStatement(ctx, { filter, sort, descending: true, limit: 25, after: null }, { sort, q: filter.q, mode: 'text', limit: 25, keyset: null, ...options });
    let n = 0;
    return [statement.text.replace(/\?/g, () => `$${++n}`), statement.params] as const;
  };
  const window = { tickets: 5000, comments: 10000 };
  const stage = (q: string, name: 'near' | 'recent' | 'all', share: number) => page({ q }, 'relevance', { plan: { stage: name, share, window, exclude: [] } });
  await explain('list by status category, newest updated', ...page({ statusCategory: ['open'] }, 'updated'));
  await explain('list by assignee', ...page({ assigneeId: [agents[0] ?? 'none'] }, 'updated'));
  await explain('list by priority rank', ...page({ statusCategory: ['on-hold'] }, 'priority'));
  await explain('search, first share of the window (one common word)', ...stage('printer', 'near', 0.05));
  await explain('search, rest of the window (three words)', ...stage('mobile app notification', 'recent', 0.3));
  await explain('search, whole index (rare word)', ...stage('zqxrareword', 'all', 0));
  results.plans = plans;
} finally {
  await stop(child);
  await db.end();
}
save('ticket-search', results);
process.exit(0);
