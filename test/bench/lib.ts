import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = resolve(ROOT, 'core/bin/ticketops.js');
export const NODE = process.execPath;
export const PG_ADMIN = process.env.TICKETOPS_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

export async function waitFor(url: string, timeoutMs = 60_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    const ok = await fetch(url).then((r) => r.status === 200).catch(() => false);
    if (ok) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

export function freePort(): number {
  return 30_000 + Math.floor(Math.random() * 20_000);
}

/** Starts `ticketops start` as its own process (the launcher runs the server in-process on Node 24). */
export function startServer(env: Record<string, string>): { child: ChildProcess; url: string } {
  const port = freePort();
  // BENCH_SERVER_NODE_OPTIONS reaches only the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  const nodeOptions = process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {};
  const child = track(spawn(NODE, [BIN, 'start'], { env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), ...nodeOptions, ...env }, stdio: ['ignore', 'ignore', 'inherit'] }));
  return { child, url: `http://127.0.0.1:${port}` };
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

export function cli(args: string[], env: Record<string, string>): string {
  return execFileSync(NODE, [BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, encoding: 'utf8' });
}

export async function freshDatabase(name: string): Promise<string> {
  const client = new pg.Client({ connectionString: PG_ADMIN });
  await client.connect();
  await client.query(`drop database if exists ${name} with (force)`);
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
}

/** autocannon load; latency percentiles computed exactly from every response time. */
export async function load(url: string, options: { headers?: Record<string, string>; connections?: number; seconds?: number; warmupSeconds?: number } = {}): Promise<LoadResult> {
  const connections = options.connections ?? 32;
  if (options.warmupSeconds) await autocannon({ url, connections, duration: options.warmupSeconds, headers: options.headers });
  const times: number[] = [];
  const instance = autocannon({ url, connections, duration: options.seconds ?? 10, headers: options.headers }) as unknown as Promise<autocannon.Result> & import('node:events').EventEmitter;
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
  const result = await instance;
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? Number.NaN;
  return {
    requestsPerSecond: Math.round(result.requests.total / ((options.seconds ?? 10))),
    p50: round(q(50)), p95: round(q(95)), p99: round(q(99)),
    errors: result.errors, non2xx: result.non2xx, total: result.requests.total,
  };
}

export const round = (n: number) => Math.round(n * 100) / 100;

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return round(kb / 1024);
}

export function machine() {
  let postgres = 'unknown';
  try {
    postgres = execFileSync('psql', [PG_ADMIN, '-Atc', 'show server_version'], { encoding: 'utf8' }).trim();
  } catch {}
  return {
    date: new Date().toISOString(),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGiB: round(totalmem() / 2 ** 30),
    node: process.version,
    kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
    postgres,
  };
}

export function save(name: string, data: unknown): void {
  const file = resolve(ROOT, 'test/bench/results', `${name}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  console.log(`results written to ${file}`);
}
