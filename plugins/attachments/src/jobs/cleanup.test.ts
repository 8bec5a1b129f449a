import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { type AttachmentsRuntime, attachmentsPlugin } from '../index.ts';
import { PNG, upload } from '../testing/helpers.ts';
import { deleteUnattached } from './cleanup.ts';

const dir = mkdtempSync(join(tmpdir(), 'ticketops-attachments-cleanup-'));
let t: TestKernel;
let agent: { id: string; token: string };
let runtime: AttachmentsRuntime;

const q = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => t.kernel.db.query<T>(text, params);
const asSystem = <R>(work: (scope: Parameters<AttachmentsRuntime['runCleanup']>[0]) => Promise<R>) => t.kernel.runAsSystem('ten_default', `test-${Math.random()}`, work);
const blobPath = (sha: string) => join(dir, 'ten_default', sha.slice(0, 2), sha);
const unique = (tag: string) => Buffer.concat([PNG, Buffer.from(`${tag}-${Math.random()}`)]);
const newTicket = async () => (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Cleanup', requester: agent.id } })).body.id as string;

beforeAll(async () => {
  t = await startTestKernel({
    workers: false,
    plugins: [{ definition: attachmentsPlugin, config: { storage: { driver: 'disk', dir }, retention: { closedTicketDays: 30 } } }],
  });
  agent = await t.createUser({ role: 'agent' });
  runtime = (t.kernel.container.resolve('attachments.runtime') as { get(): AttachmentsRuntime }).get();
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('orphan clean-up', () => {
  it('deletes unattached uploads past the age, frees their bytes unless shared, and audits the counts', async () => {
    const ticketId = await newTicket();
    const shared = unique('shared');
    const old = await upload(t, agent.token, unique('old'), 'old.png');
    const oldShared = await upload(t, agent.token, shared, 'old-shared.png');
    const attached = await upload(t, agent.token, shared, 'attached.png', `?ticketId=${ticketId}`);
    const fresh = await upload(t, agent.token, unique('fresh'), 'fresh.png');
    await q(`update attachments_file set created_at = now() - interval '25 hours' where id in (?, ?)`, [old.body.id, oldShared.body.id]);

    const counts = await asSystem((scope) => runtime.runCleanup(scope));
    expect(counts).toMatchObject({ unattached: 2, blobs: 1, blobFailures: 0 });
    const left = (await q<{ id: string }>('select id from attachments_file order by id')).map((r) => r.id);
    expect(left).toEqual([attached.body.id, fresh.body.id].sort());
    expect(existsSync(blobPath(old.body.sha256))).toBe(false);
    expect(existsSync(blobPath(attached.body.sha256))).toBe(true);
    expect((await q('select 1 from attachments_blob where sha256 = ?', [old.body.sha256])).length).toBe(0);
    const [audit] = await q<{ data: Record<string, number> }>(`select data from audit_log where action = 'attachment.cleanup' order by created_at desc limit 1`);
    expect(audit?.data).toEqual({ unattached: 2, blobs: 1 });
    // A second run finds nothing more.
    expect(await asSystem((scope) => runtime.runCleanup(scope))).toMatchObject({ unattached: 0, blobs: 0 });
  });

  it('frees blobs left at ref_count 0 by a cascading ticket delete', async () => {
    const ticketId = await newTicket();
    const a = await upload(t, agent.token, unique('cascade'), 'a.png', `?ticketId=${ticketId}`);
    await q('delete from ticket where id = ?', [ticketId]);
    expect((await q<{ ref_count: number }>('select ref_count from attachments_blob where sha256 = ?', [a.body.sha256]))[0]?.ref_count).toBe(0);
    expect(existsSync(blobPath(a.body.sha256))).toBe(true);
    expect(await asSystem((scope) => runtime.runCleanup(scope))).toMatchObject({ blobs: 1 });
    expect(existsSync(blobPath(a.body.sha256))).toBe(false);
    expect((await q('select 1 from attachments_blob where sha256 = ?', [a.body.sha256])).length).toBe(0);
  });

  it('keeps a blob whose bytes could not be removed, and removes it on a later run', async () => {
    const ticketId = await newTicket();
    const a = await upload(t, agent.token, unique('stuck'), 'a.png', `?ticketId=${ticketId}`);
    // A non-empty directory where the file was: removing it fails (EISDIR) like a storage outage would.
    const path = blobPath(a.body.sha256);
    rmSync(path);
    mkdirSync(path);
    writeFileSync(join(path, 'x'), 'x');
    expect((await t.request('DELETE', `/api/v1/attachments/${a.body.id}`, { token: agent.token })).status).toBe(204);
    expect((await q<{ ref_count: number }>('select ref_count from attachments_blob where sha256 = ?', [a.body.sha256]))[0]?.ref_count).toBe(0);
    expect(await asSystem((scope) => runtime.runCleanup(scope))).toMatchObject({ blobs: 0, blobFailures: 1 });
    rmSync(path, { recursive: true });
    writeFileSync(path, 'bytes back');
    expect(await asSystem((scope) => runtime.runCleanup(scope))).toMatchObject({ blobs: 1, blobFailures: 0 });
    expect(existsSync(path)).toBe(false);
  });

  it('removes staged files older than the staging age, not younger ones', async () => {
    const tmp = join(dir, '.tmp');
    mkdirSync(tmp, { recursive: true });
    writeFileSync(join(tmp, 'stale'), 'x');
    writeFileSync(join(tmp, 'live'), 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(join(tmp, 'stale'), twoHoursAgo, twoHoursAgo);
    expect(await asSystem((scope) => runtime.runCleanup(scope))).toMatchObject({ staging: 1 });
    expect(existsSync(join(tmp, 'stale'))).toBe(false);
    expect(existsSync(join(tmp, 'live'))).toBe(true);
  });

  it('shares the work between concurrent runs without deleting anything twice (skip locked)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await upload(t, agent.token, unique(`c${i}`), `c${i}.png`)).body.id);
    const list = ids.map(() => '?').join(', ');
    await q(`update attachments_file set created_at = now() - interval '2 days' where id in (${list})`, ids);
    const config = { ...runtime.cleanup.config, cleanup: { ...runtime.cleanup.config.cleanup, batchSize: 2 } };
    const runs = await Promise.all([1, 2, 3].map(() => asSystem((scope) => deleteUnattached(scope, config))));
    const total = runs.reduce((sum, m) => sum + (m.get('ten_default') ?? 0), 0);
    expect(total).toBe(12);
    expect((await q(`select 1 from attachments_file where id in (${list})`, ids)).length).toBe(0);
    expect(await asSystem((scope) => runtime.runCleanup(scope))).toMatchObject({ blobs: 12 });
  });
});

describe('retention', () => {
  it('deletes attachments of tickets closed longer than retention.closedTicketDays, keeps the rest', async () => {
    const longClosed = await newTicket();
    const recentlyClosed = await newTicket();
    const open = await newTicket();
    const a = await upload(t, agent.token, unique('long'), 'a.png', `?ticketId=${longClosed}`);
    const b = await upload(t, agent.token, unique('recent'), 'b.png', `?ticketId=${recentlyClosed}`);
    const c = await upload(t, agent.token, unique('open'), 'c.png', `?ticketId=${open}`);
    await q(`update ticket set status = 'closed', status_category = 'closed', closed_at = now() - interval '31 days' where id = ?`, [longClosed]);
    await q(`update ticket set status = 'closed', status_category = 'closed', closed_at = now() - interval '29 days' where id = ?`, [recentlyClosed]);
    // Open for a long time is not closed.
    await q(`update ticket set created_at = now() - interval '400 days' where id = ?`, [open]);

    expect(await asSystem((scope) => runtime.runRetention(scope))).toMatchObject({ retention: 1, blobs: 1 });
    const left = (await q<{ id: string }>('select id from attachments_file where id in (?, ?, ?)', [a.body.id, b.body.id, c.body.id])).map((r) => r.id).sort();
    expect(left).toEqual([b.body.id, c.body.id].sort());
    expect(existsSync(blobPath(a.body.sha256))).toBe(false);
    const [audit] = await q<{ data: Record<string, number> }>(`select data from audit_log where action = 'attachment.retention' order by created_at desc limit 1`);
    expect(audit?.data).toEqual({ deleted: 1, blobs: 1 });
  });

  it('is off without retention.closedTicketDays', async () => {
    const config = { ...runtime.cleanup.config, retention: { cron: '43 3 * * *' } };
    const ticketId = await newTicket();
    await upload(t, agent.token, unique('keep'), 'k.png', `?ticketId=${ticketId}`);
    await q(`update ticket set status = 'closed', status_category = 'closed', closed_at = now() - interval '3000 days' where id = ?`, [ticketId]);
    const { runRetention } = await import('./cleanup.ts');
    expect(await asSystem((scope) => runRetention(scope, { ...runtime.cleanup, config }))).toMatchObject({ retention: 0 });
    expect((await q('select 1 from attachments_file where ticket_id = ?', [ticketId])).length).toBe(1);
  });
});
