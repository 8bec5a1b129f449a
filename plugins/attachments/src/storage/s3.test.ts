import { createHash } from 'node:crypto';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { attachmentsPlugin } from '../index.ts';
import { PNG, multipart, rawUpload, upload, waitFor } from '../testing/helpers.ts';
import { startS3 } from '../testing/s3.ts';
import { S3Store } from './s3.ts';
import { blobKey } from './store.ts';

let s3: Awaited<ReturnType<typeof startS3>>;
let store: S3Store;
const keys = async () => ((await store.client.send(new ListObjectsV2Command({ Bucket: s3.settings.bucket }))).Contents ?? []).map((o) => o.Key as string);
const text = async (stream: NodeJS.ReadableStream) => {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
};

beforeAll(async () => {
  s3 = await startS3();
  store = new S3Store(s3.settings);
});
afterAll(async () => {
  await store?.close();
  await s3?.close();
});

describe('S3 store against s3rver', () => {
  it('streams a multipart upload to a temporary key, commits it to its content address, reads ranges', async () => {
    const bytes = Buffer.alloc(12 * 1024 * 1024 + 17, 0x5a); // three 5 MiB parts
    const sha = createHash('sha256').update(bytes).digest('hex');
    const staged = await store.stage();
    for (let i = 0; i < bytes.length; i += 256 * 1024) await staged.write(bytes.subarray(i, i + 256 * 1024));
    await staged.finish();
    const key = blobKey('ten_default', sha);
    await store.commit(staged, key);
    expect(await keys()).toEqual([key]);
    expect(await store.exists(key)).toBe(true);
    expect((await text(await store.read(key))).equals(bytes)).toBe(true);
    expect(await text(await store.read(key, { start: 10, end: 19 }))).toEqual(bytes.subarray(10, 20));
    await store.delete(key);
    expect(await store.exists(key)).toBe(false);
  });

  it('leaves nothing in the bucket when a staged upload is aborted', async () => {
    const staged = await store.stage();
    await staged.write(Buffer.alloc(6 * 1024 * 1024, 1));
    await staged.abort();
    expect(await keys()).toEqual([]);
  });

  it('sweeps staged objects older than the staging age and nothing else', async () => {
    const staged = await store.stage();
    await staged.write(Buffer.from('left by a crash'));
    await staged.finish();
    const key = blobKey('ten_default', 'ab'.repeat(32));
    await store.client.send(new PutObjectCommand({ Bucket: s3.settings.bucket, Key: key, Body: 'kept' }));
    expect(await store.sweepStaging(3600_000)).toBe(0);
    expect(await keys()).toHaveLength(2);
    // Two hours later the staged object is stale; the content-addressed one is not staging at all.
    expect(await store.sweepStaging(3600_000, Date.now() + 2 * 3600_000)).toBe(1);
    expect(await keys()).toEqual([key]);
    await store.delete(key);
  });
});

describe('the plugin on S3 storage', () => {
  let t: TestKernel;
  let agent: { id: string; token: string };
  beforeAll(async () => {
    t = await startTestKernel({ workers: false, plugins: [{ definition: attachmentsPlugin, config: { storage: { driver: 's3', s3: s3.settings } } }] });
    agent = await t.createUser({ role: 'agent' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('uploads, deduplicates and downloads through S3', async () => {
    const a = await upload(t, agent.token, PNG, 'a.png');
    const b = await upload(t, agent.token, PNG, 'b.png');
    expect(a.status).toBe(201);
    expect(b.body.sha256).toBe(a.body.sha256);
    expect(await keys()).toEqual([blobKey('ten_default', a.body.sha256)]);
    const res = await fetch(`${t.url}/api/v1/attachments/${a.body.id}/content`, { headers: { authorization: `Bearer ${agent.token}`, range: 'bytes=0-7' } });
    expect(res.status).toBe(206);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG.subarray(0, 8));
    await t.request('DELETE', `/api/v1/attachments/${a.body.id}`, { token: agent.token });
    expect(await keys()).toHaveLength(1);
    await t.request('DELETE', `/api/v1/attachments/${b.body.id}`, { token: agent.token });
    expect(await keys()).toEqual([]);
  });

  it('leaves nothing behind when the upload is cut mid-stream', async () => {
    const m = multipart('cut.txt');
    const res = await rawUpload(t, agent.token, { 'content-type': `multipart/form-data; boundary=${m.boundary}`, 'content-length': m.length(8 * 1024 * 1024) }, async (req) => {
      req.write(m.head);
      req.write(Buffer.alloc(6 * 1024 * 1024, 0x61));
      await new Promise((r) => setTimeout(r, 300));
      req.destroy();
    });
    expect(res.status).toBeNull();
    await waitFor(async () => (await keys()).length === 0);
    expect(await t.kernel.db.query('select 1 from attachments_file')).toEqual([]);
  });
});
