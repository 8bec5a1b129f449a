import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InboundKit, mail, messageIdOf, startInbound } from './test-support.ts';

/** `rawRetentionDays`: old raw sources go, everything else about the mail stays. */
let kit: InboundKit;
const ingest = (raw: Buffer) => kit.runtime.ingest({ tenantId: kit.tenantId, raw, source: 'api' });
const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => kit.t.kernel.db.query<T>(sql, params);
const age = (table: string, where: string, params: unknown[], days: number) => q(`update ${table} set created_at = now() - make_interval(days => ?) where ${where}`, [days, ...params]);

beforeAll(async () => {
  kit = await startInbound({ rawRetentionDays: 30, unknownSenders: 'reject' });
  await kit.t.createUser({ role: 'customer', email: 'carla@customer.test' });
});
afterAll(async () => kit?.close());

describe('raw source retention', () => {
  it('drops raw sources older than rawRetentionDays, keeps the rest, and the API says the source is gone', async () => {
    const old = mail({ subject: 'Old mail' });
    const recent = mail({ subject: 'Recent mail' });
    const pending = mail({ subject: 'Files still due' });
    const created = await ingest(old);
    await ingest(recent);
    await ingest(pending);
    await ingest(mail({ from: 'who@unknown.test', subject: 'Old spam' }));
    await age('email_inbound', 'message_id = ? or message_id = ?', [messageIdOf(old), messageIdOf(pending)], 31);
    await age('email_quarantine', "subject = 'Old spam'", [], 31);
    // A crashed hand-over still needs its source for the recovery job.
    await q("update email_inbound set attachments_due = now() where message_id = ?", [messageIdOf(pending)]);

    expect(await kit.runtime.dropOldRawSources()).toBe(2);
    const rows = await q<{ subject: string; has_raw: boolean; full_text: string | null }>('select subject, raw is not null as has_raw, full_text from email_inbound order by subject');
    expect(rows.map((r) => [r.subject, r.has_raw])).toEqual([['Files still due', true], ['Old mail', false], ['Recent mail', true]]);
    expect(rows.find((r) => r.subject === 'Old mail')?.full_text).toContain('It prints only blank pages.');
    expect(await q("select raw is not null as has_raw from email_quarantine where subject = 'Old spam'")).toEqual([{ has_raw: false }]);

    if (created.status !== 'ticket') throw new Error('expected a ticket');
    const listed = (await kit.t.request('GET', `/api/v1/email/messages?ticketId=${created.ticketId}`, { token: kit.admin.token })).body.items;
    expect(listed[0]).toMatchObject({ subject: 'Old mail', rawUrl: null });
    const id = (await q<{ id: string }>("select id from email_inbound where subject = 'Old mail'"))[0]?.id;
    expect((await kit.t.request('GET', `/api/v1/email/messages/${id}/raw`, { token: kit.admin.token })).status).toBe(404);
    expect(await kit.runtime.dropOldRawSources()).toBe(0);
  });
});
