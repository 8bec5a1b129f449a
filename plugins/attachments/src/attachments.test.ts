import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '@ticketops/plugin-sdk';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { attachmentsPlugin } from './index.ts';
import { EXE, PNG, multipart, rawUpload, upload, waitFor } from './testing/helpers.ts';

const events: { name: string; payload: Record<string, unknown> }[] = [];
const spy = definePlugin({
  id: 'attachments-spy',
  version: '1.0.0',
  kernel: '^0.1.0',
  dependsOn: ['attachments'],
  register(r) {
    r.subscribe('attachment.uploaded', { id: 'uploaded' }, async (event) => void events.push({ name: event.name, payload: event.payload }));
  },
});

const dir = mkdtempSync(join(tmpdir(), 'ticketops-attachments-'));
let t: TestKernel;
let agent: { id: string; token: string };
let customer: { id: string; token: string };
let other: { id: string; token: string };
let ticketId: string;
let noteId: string;
let replyId: string;

const files = (sub = '') => {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) e.isDirectory() ? walk(join(d, e.name)) : out.push(join(d, e.name));
  };
  walk(join(dir, sub));
  return out;
};
const rows = async () => Number((await t.kernel.db.query<{ n: string }>('select count(*) as n from attachments_file'))[0]?.n);

beforeAll(async () => {
  t = await startTestKernel({
    plugins: [
      {
        definition: attachmentsPlugin,
        config: { storage: { driver: 'disk', dir }, limits: { maxFileBytes: 1024 * 1024, maxTicketBytes: 3 * 1024 * 1024, maxTenantBytes: 64 * 1024 * 1024 } },
      },
      { definition: spy },
    ],
  });
  agent = await t.createUser({ role: 'agent' });
  customer = await t.createUser({ role: 'customer' });
  other = await t.createUser({ role: 'customer' });
  const ticket = await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Printer on fire', requester: customer.id } });
  expect(ticket.status).toBe(201);
  ticketId = ticket.body.id;
  noteId = (await t.request('POST', `/api/v1/tickets/${ticketId}/comments`, { token: agent.token, body: { body: 'internal', internal: true } })).body.id;
  replyId = (await t.request('POST', `/api/v1/tickets/${ticketId}/comments`, { token: agent.token, body: { body: 'public' } })).body.id;
  expect(noteId).toBeTruthy();
  expect(replyId).toBeTruthy();
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('uploads', () => {
  it('stores a file by content, sniffs its type, names it server-side and emits attachment.uploaded', async () => {
    const res = await upload(t, customer.token, PNG, 'screenshot.png', `?ticketId=${ticketId}`, 'text/html');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ticketId, name: 'screenshot.png', mimeType: 'image/png', size: PNG.length, status: 'unscanned' });
    expect(res.body.id).toMatch(/^att_/);
    expect(files().filter((f) => !f.includes('.tmp'))).toEqual([join(dir, 'ten_default', res.body.sha256.slice(0, 2), res.body.sha256)]);
    await waitFor(async () => events.find((e) => e.payload.attachmentId === res.body.id));
  });

  it('deduplicates identical content with a reference count, and frees the bytes with the last reference', async () => {
    const bytes = Buffer.concat([PNG, Buffer.from('dedup')]);
    const a = await upload(t, agent.token, bytes, 'a.png', `?ticketId=${ticketId}`);
    const b = await upload(t, agent.token, bytes, 'b.png', `?ticketId=${ticketId}`);
    expect(a.body.sha256).toBe(b.body.sha256);
    const blob = async () => (await t.kernel.db.query<{ ref_count: number }>('select ref_count from attachments_blob where sha256 = ?', [a.body.sha256]))[0];
    expect((await blob())?.ref_count).toBe(2);
    const path = join(dir, 'ten_default', a.body.sha256.slice(0, 2), a.body.sha256);
    expect(files()).toContain(path);
    expect((await t.request('DELETE', `/api/v1/attachments/${a.body.id}`, { token: agent.token })).status).toBe(204);
    expect((await blob())?.ref_count).toBe(1);
    expect(files()).toContain(path);
    expect((await t.request('DELETE', `/api/v1/attachments/${b.body.id}`, { token: agent.token })).status).toBe(204);
    expect(await blob()).toBeUndefined();
    expect(files()).not.toContain(path);
  });

  it('keeps one blob and an exact reference count under concurrent uploads of the same content', async () => {
    const bytes = Buffer.concat([PNG, Buffer.from('concurrent')]);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => upload(t, agent.token, bytes, `c${i}.png`, `?ticketId=${ticketId}`)));
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
    const sha = results[0]?.body.sha256;
    expect((await t.kernel.db.query<{ ref_count: number }>('select ref_count from attachments_blob where sha256 = ?', [sha]))[0]?.ref_count).toBe(12);
    expect(files().filter((f) => f.endsWith(sha))).toHaveLength(1);
    await Promise.all(results.map((r) => t.request('DELETE', `/api/v1/attachments/${r.body.id}`, { token: agent.token })));
    expect(await t.kernel.db.query('select 1 from attachments_blob where sha256 = ?', [sha])).toEqual([]);
    expect(files().filter((f) => f.endsWith(sha))).toEqual([]);
  });

  it('renames a PNG called .exe to .png and refuses an executable called .png (415)', async () => {
    const png = await upload(t, agent.token, PNG, 'invoice.exe', `?ticketId=${ticketId}`);
    expect(png.status).toBe(201);
    expect(png.body).toMatchObject({ name: 'invoice.png', originalName: 'invoice.exe', mimeType: 'image/png' });
    const before = await rows();
    const exe = await upload(t, agent.token, EXE, 'cat.png', `?ticketId=${ticketId}`, 'image/png');
    expect(exe.status).toBe(415);
    expect(exe.body.code).toBe('unsupported_media_type');
    expect(await rows()).toBe(before);
  });

  it('reduces path-traversal and control-character names to a safe base name', async () => {
    const res = await upload(t, agent.token, 'hello\n', '../../etc/passwd\u202e.txt', `?ticketId=${ticketId}`);
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('passwd.txt');
    expect(res.body.mimeType).toBe('text/plain');
    expect(files().every((f) => f.startsWith(dir))).toBe(true);
    const dots = await upload(t, agent.token, 'x', '..', `?ticketId=${ticketId}`);
    expect(dots.body.name).toBe('file.txt');
  });

  it('refuses a zero-byte file, a body without a file, and a JSON body', async () => {
    const before = await rows();
    const empty = await upload(t, agent.token, Buffer.alloc(0), 'empty.txt', `?ticketId=${ticketId}`);
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([{ pointer: '/body/file', message: 'is empty' }]);
    const form = new FormData();
    form.append('note', 'no file');
    const none = await fetch(`${t.url}/api/v1/attachments`, { method: 'POST', headers: { authorization: `Bearer ${agent.token}` }, body: form });
    expect(none.status).toBe(400);
    const json = await t.request('POST', '/api/v1/attachments', { token: agent.token, body: { file: 'x' } });
    expect(json.status).toBe(415);
    expect(await rows()).toBe(before);
    expect(files('.tmp')).toEqual([]);
  });

  it('answers 413 from Content-Length alone, before reading the body', async () => {
    const m = multipart('big.bin');
    const res = await rawUpload(t, agent.token, { 'content-type': `multipart/form-data; boundary=${m.boundary}`, 'content-length': m.length(50 * 1024 * 1024) }, (req) => {
      req.write(m.head); // headers and the part head only: the server must answer without the rest
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).code).toBe('payload_too_large');
    expect(files('.tmp')).toEqual([]);
  });

  it('aborts a chunked upload at the per-file limit with 413, leaving nothing behind', async () => {
    const before = await rows();
    const m = multipart('big.bin');
    const chunk = Buffer.alloc(64 * 1024, 7);
    const res = await rawUpload(t, agent.token, { 'content-type': `multipart/form-data; boundary=${m.boundary}`, 'transfer-encoding': 'chunked' }, async (req) => {
      req.write(m.head);
      for (let i = 0; i < 64 && !req.destroyed; i++) {
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r).once('close', r));
      }
      req.end(m.tail);
    });
    expect(res.status).toBe(413);
    expect(await rows()).toBe(before);
    await waitFor(async () => files('.tmp').length === 0);
  });

  it('enforces the per-ticket quota', async () => {
    const ticket = await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Quota', requester: customer.id } });
    const q = `?ticketId=${ticket.body.id}`;
    for (let i = 0; i < 3; i++) expect((await upload(t, agent.token, `${String(i)}`.repeat(1000 * 1024), `${i}.txt`, q)).status).toBe(201);
    const over = await upload(t, agent.token, 'z'.repeat(200 * 1024), 'more.txt', q);
    expect(over.status).toBe(413);
  });

  it('holds the quota under concurrent uploads, and a refused one leaves no bytes at its content address', async () => {
    const ticket = await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Race', requester: customer.id } });
    const q = `?ticketId=${ticket.body.id}`;
    // Five 900 KiB files against a 3 MiB ticket quota: each passes the early check, only three fit.
    const results = await Promise.all([0, 1, 2, 3, 4].map((i) => upload(t, agent.token, `race-${i}-`.padEnd(900 * 1024, String(i)), `r${i}.txt`, q)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 413, 413]);
    const shas = (await t.kernel.db.query<{ sha256: string }>('select sha256 from attachments_file where ticket_id = ?', [ticket.body.id])).map((r) => r.sha256);
    expect(shas).toHaveLength(3);
    // Every stored file is a blob row's: the two refused contents were removed with their rolled-back rows.
    const stored = files().filter((f) => !f.includes('.tmp'));
    const blobs = (await t.kernel.db.query<{ sha256: string }>('select sha256 from attachments_blob')).map((b) => b.sha256);
    expect(stored.map((f) => f.slice(-64)).sort()).toEqual(blobs.sort());
    for (const sha of shas) expect(blobs).toContain(sha);
  });

  it('leaves nothing behind when the client disconnects mid-stream', async () => {
    const before = await rows();
    const m = multipart('cut.txt');
    const res = await rawUpload(t, agent.token, { 'content-type': `multipart/form-data; boundary=${m.boundary}`, 'content-length': m.length(512 * 1024) }, async (req) => {
      req.write(m.head);
      req.write(Buffer.alloc(128 * 1024, 0x61));
      await new Promise((r) => setTimeout(r, 200));
      req.destroy();
    });
    expect(res.status).toBeNull();
    await waitFor(async () => files('.tmp').length === 0);
    expect(await rows()).toBe(before);
  });

  it('attaches to a comment of the ticket, and refuses tickets the uploader cannot see (404)', async () => {
    const onReply = await upload(t, customer.token, PNG, 'reply.png', `?ticketId=${ticketId}&commentId=${replyId}`);
    expect(onReply.status).toBe(201);
    expect(onReply.body.commentId).toBe(replyId);
    expect((await upload(t, other.token, PNG, 'x.png', `?ticketId=${ticketId}`)).status).toBe(404);
    expect((await upload(t, customer.token, PNG, 'x.png', `?ticketId=${ticketId}&commentId=${noteId}`)).status).toBe(404);
  });
});

describe('downloads', () => {
  it('serves the bytes as an attachment, nosniff, with a safe filename and byte ranges', async () => {
    const up = await upload(t, customer.token, PNG, 'ünïcode pic.png', `?ticketId=${ticketId}`);
    const res = await fetch(`${t.url}/api/v1/attachments/${up.body.id}/content`, { headers: { authorization: `Bearer ${customer.token}` } });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="_n_code pic.png"; filename*=UTF-8''%C3%BCn%C3%AFcode%20pic.png`);
    const part = await fetch(`${t.url}/api/v1/attachments/${up.body.id}/content`, { headers: { authorization: `Bearer ${customer.token}`, range: 'bytes=1-3' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1-3/${PNG.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(PNG.subarray(1, 4));
    const suffix = await fetch(`${t.url}/api/v1/attachments/${up.body.id}/content`, { headers: { authorization: `Bearer ${customer.token}`, range: 'bytes=-5' } });
    expect(Buffer.from(await suffix.arrayBuffer())).toEqual(PNG.subarray(PNG.length - 5));
    const head = await fetch(`${t.url}/api/v1/attachments/${up.body.id}/content`, { method: 'HEAD', headers: { authorization: `Bearer ${customer.token}` } });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(PNG.length));
    const bad = await fetch(`${t.url}/api/v1/attachments/${up.body.id}/content`, { headers: { authorization: `Bearer ${customer.token}`, range: `bytes=${PNG.length}-` } });
    expect(bad.status).toBe(416);
    expect(bad.headers.get('content-range')).toBe(`bytes */${PNG.length}`);
  });

  it('never serves SVG (or other markup) under its own type', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
    const up = await upload(t, agent.token, svg, 'logo.svg', `?ticketId=${ticketId}`, 'image/svg+xml');
    expect(up.status).toBe(201);
    expect(up.body.mimeType).toBe('image/svg+xml');
    const res = await fetch(`${t.url}/api/v1/attachments/${up.body.id}/content`, { headers: { authorization: `Bearer ${agent.token}` } });
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    const html = await upload(t, agent.token, '<!doctype html><script>alert(1)</script>', 'page.txt', `?ticketId=${ticketId}`, 'text/plain');
    expect(html.status).toBe(415);
  });

  it("hides an internal note's attachment and other customers' tickets (404), and another tenant's", async () => {
    const onNote = await upload(t, agent.token, PNG, 'note.png', `?ticketId=${ticketId}&commentId=${noteId}`);
    expect(onNote.status).toBe(201);
    expect((await t.request('GET', `/api/v1/attachments/${onNote.body.id}`, { token: agent.token })).status).toBe(200);
    expect((await t.request('GET', `/api/v1/attachments/${onNote.body.id}`, { token: customer.token })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/attachments/${onNote.body.id}/content`, { token: customer.token })).status).toBe(404);
    const list = await t.request('GET', `/api/v1/attachments?ticketId=${ticketId}`, { token: customer.token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((a: { id: string }) => a.id)).not.toContain(onNote.body.id);
    const agentList = await t.request('GET', `/api/v1/attachments?ticketId=${ticketId}`, { token: agent.token });
    expect(agentList.body.items.map((a: { id: string }) => a.id)).toContain(onNote.body.id);

    const mine = await upload(t, customer.token, PNG, 'mine.png', `?ticketId=${ticketId}`);
    expect((await t.request('GET', `/api/v1/attachments/${mine.body.id}/content`, { token: other.token })).status).toBe(404);
    expect((await t.request('GET', `/api/v1/attachments?ticketId=${ticketId}`, { token: other.token })).status).toBe(404);

    // A row of another tenant, same content: invisible from this tenant.
    await t.kernel.db.query(`insert into tenant (id, slug, name) values ('ten_other', 'other', 'Other') on conflict do nothing`);
    await t.kernel.db.query(
      `insert into attachments_file (id, tenant_id, sha256, name, original_name, mime, size, status) values ('att_foreign', 'ten_other', ?, 'x.png', 'x.png', 'image/png', ?, 'clean')`,
      [mine.body.sha256, PNG.length],
    );
    expect((await t.request('GET', '/api/v1/attachments/att_foreign', { token: agent.token })).status).toBe(404);
    expect((await t.request('GET', '/api/v1/attachments/att_foreign/content', { token: agent.token })).status).toBe(404);
  });

  it('keeps unattached uploads to their uploader', async () => {
    const loose = await upload(t, customer.token, PNG, 'draft.png');
    expect(loose.status).toBe(201);
    expect(loose.body.ticketId).toBeNull();
    expect((await t.request('GET', `/api/v1/attachments/${loose.body.id}`, { token: customer.token })).status).toBe(200);
    expect((await t.request('GET', `/api/v1/attachments/${loose.body.id}`, { token: other.token })).status).toBe(404);
    // Linked later (a composer uploads before the comment exists): only by its uploader, only to a ticket they see.
    expect((await t.request('POST', `/api/v1/attachments/${loose.body.id}/link`, { token: other.token, body: { ticketId } })).status).toBe(404);
    expect((await t.request('POST', `/api/v1/attachments/${loose.body.id}/link`, { token: customer.token, body: { ticketId, commentId: noteId } })).status).toBe(404);
    const linked = await t.request('POST', `/api/v1/attachments/${loose.body.id}/link`, { token: customer.token, body: { ticketId, commentId: replyId } });
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({ ticketId, commentId: replyId });
    expect((await t.request('GET', `/api/v1/attachments/${loose.body.id}`, { token: agent.token })).status).toBe(200);
    expect((await t.request('POST', `/api/v1/attachments/${loose.body.id}/link`, { token: customer.token, body: { ticketId } })).status).toBe(409);
  });
});

describe('presigned uploads on the disk driver', () => {
  it('answers 409 naming the s3 driver', async () => {
    const res = await t.request('POST', '/api/v1/attachments/uploads', { token: agent.token, body: { name: 'big.bin', size: 10 } });
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain('need the s3 driver');
  });
});

describe('contract', () => {
  it('documents the multipart upload in the OpenAPI document', async () => {
    const doc = (await t.request('GET', '/api/v1/openapi.json')).body;
    const post = doc.paths['/api/v1/attachments'].post;
    expect(post['x-permission']).toBe('attachments.upload');
    expect(Object.keys(post.requestBody.content)).toEqual(['multipart/form-data']);
    expect(doc.paths['/api/v1/attachments/{id}/content'].get).toBeTruthy();
  });
});
