import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineRoute, definePlugin } from '@ticketops/plugin-sdk';
import { type TestKernel, startTestKernel } from '../testing/index.ts';

/**
 * Body time limits by route kind, on a real listener: a JSON body that drips in slower than
 * `jsonBodySeconds` gets 408 and its connection closed; a streamed body (an upload route) may take
 * far longer as long as bytes keep coming, and ends when it stands still for `streamStallSeconds`.
 */
let t: TestKernel;
let admin: { token: string };
/** What the streaming route saw of each body: bytes read, and how the stream ended. */
const received: { bytes: number; ended: 'end' | 'error' }[] = [];

const counter = definePlugin({
  id: 'byte-counter',
  version: '1.0.0',
  kernel: '^0.1.0',
  register(r) {
    r.routes([
      defineRoute({
        method: 'post', path: '/count', summary: 'Counts the bytes of a streamed body', permission: null, rawBody: true,
        handler: ({ stream }) =>
          new Promise((resolve, reject) => {
            let bytes = 0;
            stream!.on('data', (chunk: Buffer) => (bytes += chunk.length));
            stream!.on('end', () => {
              received.push({ bytes, ended: 'end' });
              resolve({ bytes });
            });
            stream!.on('error', (error) => {
              received.push({ bytes, ended: 'error' });
              reject(error);
            });
          }),
      }),
    ]);
  },
});

beforeAll(async () => {
  t = await startTestKernel({ workers: false, plugins: [{ definition: counter }], config: { jsonBodySeconds: 1, streamStallSeconds: 1 } });
  admin = await t.createUser({ role: 'admin' });
});
afterAll(async () => {
  await t?.close();
});

/** Sends `chunks` with `gapMs` between them (then stops, or ends the body) and reports what came back. */
function drip(path: string, chunks: string[], gapMs: number, end: boolean): Promise<{ status: number | null; body: string; connection: string | null; closed: boolean }> {
  const url = new URL(path, t.url);
  const length = chunks.reduce((n, c) => n + Buffer.byteLength(c), 0) + (end ? 0 : 1);
  return new Promise((resolve) => {
    const req = httpRequest(url, { method: 'POST', headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json', 'content-length': length } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? null, body, connection: res.headers.connection ?? null, closed: false }));
    });
    req.on('error', () => resolve({ status: null, body: '', connection: null, closed: true }));
    void (async () => {
      for (const chunk of chunks) {
        if (req.destroyed) return;
        req.write(chunk);
        await new Promise((r) => setTimeout(r, gapMs));
      }
      if (end) req.end();
    })();
  });
}

describe('request body time limits', () => {
  it('answers a JSON body that drips in slower than jsonBodySeconds with 408 and closes the connection; nothing is written', async () => {
    const body = JSON.stringify({ email: 'slow@example.com', name: 'Slow', role: 'agent' });
    const parts = [body.slice(0, 10), body.slice(10, 20), body.slice(20)];
    const res = await drip('/api/v1/users', parts, 700, true);
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'request_timeout', status: 408 });
    expect(res.connection).toBe('close');
    expect(await t.kernel.db.query('select 1 from app_user where email = ?', ['slow@example.com'])).toHaveLength(0);
  });

  it('lets a streamed body take several times the JSON limit while bytes keep coming', async () => {
    const res = await drip('/api/v1/byte-counter/count', Array.from({ length: 8 }, () => 'x'.repeat(1000)), 400, true);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ bytes: 8000 });
  });

  it('ends a streamed body that stands still for streamStallSeconds: the route sees its stream fail', async () => {
    const before = received.length;
    const res = await drip('/api/v1/byte-counter/count', ['y'.repeat(500)], 4000, false);
    expect(res.closed || (res.status ?? 0) >= 400).toBe(true);
    expect(received.slice(before)).toEqual([{ bytes: 500, ended: 'error' }]);
  });
});
