import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InboundKit, imapServer, imapUser, mail, startInbound, waitFor } from './test-support.ts';

const server = imapServer();
const COUNT = 200;
const KILLS = 8;
let kit: InboundKit;
const user = imapUser('kill');
const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => kit.t.kernel.db.query<T>(sql, params);
const node = process.execPath;
const worker = fileURLToPath(new URL('./testing/kill-worker.ts', import.meta.url));
// The child computes the same per-worker database name as this test process.
const childEnv = {
  ...process.env,
  TICKETOPS_TEST_RUN: process.env.TICKETOPS_TEST_RUN ?? String(process.ppid),
  VITEST_POOL_ID: process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? String(process.pid),
};

function start(): Promise<ChildProcess> {
  const child = spawn(node, [worker], { env: childEnv, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d) => String(d).includes('ready') && resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
  });
}
const kill9 = (child: ChildProcess) => new Promise<void>((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) return resolve();
  child.once('exit', () => resolve());
  child.kill('SIGKILL');
});
const ingested = async () => Number((await q<{ n: string }>('select count(*) as n from email_inbound'))[0]?.n);

describe.skipIf(!server)('kill-safety (dovecot, kill -9 of the ingesting process)', () => {
  beforeAll(async () => {
    kit = await startInbound();
    const client = new ImapFlow({ host: server?.host as string, port: server?.port as number, secure: false, auth: { user, pass: server?.password as string }, logger: false });
    await client.connect();
    for (let i = 0; i < COUNT; i++) await client.append('INBOX', mail({ from: `sender${i % 20}@customer.test`, subject: `kill ${i}`, messageId: `<kill-${i}@sender.test>`, body: `message ${i} `.repeat(50) }));
    await client.logout();
    await q(
      `insert into email_mailbox (id, tenant_id, name, address, host, port, secure, username, password) values ('emb_kill', ?, 'Kill', 'kill@help.test', ?, ?, false, ?, ?)`,
      [kit.tenantId, server?.host, server?.port, user, server?.password],
    );
  }, 120_000);
  afterAll(async () => kit?.close());

  it(`ingests ${COUNT} messages exactly once across ${KILLS} kill -9s at random points`, async () => {
    const progress: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      const child = await start();
      // Kill while it works: once it has ingested something more, at a random moment soon after
      // (a fast machine ingests the 200 in a second or two, so the window is short).
      const before = await ingested();
      await waitFor(async () => {
        const now = await ingested();
        return now > before || now >= COUNT || child.exitCode !== null;
      }, 120_000);
      await new Promise((r) => setTimeout(r, Math.random() * 150));
      await kill9(child);
      const after = await ingested();
      progress.push(after);
      if (after >= COUNT) break;
    }
    const last = await start();
    try {
      await waitFor(async () => Number((await q<{ last_uid: string }>(`select last_uid from email_mailbox where id = 'emb_kill'`))[0]?.last_uid) === COUNT, 240_000);
    } finally {
      await kill9(last);
    }
    // The kills landed mid-way: progress between them, and work left for the next process.
    expect(progress.filter((n) => n > 0 && n < COUNT).length).toBeGreaterThanOrEqual(KILLS / 2);
    expect(await q(`select count(*)::int as n, count(distinct message_id)::int as d from email_inbound`)).toEqual([{ n: COUNT, d: COUNT }]);
    expect(await q(`select count(*)::int as n from ticket where channel = 'email'`)).toEqual([{ n: COUNT }]);
    expect(await q(`select count(*)::int as n from email_message where direction = 'in' and ticket_id is not null`)).toEqual([{ n: COUNT }]);
    const client = new ImapFlow({ host: server?.host as string, port: server?.port as number, secure: false, auth: { user, pass: server?.password as string }, logger: false });
    await client.connect();
    const status = await client.status('INBOX', { messages: true, unseen: true });
    await client.logout();
    expect(status).toMatchObject({ messages: COUNT, unseen: 0 });
  }, 600_000);
});
