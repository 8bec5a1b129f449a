import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentsPlugin } from '@ticketops/plugin-attachments';
import { definePlugin } from '@ticketops/plugin-sdk';
import { emailPlugin } from '../index.ts';
import { type InboundKit, mail, smtpSend, startInbound } from './test-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'ticketops-email-att-'));
let kit: InboundKit;
let port: number;
const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => kit.t.kernel.db.query<T>(sql, params);
// The email plugin with the attachments plugin as an optional dependency (the lead adds it to index.ts).
const withAttachments = definePlugin({ ...emailPlugin, optionalDependsOn: ['attachments'] });

beforeAll(async () => {
  kit = await startInbound(
    { smtp: { enabled: true, port: 0 }, limits: { maxMessageBytes: 256 * 1024 } },
    { plugins: [{ definition: attachmentsPlugin, config: { storage: { driver: 'disk', dir }, allow: ['image/png', 'text/calendar'] } }], emailDefinition: withAttachments },
  );
  port = kit.runtime.smtp?.port as number;
  await q(`insert into email_mailbox (id, tenant_id, name, address, host, port, username, password) values ('emb_smtp', ?, 'Support', 'support@help.test', '127.0.0.1', 1, 'u', 'p')`, [kit.tenantId]);
});
afterAll(async () => {
  await kit?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SMTP listener', () => {
  it('accepts mail for a mailbox address (also with a +token) and answers 250 after the ticket committed', async () => {
    const raw = mail({ subject: 'Via SMTP' });
    const sent = await smtpSend(port, { from: 'carla@customer.test', to: ['support+anything@help.test'] }, raw);
    expect(sent.codes.at(-1)).toBe(250);
    expect(await q(`select title, channel from ticket where title = 'Via SMTP'`)).toEqual([{ title: 'Via SMTP', channel: 'email' }]);
    expect((await q<{ source: string; mailbox_id: string }>(`select source, mailbox_id from email_inbound where subject = 'Via SMTP'`))[0]).toEqual({ source: 'smtp', mailbox_id: 'emb_smtp' });
  });

  it('refuses recipients that are no mailbox of ours with 550', async () => {
    const sent = await smtpSend(port, { from: 'carla@customer.test', to: ['nobody@elsewhere.test'] }, mail());
    expect(sent.codes.at(-1)).toBe(550);
  });

  it('refuses an oversize message with 552 and keeps nothing', async () => {
    const before = await q('select count(*)::int as n from ticket');
    const big = mail({ subject: 'too big', body: 'x'.repeat(300 * 1024) });
    const sent = await smtpSend(port, { from: 'carla@customer.test', to: ['support@help.test'] }, big);
    expect(sent.codes.at(-1)).toBe(552);
    expect(await q('select count(*)::int as n from ticket')).toEqual(before);
  });

  it('hands attachments (inline image by cid, calendar invite) to the attachments plugin; a refused one (winmail.dat) is noted', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:1@x\r\nDTSTART:20261201T100000Z\r\nSUMMARY:Call\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
    const body = [
      '--outer', 'Content-Type: multipart/related; boundary="rel"', '',
      '--rel', 'Content-Type: text/html; charset=utf-8', '', '<p>See <img src="cid:shot@x"></p>', '',
      '--rel', 'Content-Type: image/png', 'Content-Transfer-Encoding: base64', 'Content-ID: <shot@x>', 'Content-Disposition: inline', '', png.toString('base64'), '--rel--', '',
      '--outer', 'Content-Type: text/calendar; method=REQUEST; charset=utf-8', '', ics,
      '--outer', 'Content-Type: application/ms-tnef; name="winmail.dat"', 'Content-Transfer-Encoding: base64', 'Content-Disposition: attachment; filename="winmail.dat"', '', Buffer.from([0x78, 0x9f, 0x3e, 0x22, 1, 2, 3]).toString('base64'), '',
      '--outer--', '',
    ].join('\r\n');
    const raw = mail({ subject: 'With files', mime: { contentType: 'multipart/mixed; boundary="outer"', body } });
    expect((await smtpSend(port, { from: 'carla@customer.test', to: ['support@help.test'] }, raw)).codes.at(-1)).toBe(250);
    const row = (await q<{ ticket_id: string; attachments: { name: string; contentId?: string; attachmentId?: string; error?: string }[] }>(`select ticket_id, attachments from email_inbound where subject = 'With files'`))[0];
    expect(row?.attachments.find((a) => a.contentId === '<shot@x>')?.attachmentId).toMatch(/^att_/);
    expect(row?.attachments.find((a) => a.name.endsWith('.ics'))?.attachmentId).toMatch(/^att_/);
    // The attachments plugin's type policy refuses winmail.dat here: noted, and the mail still made its ticket.
    expect(row?.attachments.find((a) => a.name === 'winmail.dat')?.error).toMatch(/not accepted/);
    const files = await q<{ name: string }>('select name from attachments_file where ticket_id = ? order by name', [row?.ticket_id]);
    expect(files.map((f) => f.name)).toEqual(['attachment-2.ics', 'inline-1.png']);
    // Finished in the ingesting process: nothing left due for the recovery job.
    expect(await q(`select attachments_due from email_inbound where subject = 'With files'`)).toEqual([{ attachments_due: null }]);
  });

  it('finishes a hand-over that a crash cut short, from the stored raw source, without repeating handed files', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    const part = (name: string, bytes: Buffer) => ['--b', `Content-Type: image/png; name="${name}"`, 'Content-Transfer-Encoding: base64', `Content-Disposition: attachment; filename="${name}"`, '', bytes.toString('base64')];
    const body = ['--b', 'Content-Type: text/plain', '', 'Three screenshots.', ...part('one.png', png), ...part('two.png', Buffer.concat([png, Buffer.from([0])])), ...part('three.png', Buffer.concat([png, Buffer.from([1])])), '--b--', ''].join('\r\n');
    expect((await smtpSend(port, { from: 'carla@customer.test', to: ['support@help.test'] }, mail({ subject: 'Crash mid-way', mime: { contentType: 'multipart/mixed; boundary="b"', body } }))).codes.at(-1)).toBe(250);
    const [row] = await q<{ ticket_id: string; attachments: { name: string; attachmentId: string }[] }>(`select ticket_id, attachments from email_inbound where subject = 'Crash mid-way'`);
    expect(row!.attachments.map((a) => a.name)).toEqual(['one.png', 'two.png', 'three.png']);
    // What a process killed after the first file would have left: one file handed and noted, the
    // mail still due — the lease run out. The other two files' rows go (as if never uploaded).
    const [, ...undone] = row!.attachments;
    for (const a of undone) expect((await kit.t.request('DELETE', `/api/v1/attachments/${a.attachmentId}`, { token: kit.admin.token })).status).toBe(204);
    await q(`update email_inbound set attachments = ?, attachments_due = now() - interval '1 second' where subject = 'Crash mid-way'`, [JSON.stringify(row!.attachments.slice(0, 1))]);
    // A mail whose lease still runs is not taken.
    await q(`update email_inbound set attachments_due = now() + interval '1 minute' where subject = 'With files'`);

    expect(await kit.runtime.recoverAttachments()).toBe(1);
    const files = await q<{ name: string }>('select name from attachments_file where ticket_id = ? order by name', [row!.ticket_id]);
    expect(files.map((f) => f.name)).toEqual(['one.png', 'three.png', 'two.png']);
    const [after] = await q<{ attachments: { name: string; attachmentId: string }[]; attachments_due: Date | null }>(`select attachments, attachments_due from email_inbound where subject = 'Crash mid-way'`);
    expect(after!.attachments_due).toBeNull();
    expect(after!.attachments.map((a) => a.name)).toEqual(['one.png', 'two.png', 'three.png']);
    expect(after!.attachments[0]!.attachmentId).toBe(row!.attachments[0]!.attachmentId);
    expect(await kit.runtime.recoverAttachments()).toBe(0);
    expect((await q<{ due: boolean }>(`select attachments_due is not null as due from email_inbound where subject = 'With files'`))[0]!.due).toBe(true);
  });
});
