/**
 * Sandbox benchmark: warm run latency through the supervisor (IPC + fresh context + cached
 * module), pool throughput, the cost of a fresh context and of a fresh isolate, and the API
 * process's HTTP latency idle vs. while 100 hostile scripts run.
 *
 *   node test/bench/sandbox.bench.ts            (re-executes itself with --no-node-snapshot)
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { SandboxSupervisor } from '../../core/src/sandbox/supervisor.ts';
import { load, machine, round, save } from './lib.ts';

if (!process.execArgv.includes('--no-node-snapshot')) {
  const child = spawnSync(process.execPath, ['--no-node-snapshot', import.meta.filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

const WORKERS = Number(process.env.BENCH_SANDBOX_WORKERS ?? 2);
const pct = (sorted: number[], p: number) => round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN);
const summary = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { n: sorted.length, p50: pct(sorted, 50), p99: pct(sorted, 99) };
};

const RULE = `export default function evaluate(event, ctx) {
  const actions = [];
  if (event.ticket.priority === 'urgent') actions.push({ type: 'add_tags', tags: ['vip'] });
  if (event.ticket.tags.includes('billing')) actions.push({ type: 'assign', groupId: 'grp_billing' });
  return actions;
}`;
const EVENT = { type: 'ticket.created', ticket: { id: 'tck_1', priority: 'urgent', tags: ['billing', 'eu'], title: 'Invoice wrong', description: 'x'.repeat(1500) } };
const HOSTILE = [
  'export default () => { for (;;) {} }',
  'export default async () => { for (;;) await null; }',
  'export default () => { const a = []; for (;;) a.push("x".repeat(100)); }',
  'export default () => { const f = () => f(); f(); }',
  "export default () => String(BigInt('9'.repeat(3e7))).length",
];

async function warmLatency(sandbox: SandboxSupervisor) {
  const request = { tenantId: 'ten_bench', scriptId: 'rule_1', version: 1, source: RULE, input: EVENT };
  for (let i = 0; i < 300; i++) await sandbox.run(request);
  const times: number[] = [];
  const outcomes: Record<string, number> = {};
  for (let i = 0; i < 3000; i++) {
    const t0 = performance.now();
    const result = await sandbox.run(request);
    times.push(performance.now() - t0);
    outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
  }
  // On a loaded machine a niced worker can wait past the 250 ms wall limit: counted, not hidden.
  return { ...summary(times), outcomes };
}

async function throughput(sandbox: SandboxSupervisor, seconds: number) {
  const tenants = 8;
  const inFlight = 32;
  let done = 0;
  let notOk = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: inFlight }, async (_, lane) => {
    while (performance.now() < until) {
      const result = await sandbox.run({ tenantId: `ten_t${lane % tenants}`, scriptId: 'rule_1', version: 1, source: RULE, input: EVENT });
      if (result.outcome === 'ok') done++;
      else notOk++;
    }
  }));
  return { runsPerSecond: Math.round(done / seconds), notOk, tenants, inFlight };
}

/** Direct isolated-vm costs in this process (the workers pay them). */
async function isolateCosts() {
  const { default: ivm } = await import('isolated-vm');
  const warm = new ivm.Isolate({ memoryLimit: 32 });
  const contexts: number[] = [];
  for (let i = 0; i < 1200; i++) {
    const t0 = performance.now();
    const context = await warm.createContext();
    context.release();
    if (i >= 200) contexts.push(performance.now() - t0);
  }
  const isolates: number[] = [];
  for (let i = 0; i < 220; i++) {
    const t0 = performance.now();
    const isolate = new ivm.Isolate({ memoryLimit: 32 });
    const context = await isolate.createContext();
    context.release();
    isolate.dispose();
    if (i >= 20) isolates.push(performance.now() - t0);
  }
  warm.dispose();
  return { freshContext: summary(contexts), freshIsolateWithContext: summary(isolates) };
}

async function apiLatency(sandbox: SandboxSupervisor, seconds: number) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  const idle = await load(url, { connections: 8, seconds, warmupSeconds: 1 });

  let stop = false;
  const outcomes: Record<string, number> = {};
  const lanes = Array.from({ length: 100 }, async (_, lane) => {
    for (let i = 0; !stop; i++) {
      const result = await sandbox.run({ tenantId: `ten_h${lane % 10}`, scriptId: `h${lane}`, version: i, source: HOSTILE[(lane + i) % HOSTILE.length] as string, input: null });
      outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
    }
  });
  await new Promise((r) => setTimeout(r, 500));
  const hostile = await load(url, { connections: 8, seconds });
  stop = true;
  await Promise.all(lanes);
  server.close();
  const after = await sandbox.run({ tenantId: 'ten_bench', scriptId: 'rule_1', version: 1, source: RULE, input: EVENT });
  return { idle, hostile, p99Change: `${round(((hostile.p99 - idle.p99) / idle.p99) * 100)} %`, hostileOutcomes: outcomes, normalRunAfter: after.outcome };
}

const loadBefore = loadavg().map(round);
const sandbox = new SandboxSupervisor({ workers: WORKERS });
try {
  const warm = await warmLatency(sandbox);
  console.log('warm run', warm);
  const pool = await throughput(sandbox, 5);
  console.log('throughput', pool);
  const costs = await isolateCosts();
  console.log('isolate costs', costs);
  const api = await apiLatency(sandbox, 5);
  console.log('api latency', api);
  const results = {
    machine: { ...machine(), loadavgBefore: loadBefore, loadavgAfter: loadavg().map(round) },
    settings: { workers: WORKERS, concurrencyPerWorker: 4, workerNice: 10 },
    warmRunMs: warm,
    throughput: pool,
    isolateCostsMs: costs,
    apiLatencyMs: api,
    stats: sandbox.stats(),
  };
  save('sandbox', results);
} finally {
  await sandbox.stop();
}
