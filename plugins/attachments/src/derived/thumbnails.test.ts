import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { attachmentsPlugin } from '../index.ts';
import { derivedKey } from '../storage/store.ts';
import { upload } from '../testing/helpers.ts';
import { pngBomb } from '../testing/images.ts';

const dir = mkdtempSync(join(tmpdir(), 'ticketops-attachments-thumbs-'));
let t: TestKernel;
let agent: { id: string; token: string };
let customer: { id: string; token: string };
let stranger: { id: string; token: string };
let ticketId: string;

const image = (format: 'png' | 'jpeg' | 'gif' | 'webp', width = 600, height = 400) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } }).toFormat(format).toBuffer();
const thumb = (token: string, id: string, query = '') => fetch(`${t.url}/api/v1/attachments/${id}/thumbnail${query}`, { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  t = await startTestKernel({ workers: false, plugins: [{ definition: attachmentsPlugin, config: { storage: { driver: 'disk', dir } } }] });
  agent = await t.createUser({ role: 'agent' });
  customer = await t.createUser({ role: 'customer' });
  stranger = await t.createUser({ role: 'customer' });
  ticketId = (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Pictures', requester: customer.id } })).body.id;
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('thumbnails', () => {
  it('makes a WebP thumbnail of each raster format at 64 and 256, keeping the aspect ratio', async () => {
    for (const format of ['png', 'jpeg', 'gif', 'webp'] as const) {
      const up = await upload(t, customer.token, await image(format), `photo.${format}`, `?ticketId=${ticketId}`);
      expect(up.status).toBe(201);
      for (const size of [64, 256]) {
        const res = await thumb(customer.token, up.body.id, `?size=${size}`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('image/webp');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
        expect([meta.format, meta.width, meta.height]).toEqual(['webp', size, Math.round((size * 400) / 600)]);
      }
    }
  });

  it('caches the thumbnail as a derived blob and removes it with the attachment', async () => {
    const up = await upload(t, agent.token, await image('png', 300, 300), 'cache.png', `?ticketId=${ticketId}`);
    const path = join(dir, derivedKey('ten_default', up.body.sha256, 'thumb-64'));
    expect(existsSync(path)).toBe(false);
    const first = Buffer.from(await (await thumb(agent.token, up.body.id, '?size=64')).arrayBuffer());
    expect(existsSync(path)).toBe(true);
    const second = Buffer.from(await (await thumb(agent.token, up.body.id, '?size=64')).arrayBuffer());
    expect(second).toEqual(first);
    expect((await t.request('DELETE', `/api/v1/attachments/${up.body.id}`, { token: agent.token })).status).toBe(204);
    expect(existsSync(path)).toBe(false);
  });

  it('never makes one of SVG or non-images, and refuses other sizes', async () => {
    const svg = await upload(t, agent.token, '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>', 'a.svg', `?ticketId=${ticketId}`);
    expect(svg.body.mimeType).toBe('image/svg+xml');
    expect((await thumb(agent.token, svg.body.id)).status).toBe(404);
    const text = await upload(t, agent.token, 'hello', 'a.txt', `?ticketId=${ticketId}`);
    expect((await thumb(agent.token, text.body.id)).status).toBe(404);
    const png = await upload(t, agent.token, await image('png', 10, 10), 'small.png', `?ticketId=${ticketId}`);
    expect((await thumb(agent.token, png.body.id, '?size=100')).status).toBe(400);
    // Never enlarged.
    const small = await thumb(agent.token, png.body.id, '?size=64');
    expect((await sharp(Buffer.from(await small.arrayBuffer())).metadata()).width).toBe(10);
  });

  it('refuses a decompression bomb without decoding it, and caches nothing', async () => {
    const bomb = await upload(t, agent.token, await pngBomb(), 'bomb.png', `?ticketId=${ticketId}`);
    expect(bomb.body.mimeType).toBe('image/png');
    const res = await thumb(agent.token, bomb.body.id, '?size=64');
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('No thumbnail');
    expect(existsSync(join(dir, derivedKey('ten_default', bomb.body.sha256, 'thumb-64')))).toBe(false);
  });

  it('follows the visibility of the content (404 for a stranger and for an internal note)', async () => {
    const up = await upload(t, customer.token, await image('png'), 'mine.png', `?ticketId=${ticketId}`);
    expect((await thumb(stranger.token, up.body.id)).status).toBe(404);
    const noteId = (await t.request('POST', `/api/v1/tickets/${ticketId}/comments`, { token: agent.token, body: { body: 'internal', internal: true } })).body.id;
    const internal = await upload(t, agent.token, await image('jpeg'), 'note.jpg', `?ticketId=${ticketId}&commentId=${noteId}`);
    expect((await thumb(customer.token, internal.body.id)).status).toBe(404);
    expect((await thumb(agent.token, internal.body.id)).status).toBe(200);
  });
});
