import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../../core/src/testing/index.ts';

const BIN = resolve(import.meta.dirname, '../../core/bin/ticketops.js');
const NODE = process.execPath;
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(NODE, [BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(NODE, [BIN, 'start'], { env: { ...process.env, LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1', ...env } });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/readyz`).then((r) => r.ok).catch(() => false);
    if (ok) return { child, url, exited };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not become ready: ${output}`);
}

const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ticketops-cli-'));
  dirs.push(dir);
  return dir;
};

describe('ticketops CLI on the embedded database', () => {
  it('creates a user and a token through the running server, and the token works', async () => {
    const env = { TICKETOPS_DATA_DIR: join(scratch(), 'data') };
    delete process.env.DATABASE_URL;
    const server = await startServer(env);

    const created = await run(['users', 'create', '--email', 'ops@example.com', '--password', 'a long password', '--role', 'admin', '--name', 'Ops'], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/created admin ops@example.com \(usr_/);

    const token = await run(['tokens', 'create', '--email', 'ops@example.com', '--name', 'ci'], env);
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/^tko_[A-Za-z0-9_-]{43}\n$/);

    const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token.stdout.trim()}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: 'ops@example.com', name: 'Ops', role: 'admin' });

    const dup = await run(['users', 'create', '--email', 'ops@example.com', '--password', 'a long password', '--role', 'admin'], env);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already exists');

    // A second server on the same data directory is refused, naming the holder.
    const second = await run(['start'], { ...env, PORT: '0' });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/in use by process \d+/);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    // With no server running, the CLI opens the database itself.
    const list = await run(['plugins', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout.trim()).toBe('no plugins enabled');
  }, 180_000);
});

describe('ticketops CLI on PostgreSQL', () => {
  it('migrates, creates a user and token, and a separately started server accepts the token', async () => {
    const url = await testDatabaseUrl();
    if (!url) return; // embedded fallback: covered above
    const dbUrl = new URL(url);
    dbUrl.pathname = `${dbUrl.pathname}_cli`;
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const name = dbUrl.pathname.slice(1);
    await admin.query(`drop database if exists ${name}`);
    await admin.query(`create database ${name}`);
    await admin.end();
    const env = { DATABASE_URL: dbUrl.toString() };

    const migrated = await run(['migrate'], env);
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toContain('applied kernel/0001-kernel');
    expect((await run(['migrate'], env)).stdout.trim()).toBe('database is up to date');

    expect((await run(['users', 'create', '--email', 'pg@example.com', '--password', 'a long password', '--role', 'agent'], env)).code).toBe(0);
    const token = (await run(['tokens', 'create', '--email', 'pg@example.com', '--name', 'x'], env)).stdout.trim();
    const server = await startServer(env);
    const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect((await me.json()).role).toBe('agent');
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 180_000);
});
