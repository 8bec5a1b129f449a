import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { type ConfigOverrides, loadConfig } from '../config/config.ts';
import { type RunningServer, listen } from '../http/server.ts';
import { Kernel } from '../kernel/kernel.ts';
import { ensureDefaults } from '../kernel/defaults.ts';
import { commands } from '../cli/commands.ts';
import type { PluginEntry } from '../plugins/loader.ts';
import { testDatabaseUrl } from './database.ts';

export interface TestKernel {
  kernel: Kernel;
  url: string;
  /** JSON request against the running server; `token` adds the Bearer header. */
  request(method: string, path: string, options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; body: any }>;
  /** Creates a user with a password and returns it with an API token. */
  createUser(input: { email?: string; role: string; password?: string; name?: string }): Promise<{ id: string; email: string; token: string; password: string }>;
  close(): Promise<void>;
}

let counter = 0;

/**
 * Boots a kernel with the given plugins on this worker's test database (emptied first), and an
 * HTTP server on a free loopback port. Every test file gets a clean database.
 */
export async function startTestKernel(
  options: { plugins?: PluginEntry[]; config?: ConfigOverrides; workers?: boolean; /** Keep the database as it is (a second node). */ join?: boolean } = {},
): Promise<TestKernel> {
  const databaseUrl = await testDatabaseUrl();
  const dataDir = databaseUrl ? undefined : 'memory://';
  const scratch = mkdtempSync(join(tmpdir(), 'ticketops-test-'));
  const config = loadConfig({}, { port: 0, host: '127.0.0.1', logLevel: 'silent', dataDir: dataDir ?? scratch, ...(databaseUrl ? { databaseUrl } : {}), ...options.config });
  if (databaseUrl && !options.join) await emptyDatabase(databaseUrl);
  const kernel = await Kernel.boot({ config, plugins: options.plugins, workers: options.workers ?? true, logger: pino({ level: process.env.TICKETOPS_TEST_LOG ?? 'silent' }) });
  await ensureDefaults(kernel.db);
  let server: RunningServer | undefined;
  try {
    server = await listen(kernel, 0, '127.0.0.1');
  } catch (error) {
    await kernel.stop();
    throw error;
  }
  const url = server.url;
  const request: TestKernel['request'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined = o.rawBody;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    } else if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(`${url}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {}
    return { status: res.status, headers: res.headers, body: parsed };
  };
  return {
    kernel,
    url,
    request,
    async createUser(input) {
      const email = input.email ?? `user${++counter}-${Date.now()}@example.test`;
      const password = input.password ?? 'a long test password';
      const user = await commands['users.create'](kernel, { email, password, role: input.role, name: input.name ?? email });
      const { token } = await commands['tokens.create'](kernel, { email, name: 'test' });
      return { id: user.id, email, token, password };
    },
    async close() {
      await server?.close();
      await kernel.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** Drops every table and the job schema, so each test file starts from a fresh migration run. */
async function emptyDatabase(url: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('drop schema if exists public cascade; create schema public; drop schema if exists pgboss cascade');
  } finally {
    await client.end();
  }
}
