/**
 * Bulk update of 10,000 tickets through POST /api/v1/tickets/bulk (a background job above the
 * inline limit), from request to completed job. Run: npm run bench:bulk (env BENCH_TICKETS).
 */
import { cli, freshDatabase, machine, round, save, startServer, stop, waitFor } from './lib.ts';

const tickets = Number(process.env.BENCH_TICKETS ?? 10_000);
const url = await freshDatabase('ticketops_bench_bulk');
const env = { DATABASE_URL: url };
const { child, url: base } = startServer(env);
const results: Record<string, unknown> = { machine: machine(), tickets };
try {
  await waitFor(`${base}/readyz`, 120_000);
  cli(['seed', '--tickets', String(tickets), '--comments-per-ticket', '0'], env);
  cli(['users', 'create', '--email', 'bulk@example.com', '--password', 'a long bench password', '--role', 'agent'], env);
  const token = cli(['tokens', 'create', '--email', 'bulk@example.com', '--name', 'bench'], env).trim();
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const started = performance.now();
  const res = await fetch(`${base}/api/v1/tickets/bulk`, { method: 'POST', headers, body: JSON.stringify({ filter: { statusCategory: ['new', 'open', 'pending', 'on-hold', 'solved', 'closed'] }, set: { priority: 'urgent' }, addTags: ['bulk-bench'] }) });
  const job = await res.json();
  if (res.status !== 202) throw new Error(`bulk answered ${res.status}: ${JSON.stringify(job)}`);
  let status: { state: string; done: number; total: number; summary: Record<string, number>; error?: string };
  for (;;) {
    status = await (await fetch(`${base}/api/v1/tickets/bulk/${job.jobId}`, { headers })).json();
    if (status.state === 'completed' || status.state === 'failed') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = round((performance.now() - started) / 1000);
  if (status.state !== 'completed') throw new Error(`the bulk job ${status.state}: ${status.error}`);
  results.job = { total: status.total, state: status.state, summary: status.summary, seconds, ticketsPerSecond: round(status.total / seconds) };
  console.log(results.job);
} finally {
  await stop(child);
}
save('ticket-bulk', results);
process.exit(0);
