import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { type AttachmentsRuntime, attachmentsPlugin } from '../index.ts';
import { pngBomb, textImage } from '../testing/images.ts';
import { upload, waitFor } from '../testing/helpers.ts';
import { cleanText } from './ocr.ts';

const dir = mkdtempSync(join(tmpdir(), 'ticketops-attachments-ocr-'));
let t: TestKernel;
let agent: { id: string; token: string };
let customer: { id: string; token: string };
let ticketId: string;
let runtime: AttachmentsRuntime;

const meta = async (id: string, token = agent.token) => (await t.request('GET', `/api/v1/attachments/${id}`, { token })).body;
const asSystem = <R>(work: (scope: Parameters<AttachmentsRuntime['runOcr']>[0]) => Promise<R>) => t.kernel.runAsSystem('ten_default', `test-${Math.random()}`, work);

beforeAll(async () => {
  t = await startTestKernel({ plugins: [{ definition: attachmentsPlugin, config: { storage: { driver: 'disk', dir }, ocr: { enabled: true, concurrency: 1 } } }] });
  agent = await t.createUser({ role: 'agent' });
  customer = await t.createUser({ role: 'customer' });
  ticketId = (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Scanned receipt', requester: customer.id } })).body.id;
  runtime = (t.kernel.container.resolve('attachments.runtime') as { get(): AttachmentsRuntime }).get();
});
afterAll(async () => {
  await runtime?.ocr?.close();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('OCR', () => {
  let imageId: string;

  it('recognises the text of an uploaded image in a job after the upload and shows it with the attachment', async () => {
    const up = await upload(t, customer.token, await textImage('INVOICE PAPAYA 4711'), 'receipt.png', `?ticketId=${ticketId}`);
    expect(up.status).toBe(201);
    imageId = up.body.id;
    const done = await waitFor(async () => {
      const m = await meta(imageId);
      return m.ocr.status === 'done' && m.ocr;
    }, 120_000);
    expect(done.text).toContain('INVOICE');
    expect(done.text).toContain('PAPAYA');
    expect(done.text).toContain('4711');
    // The customer who sees the file sees its text.
    expect((await meta(imageId, customer.token)).ocr.text).toContain('PAPAYA');
  }, 150_000);

  it('is idempotent: a delivered-again event changes nothing', async () => {
    const before = await t.kernel.db.query<{ updated_at: Date }>('select updated_at from attachments_ocr where file_id = ?', [imageId]);
    expect(await asSystem((scope) => runtime.runOcr(scope, imageId))).toBe('skipped');
    expect(await t.kernel.db.query('select updated_at from attachments_ocr where file_id = ?', [imageId])).toEqual(before);
  });

  it('does not apply to non-images, and records an unreadable image as failed instead of retrying it', async () => {
    const text = await upload(t, agent.token, 'plain words', 'notes.txt', `?ticketId=${ticketId}`);
    expect((await meta(text.body.id)).ocr).toEqual({ status: 'none' });
    expect(await asSystem((scope) => runtime.runOcr(scope, text.body.id))).toBe('skipped');
    // A decompression bomb: refused by sharp's pixel limit before tesseract sees it.
    const broken = await upload(t, agent.token, await pngBomb(), 'bomb.png', `?ticketId=${ticketId}`);
    expect(broken.body.mimeType).toBe('image/png');
    expect(await asSystem((scope) => runtime.runOcr(scope, broken.body.id))).toBe('failed');
    expect((await meta(broken.body.id)).ocr).toEqual({ status: 'failed' });
  }, 60_000);

  it('indexes the text for ticket search: found by a word from the image; an internal note\'s image only by staff', async () => {
    const search = async (q: string, token: string) => ((await t.request('GET', `/api/v1/tickets?q=${q}`, { token })).body.items as { id: string }[]).map((i) => i.id);
    expect(await search('papaya', agent.token)).toContain(ticketId);
    expect(await search('papaya', customer.token)).toContain(ticketId);
    const noteId = (await t.request('POST', `/api/v1/tickets/${ticketId}/comments`, { token: agent.token, body: { body: 'internal', internal: true } })).body.id;
    const note = await upload(t, agent.token, await textImage('SECRET KUMQUAT'), 'note.png', `?ticketId=${ticketId}&commentId=${noteId}`);
    await waitFor(async () => (await meta(note.body.id)).ocr.status === 'done', 120_000);
    expect(await search('kumquat', agent.token)).toContain(ticketId);
    expect(await search('kumquat', customer.token)).not.toContain(ticketId);
    // Deleting the attachment takes its text out of search.
    expect((await t.request('DELETE', `/api/v1/attachments/${note.body.id}`, { token: agent.token })).status).toBe(204);
    expect(await search('kumquat', agent.token)).not.toContain(ticketId);
  }, 150_000);

  it('indexes an upload recognised before it was attached when it is linked to a ticket', async () => {
    const loose = await upload(t, agent.token, await textImage('LOOSE MANGO'), 'loose.png');
    await waitFor(async () => (await meta(loose.body.id)).ocr.status === 'done', 120_000);
    const other = (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Another', requester: customer.id } })).body.id;
    expect((await t.request('POST', `/api/v1/attachments/${loose.body.id}/link`, { token: agent.token, body: { ticketId: other } })).status).toBe(200);
    const found = await t.request('GET', '/api/v1/tickets?q=mango', { token: agent.token });
    expect(found.body.items.map((i: { id: string }) => i.id)).toEqual([other]);
  }, 150_000);

  it('takes the text out of search when retention deletes the attachment', async () => {
    const closed = (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Old', requester: customer.id } })).body.id;
    const up = await upload(t, agent.token, await textImage('RETAINED QUINCE'), 'old.png', `?ticketId=${closed}`);
    await waitFor(async () => (await meta(up.body.id)).ocr.status === 'done', 120_000);
    const search = async () => ((await t.request('GET', '/api/v1/tickets?q=quince', { token: agent.token })).body.items as { id: string }[]).map((i) => i.id);
    await t.kernel.db.query(`update ticket set status = 'closed', status_category = 'closed', closed_at = now() - interval '40 days' where id = ?`, [closed]);
    expect(await search()).toEqual([closed]);
    const { runRetention } = await import('../jobs/cleanup.ts');
    const config = { ...runtime.cleanup.config, retention: { closedTicketDays: 30, cron: '43 3 * * *' } };
    expect(await asSystem((scope) => runRetention(scope, { ...runtime.cleanup, config }))).toMatchObject({ retention: 1 });
    expect(await search()).toEqual([]);
  }, 150_000);

  it('keeps text to ocr.maxTextChars and strips control characters', () => {
    expect(cleanText('a\u0000b\tc\n\nd\u202e', 5)).toBe('ab c ');
    expect(cleanText('x'.repeat(50), 10)).toHaveLength(10);
  });
});

const canUnshare = spawnSync('unshare', ['-n', 'true']).status === 0;

describe.skipIf(!canUnshare)('OCR without network', () => {
  it('reads the model from node_modules, with no network and no cache written to the working directory', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ticketops-ocr-cwd-'));
    try {
      const node = join(process.cwd(), 'node_modules/.bin/node');
      const script = join(import.meta.dirname, '../testing/ocr-offline.ts');
      // A new network namespace has no interfaces up: any fetch (e.g. of eng.traineddata from a CDN) would fail.
      const run = spawnSync('unshare', ['-n', node, script, 'OFFLINE', 'KIWI'], { cwd, encoding: 'utf8', timeout: 120_000 });
      expect(run.stderr).not.toMatch(/fetch|network/i);
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('OFFLINE KIWI');
      expect(readdirSync(cwd)).toEqual([]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 150_000);
});
