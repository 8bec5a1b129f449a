import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deepNesting, hugeHeader, manyParts } from './parse/bombs.ts';
import { prescan } from './parse/prescan.ts';
import { type InboundKit, mail, startInbound } from './test-support.ts';

let kit: InboundKit;
const ingest = (raw: Buffer) => kit.runtime.ingest({ tenantId: kit.tenantId, raw, source: 'api' });
const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => kit.t.kernel.db.query<T>(sql, params);

beforeAll(async () => {
  kit = await startInbound({
    limits: { maxMessageBytes: 2 * 1024 * 1024, maxHeaderBytes: 64 * 1024, maxParts: 200, maxDepth: 20 },
    rateLimit: { perSenderPerHour: 3 },
    unknownSenders: 'reject',
    threading: { order: ['subject', 'references'], nonParticipant: 'quarantine' },
  });
});
afterAll(async () => kit?.close());

describe('MIME bombs', () => {
  it('refuses a million parts, 10,000-deep nesting and a 1 MB header before parsing, in linear time', () => {
    const limits = { maxMessageBytes: 64 * 1024 * 1024, maxHeaderBytes: 256 * 1024, maxParts: 1000, maxDepth: 30 };
    expect(prescan(manyParts(1_000_000), limits)).toMatchObject({ ok: false, reason: 'too-many-parts' });
    expect(prescan(deepNesting(10_000), limits)).toMatchObject({ ok: false, reason: 'too-many-parts' });
    expect(prescan(hugeHeader(1024 * 1024), limits)).toMatchObject({ ok: false, reason: 'header-too-large' });
    expect(prescan(mail(), limits)).toMatchObject({ ok: true });
  });

  it('keeps each bomb aside with its reason, without stalling the event loop, and lists them for an admin', async () => {
    const customer = await kit.t.createUser({ role: 'customer', email: 'bomber@evil.test' });
    void customer;
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const results = [await ingest(manyParts(40_000)), await ingest(deepNesting(10_000)), await ingest(deepNesting(40)), await ingest(hugeHeader(1024 * 1024)), await ingest(Buffer.alloc(3 * 1024 * 1024, 'a'))];
    lag.disable();
    expect(results.map((r) => (r.status === 'quarantined' ? r.reason : r.status))).toEqual(['too-many-parts', 'too-many-parts', 'too-deep', 'header-too-large', 'too-large']);
    // A generous bound: the parsing happens in a worker, so the loop stays responsive.
    expect(lag.max / 1e6).toBeLessThan(1000);
    const list = await kit.t.request('GET', '/api/v1/email/quarantine', { token: kit.admin.token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { reason: string }) => i.reason).sort()).toEqual(expect.arrayContaining(['too-deep', 'too-large', 'too-many-parts', 'header-too-large']));
    const deep = list.body.items.find((i: { reason: string }) => i.reason === 'too-deep');
    // Refused before parsing: no subject is claimed.
    expect(deep.subject).toBeNull();
    const raw = await fetch(`${kit.t.url}${deep.rawUrl}`, { headers: { authorization: `Bearer ${kit.admin.token}` } });
    expect((await raw.text()).startsWith('From: bomber@evil.test')).toBe(true);
    const agent = await kit.t.createUser({ role: 'agent' });
    expect((await kit.t.request('GET', '/api/v1/email/quarantine', { token: agent.token })).status).toBe(403);
  });
});

describe('senders', () => {
  it('keeps aside mail from unknown senders when configured to reject them, and makes no account', async () => {
    const r = await ingest(mail({ from: 'who@unknown.test', subject: 'Ihr Gewinn wartet' }));
    expect(r).toMatchObject({ status: 'quarantined', reason: 'unknown-sender' });
    expect(await q(`select id from app_user where email = 'who@unknown.test'`)).toEqual([]);
    // Kept aside after parsing: the list says what the mail was about.
    const listed = (await kit.t.request('GET', '/api/v1/email/quarantine?reason=unknown-sender', { token: kit.admin.token })).body.items;
    expect(listed.find((i: { sender: string }) => i.sender === 'who@unknown.test')).toMatchObject({ subject: 'Ihr Gewinn wartet' });
  });

  it('limits mail per sender per hour in PostgreSQL; the rest is kept aside', async () => {
    await kit.t.createUser({ role: 'customer', email: 'chatty@customer.test' });
    const results = [];
    for (let i = 0; i < 5; i++) results.push((await ingest(mail({ from: 'chatty@customer.test', subject: `n${i}` }))).status);
    expect(results).toEqual(['ticket', 'ticket', 'ticket', 'quarantined', 'quarantined']);
    expect(await q(`select count from email_sender_rate where address = 'chatty@customer.test'`)).toEqual([{ count: 5 }]);
  });

  it('follows the configured order (subject before references) and quarantines non-participants when told to', async () => {
    await kit.t.createUser({ role: 'customer', email: 'ann@customer.test' });
    await kit.t.createUser({ role: 'customer', email: 'bob@other.test' });
    const a = await ingest(mail({ from: 'ann@customer.test', subject: 'first' }));
    const b = await ingest(mail({ from: 'ann@customer.test', subject: 'second' }));
    const numberOfB = (await q<{ number: string }>('select number from ticket where id = ?', [(b as { ticketId: string }).ticketId]))[0]?.number;
    const aId = (await q<{ message_id: string }>('select message_id from email_message where ticket_id = ?', [(a as { ticketId: string }).ticketId]))[0]?.message_id;
    const reply = await ingest(mail({ from: 'ann@customer.test', subject: `Re: [#${numberOfB}]`, inReplyTo: aId }));
    expect(reply).toMatchObject({ status: 'comment', ticketId: (b as { ticketId: string }).ticketId, thread: { by: 'subject' } });
    const stranger = await ingest(mail({ from: 'bob@other.test', inReplyTo: aId }));
    expect(stranger).toMatchObject({ status: 'quarantined', reason: 'not-participant' });
  });
});
