import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { type AttachmentsRuntime, attachmentsPlugin } from '../index.ts';
import type { S3Store } from '../storage/s3.ts';
import { blobKey, derivedKey } from '../storage/store.ts';
import { EICAR, EXE, PNG } from '../testing/helpers.ts';
import { startS3 } from '../testing/s3.ts';

const MiB = 1024 * 1024;
const clamdSocket = process.env.TICKETOPS_TEST_CLAMD_SOCKET ?? '/tmp/ticketops-clamd/clamd.sock';
const clamd = Boolean(process.env.TICKETOPS_TEST_CLAMD_SOCKET) || existsSync(clamdSocket);

let s3: Awaited<ReturnType<typeof startS3>>;
let t: TestKernel;
let agent: { id: string; token: string };
let other: { id: string; token: string };
let ticketId: string;
let runtime: AttachmentsRuntime;

const keys = async () => ((await (runtime.service.store as S3Store).client.send(new ListObjectsV2Command({ Bucket: s3.settings.bucket }))).Contents ?? []).map((o) => o.Key as string);
const uploads = async () => Number((await t.kernel.db.query<{ n: string }>('select count(*) as n from attachments_upload'))[0]?.n);
const start = (token: string, body: Record<string, unknown>) => t.request('POST', '/api/v1/attachments/uploads', { token, body });
const complete = (token: string, uploadId: string, body: Record<string, unknown> = {}) => t.request('POST', `/api/v1/attachments/uploads/${uploadId}/complete`, { token, body });
const put = (url: string, bytes: Buffer) => fetch(url, { method: 'PUT', body: new Uint8Array(bytes) });

beforeAll(async () => {
  s3 = await startS3();
  t = await startTestKernel({
    workers: false,
    plugins: [
      {
        definition: attachmentsPlugin,
        config: {
          storage: { driver: 's3', s3: s3.settings },
          limits: { maxFileBytes: 16 * MiB, maxTicketBytes: 32 * MiB, maxTenantBytes: 64 * MiB },
          presigned: { multipartAboveBytes: 5 * MiB },
          ...(clamd ? { scanner: { driver: 'clamav', socket: clamdSocket } } : {}),
        },
      },
    ],
  });
  agent = await t.createUser({ role: 'agent' });
  other = await t.createUser({ role: 'agent' });
  ticketId = (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Big files', requester: agent.id } })).body.id;
  runtime = (t.kernel.container.resolve('attachments.runtime') as { get(): AttachmentsRuntime }).get();
});
afterAll(async () => {
  await t?.close();
  await s3?.close();
});

describe('presigned uploads to S3', () => {
  it('PUTs to a presigned URL, then complete sniffs, hashes, stores by content and creates the attachment', async () => {
    const started = await start(agent.token, { name: 'shot.png', size: PNG.length, ticketId });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ uploadId: expect.stringMatching(/^upl_/), method: 'PUT', headers: {} });
    expect(Date.parse(started.body.expiresAt)).toBeGreaterThan(Date.now());
    expect((await put(started.body.url, PNG)).status).toBe(200);

    const done = await complete(agent.token, started.body.uploadId);
    expect(done.status).toBe(201);
    const sha = createHash('sha256').update(PNG).digest('hex');
    expect(done.body).toMatchObject({ ticketId, name: 'shot.png', mimeType: 'image/png', size: PNG.length, sha256: sha, status: clamd ? 'clean' : 'unscanned' });
    expect(await keys()).toEqual([blobKey('ten_default', sha)]);
    expect(await uploads()).toBe(0);
    const content = await fetch(`${t.url}/api/v1/attachments/${done.body.id}/content`, { headers: { authorization: `Bearer ${agent.token}` } });
    expect(Buffer.from(await content.arrayBuffer())).toEqual(PNG);
    // The upload is spent: completing it again finds nothing.
    expect((await complete(agent.token, started.body.uploadId)).status).toBe(404);
    // A thumbnail is cached as a derived blob in the bucket, and goes with the attachment.
    const thumb = await fetch(`${t.url}/api/v1/attachments/${done.body.id}/thumbnail?size=64`, { headers: { authorization: `Bearer ${agent.token}` } });
    expect(thumb.status).toBe(200);
    expect(await keys()).toEqual([blobKey('ten_default', sha), derivedKey('ten_default', sha, 'thumb-64')]);
    await t.request('DELETE', `/api/v1/attachments/${done.body.id}`, { token: agent.token });
    expect(await keys()).toEqual([]);
  });

  it('uploads a large file in parts with one URL per part', async () => {
    const bytes = Buffer.alloc(5 * MiB + 1000, 0x41);
    bytes.write('%PDF-1.4\n', 0, 'latin1');
    const started = await start(agent.token, { name: 'manual.pdf', size: bytes.length });
    expect(started.status).toBe(201);
    expect(started.body.url).toBeUndefined();
    expect(started.body.parts).toHaveLength(2);
    const size = started.body.partSize as number;
    const parts = [];
    for (const part of started.body.parts as { partNumber: number; url: string }[]) {
      const res = await put(part.url, bytes.subarray((part.partNumber - 1) * size, part.partNumber * size));
      expect(res.status).toBe(200);
      parts.push({ partNumber: part.partNumber, etag: res.headers.get('etag') as string });
    }
    const done = await complete(agent.token, started.body.uploadId, { parts });
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ mimeType: 'application/pdf', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    expect(await keys()).toEqual([blobKey('ten_default', done.body.sha256)]);
    await t.request('DELETE', `/api/v1/attachments/${done.body.id}`, { token: agent.token });
  });

  it('refuses a file whose real type is denied (an executable called .png) and leaves nothing behind', async () => {
    const started = await start(agent.token, { name: 'cat.png', size: EXE.length, ticketId });
    await put(started.body.url, EXE);
    const done = await complete(agent.token, started.body.uploadId);
    expect(done.status).toBe(415);
    expect(await keys()).toEqual([]);
    expect(await uploads()).toBe(0);
    expect(await t.kernel.db.query('select 1 from attachments_file')).toEqual([]);
  });

  it('refuses an upload whose size differs from the declared one, naming the field', async () => {
    const started = await start(agent.token, { name: 'small.png', size: 10, ticketId });
    await put(started.body.url, PNG);
    const done = await complete(agent.token, started.body.uploadId);
    expect(done.status).toBe(400);
    expect(done.body.errors).toEqual([{ pointer: '/body/size', message: `declared 10 bytes, uploaded ${PNG.length}` }]);
    expect(await keys()).toEqual([]);
    expect(await uploads()).toBe(0);
  });

  it('checks limits and quotas on the declared size before handing out a URL', async () => {
    const big = await start(agent.token, { name: 'huge.bin', size: 17 * MiB });
    expect(big.status).toBe(413);
    expect(big.body.errors?.[0]?.pointer).toBe('/body/size');
    const overQuota = await start(agent.token, { name: 'x.bin', size: 16 * MiB, ticketId });
    expect(overQuota.status).toBe(201);
    // Complete without the parts list: refused, naming the field, and the upload (with its multipart upload) is dropped.
    const done = await complete(agent.token, overQuota.body.uploadId);
    expect(done.status).toBe(400);
    expect(done.body.errors?.[0]?.pointer).toBe('/body/parts');
    expect(await uploads()).toBe(0);
    expect((await start(agent.token, { name: 'x', size: 1, ticketId: 'tkt_nope' })).status).toBe(404);
    expect((await start(agent.token, { name: 'x', size: 0 })).status).toBe(400);
  });

  it("does not let another user complete someone's upload", async () => {
    const started = await start(agent.token, { name: 'mine.png', size: PNG.length });
    await put(started.body.url, PNG);
    expect((await complete(other.token, started.body.uploadId)).status).toBe(404);
    expect((await complete(agent.token, started.body.uploadId)).status).toBe(201);
  });

  it.skipIf(!clamd)('quarantines an infected file: row marked infected, no bytes kept', async () => {
    const started = await start(agent.token, { name: 'eicar.txt', size: EICAR.length, ticketId });
    await put(started.body.url, Buffer.from(EICAR));
    const before = await keys();
    const done = await complete(agent.token, started.body.uploadId);
    expect(done.status).toBe(400);
    expect(done.body.errors[0].pointer).toBe('/body/file');
    expect((await keys()).length).toBe(before.length - 1);
    expect((await t.kernel.db.query<{ status: string }>(`select status from attachments_file where original_name = 'eicar.txt'`))[0]?.status).toBe('infected');
  });

  it('drops expired uploads and their parts in the clean-up job', async () => {
    const single = await start(agent.token, { name: 'late.png', size: PNG.length });
    await put(single.body.url, PNG);
    const multi = await start(agent.token, { name: 'late.bin', size: 6 * MiB });
    await put(multi.body.parts[0].url, Buffer.alloc(5 * MiB, 1));
    const before = await keys();
    await t.kernel.db.query(`update attachments_upload set expires_at = now() - interval '2 minutes'`);
    const counts = await t.kernel.runAsSystem('ten_default', 'test', (scope) => runtime.runCleanup(scope));
    expect(counts.presigned).toBe(2);
    expect(await uploads()).toBe(0);
    expect((await keys()).length).toBe(before.length - 1);
    // The expired URL's upload cannot be completed any more.
    expect((await complete(agent.token, single.body.uploadId)).status).toBe(404);
  });
});
