/**
 * Realtime fan-out: 500 WebSocket connections (agents) subscribed to one ticket; N updates through
 * REST; for every connection and update, the time from sending the PATCH to receiving the event.
 * Run: npm run bench:realtime (env BENCH_CONNECTIONS, BENCH_UPDATES).
 */
import WebSocket from 'ws';
import { cli, freshDatabase, machine, round, save, startServer, stop, waitFor } from './lib.ts';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 500);
const updates = Number(process.env.BENCH_UPDATES ?? 40);
const url = await freshDatabase('ticketops_bench_realtime');
const env = { DATABASE_URL: url };
const { child, url: base } = startServer(env);
const results: Record<string, unknown> = { machine: machine(), connections, updates };
const sockets: WebSocket[] = [];
try {
  await waitFor(`${base}/readyz`, 120_000);
  cli(['users', 'create', '--email', 'rt@example.com', '--password', 'a long bench password', '--role', 'agent'], env);
  const token = cli(['tokens', 'create', '--email', 'rt@example.com', '--name', 'bench'], env).trim();
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const ticket = await (await fetch(`${base}/api/v1/tickets`, { method: 'POST', headers, body: JSON.stringify({ title: 'Fan-out' }) })).json();

  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const afterResponse: number[] = [];
  const respondedAt = new Map<string, number>();
  let received = 0;
  for (let i = 0; i < connections; i++) {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/v1/stream`, { headers: { authorization: `Bearer ${token}` } });
    sockets.push(ws);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const subscribed = new Promise((resolve) => ws.on('message', (d) => JSON.parse(String(d)).type === 'subscribed' && resolve(null)));
    ws.on('message', (d) => {
      const m = JSON.parse(String(d));
      if (m.type !== 'ticket.updated') return;
      const now = performance.now();
      const sent = sentAt.get(m.ticket?.title);
      if (sent !== undefined) latencies.push(now - sent);
      const responded = respondedAt.get(m.ticket?.title);
      if (responded !== undefined) afterResponse.push(now - responded);
      received++;
    });
    ws.send(JSON.stringify({ type: 'subscribe', ticketId: ticket.id }));
    await subscribed;
  }
  console.log(`${connections} sockets subscribed`);
  for (let i = 0; i < updates; i++) {
    const title = `Fan-out ${i}`;
    sentAt.set(title, performance.now());
    const res = await fetch(`${base}/api/v1/tickets/${ticket.id}`, { method: 'PATCH', headers, body: JSON.stringify({ title }) });
    respondedAt.set(title, performance.now());
    if (res.status !== 200) throw new Error(`PATCH answered ${res.status}`);
    // Let this update fan out before the next, so each measures one broadcast.
    const target = (i + 1) * connections;
    const deadline = performance.now() + 5000;
    while (received < target && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  }
  latencies.sort((a, b) => a - b);
  afterResponse.sort((a, b) => a - b);
  const q = (xs: number[], p: number) => round(xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? Number.NaN);
  results.deliveries = { expected: connections * updates, received };
  results.fromPatchSent = { p50: q(latencies, 50), p95: q(latencies, 95), p99: q(latencies, 99), max: round(latencies.at(-1) ?? Number.NaN) };
  results.afterPatchResponse = { p50: q(afterResponse, 50), p95: q(afterResponse, 95), p99: q(afterResponse, 99), max: round(afterResponse.at(-1) ?? Number.NaN) };
  console.log(results);
} finally {
  for (const s of sockets) s.terminate();
  await stop(child);
}
save('realtime-fanout', results);
process.exit(0);
