import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapSupervisor } from './imap/supervisor.ts';
import { type InboundKit, imapServer, imapUser, mail, startInbound, waitFor } from './test-support.ts';

const server = imapServer();
let kit: InboundKit;
let client: ImapFlow;
const user = imapUser('imap');
const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => kit.t.kernel.db.query<T>(sql, params);
const tickets = async () => Number((await q<{ n: string }>(`select count(*) as n from ticket where channel = 'email'`))[0]?.n);

describe.skipIf(!server)('IMAP mailboxes (dovecot)', () => {
  beforeAll(async () => {
    // Polling every 10 minutes: mail appended while a session runs can only arrive this fast through IDLE.
    kit = await startInbound({ imap: { enabled: true, pollSeconds: 600, leaseSeconds: 4 } });
    client = new ImapFlow({ host: server?.host as string, port: server?.port as number, secure: false, auth: { user, pass: server?.password as string }, logger: false });
    await client.connect();
    await client.mailboxCreate('Support');
  });
  afterAll(async () => {
    await client?.logout().catch(() => undefined);
    await kit?.close();
  });

  let mailboxId: string;

  it('adds a mailbox through the API without ever returning its password, and tests its connection', async () => {
    const body = { name: 'Support', address: 'imap-support@help.test', host: server?.host, port: server?.port, secure: false, username: user, password: server?.password, folder: 'Support', active: false };
    const created = await kit.t.request('POST', '/api/v1/email/mailboxes', { token: kit.admin.token, body });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain(server?.password as string);
    mailboxId = created.body.id;
    const list = await kit.t.request('GET', '/api/v1/email/mailboxes', { token: kit.admin.token });
    expect(JSON.stringify(list.body)).not.toContain(server?.password as string);
    expect((await kit.t.request('POST', '/api/v1/email/mailboxes', { token: kit.admin.token, body })).status).toBe(409);
    const bad = await kit.t.request('POST', '/api/v1/email/mailboxes', { token: kit.admin.token, body: { ...body, address: 'x@y.test', host: 'evil\r\nhost' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toMatch(/host/);
    expect((await kit.t.request('POST', `/api/v1/email/mailboxes/${mailboxId}/test`, { token: kit.admin.token })).body).toMatchObject({ ok: true });
    await kit.t.request('PATCH', `/api/v1/email/mailboxes/${mailboxId}`, { token: kit.admin.token, body: { password: 'wrong' } });
    expect((await kit.t.request('POST', `/api/v1/email/mailboxes/${mailboxId}/test`, { token: kit.admin.token })).body).toMatchObject({ ok: false });
    await kit.t.request('PATCH', `/api/v1/email/mailboxes/${mailboxId}`, { token: kit.admin.token, body: { password: server?.password } });
  });

  it('ingests new mail, flags it \\Seen only after the ticket committed, advances the stored UID, and hears of new mail by IDLE', async () => {
    for (let i = 0; i < 3; i++) await client.append('Support', mail({ subject: `imap ${i}`, messageId: `<imap-${i}@sender.test>` }));
    await kit.t.request('PATCH', `/api/v1/email/mailboxes/${mailboxId}`, { token: kit.admin.token, body: { active: true } });
    await waitFor(async () => (await tickets()) === 3);
    await waitFor(async () => Number((await q<{ last_uid: string }>('select last_uid from email_mailbox where id = ?', [mailboxId]))[0]?.last_uid) === 3);
    const lock = await client.getMailboxLock('Support');
    try {
      const flags = [];
      for await (const m of client.fetch('1:*', { uid: true, flags: true })) flags.push([...(m.flags ?? [])]);
      expect(flags).toEqual([['\\Seen'], ['\\Seen'], ['\\Seen']]);
    } finally {
      lock.release();
    }
    // IDLE picks up mail appended later (the next poll is ten minutes away).
    await client.append('Support', mail({ subject: 'imap later', messageId: '<imap-later@sender.test>' }));
    await waitFor(async () => (await tickets()) === 4);
  });

  it('holds one poller per mailbox across processes (a lease row)', async () => {
    const other = new ImapSupervisor({ ...kit.runtime.imap?.options as ImapSupervisor['options'] });
    await other.claim();
    const owner = (await q<{ lease_owner: string }>('select lease_owner from email_mailbox where id = ?', [mailboxId]))[0]?.lease_owner;
    expect(owner).toBe(kit.runtime.imap?.owner);
    expect(owner).not.toBe(other.owner);
    await other.stop();
  });

  it('re-syncs safely when UIDVALIDITY changes: the same messages are not ingested twice', async () => {
    await kit.t.request('PATCH', `/api/v1/email/mailboxes/${mailboxId}`, { token: kit.admin.token, body: { active: false } });
    await waitFor(async () => (await q('select 1 from email_mailbox where id = ? and lease_until is null', [mailboxId])).length > 0);
    const before = (await q<{ uid_validity: string }>('select uid_validity from email_mailbox where id = ?', [mailboxId]))[0]?.uid_validity;
    await client.mailboxDelete('Support');
    // Dovecot derives UIDVALIDITY from the clock's second: recreate the folder in a later second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await client.mailboxCreate('Support');
    for (let i = 0; i < 3; i++) await client.append('Support', mail({ subject: `imap ${i}`, messageId: `<imap-${i}@sender.test>` }));
    await client.append('Support', mail({ subject: 'imap new after reset', messageId: '<imap-new@sender.test>' }));
    await kit.t.request('PATCH', `/api/v1/email/mailboxes/${mailboxId}`, { token: kit.admin.token, body: { active: true } });
    await waitFor(async () => (await q('select 1 from email_mailbox where id = ? and uid_validity <> ? and last_uid = 4', [mailboxId, before])).length > 0);
    const after = (await q<{ uid_validity: string }>('select uid_validity from email_mailbox where id = ?', [mailboxId]))[0]?.uid_validity;
    expect(after).not.toBe(before);
    expect(await tickets()).toBe(5);
  });

  it('keeps aside a message whose ingest keeps failing (the third time), and goes on with the next', async () => {
    const options = kit.runtime.imap?.options as ImapSupervisor['options'];
    const real = options.ingest;
    let attempts = 0;
    options.ingest = async (input) => {
      if (input.raw.includes('poison pill')) {
        attempts++;
        throw new Error('simulated bug');
      }
      return real(input);
    };
    try {
      await client.append('Support', mail({ subject: 'poison', body: 'poison pill', messageId: '<poison@sender.test>' }));
      await client.append('Support', mail({ subject: 'after poison', messageId: '<after-poison@sender.test>' }));
      await waitFor(async () => (await q(`select 1 from ticket where title = 'after poison'`)).length > 0);
      expect(attempts).toBe(3);
      expect(await q(`select reason, detail->>'message' as message from email_quarantine where mailbox_id = ?`, [mailboxId])).toEqual([{ reason: 'ingest-error', message: 'simulated bug' }]);
    } finally {
      options.ingest = real;
    }
  });

  it('moves a message to the configured folder (instead of flagging it) only after its ticket committed', async () => {
    await client.mailboxCreate('Done');
    expect((await kit.t.request('PATCH', `/api/v1/email/mailboxes/${mailboxId}`, { token: kit.admin.token, body: { moveTo: 'Done' } })).status).toBe(200);
    await client.append('Support', mail({ subject: 'to be moved', messageId: '<moved@sender.test>' }));
    await waitFor(async () => (await q(`select 1 from ticket where title = 'to be moved'`)).length > 0);
    await waitFor(async () => {
      const status = await client.status('Done', { messages: true });
      return status && status.messages === 1;
    });
    const lock = await client.getMailboxLock('Support');
    try {
      const subjects = [];
      for await (const m of client.fetch('1:*', { envelope: true })) subjects.push(m.envelope?.subject);
      expect(subjects).not.toContain('to be moved');
    } finally {
      lock.release();
    }
  });
});
