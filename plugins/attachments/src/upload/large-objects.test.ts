import { createHash, randomBytes } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { type AttachmentsRuntime, attachmentsPlugin } from '../index.ts';
import type { S3Store } from '../storage/s3.ts';
import { blobKey } from '../storage/store.ts';
import { upload } from '../testing/helpers.ts';
import { startS3 } from '../testing/s3.ts';

// Files over S3's 5 GiB single-copy limit, through the API: the store's limits are lowered to a few
// MiB (copy limit 5 MiB, at most 2 parts per multipart upload) so real bytes take the same paths.
const MiB = 1024 * 1024;
let s3: Awaited<ReturnType<typeof startS3>>;
let t: TestKernel;
let agent: { id: string; token: string };
let store: S3Store;
const sent: string[] = [];
const count = (name: string) => sent.filter((n) => n === name).length;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const keys = async () => ((await store.client.send(new ListObjectsV2Command({ Bucket: s3.settings.bucket }))).Contents ?? []).map((o) => o.Key as string);
const content = async (id: string, range?: string) => {
  const res = await fetch(`${t.url}/api/v1/attachments/${id}/content`, { headers: { authorization: `Bearer ${agent.token}`, ...(range ? { range } : {}) } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
};

beforeAll(async () => {
  s3 = await startS3();
  t = await startTestKernel({
    workers: false,
    plugins: [
      {
        definition: attachmentsPlugin,
        config: {
          storage: { driver: 's3', s3: { ...s3.settings, maxCopyBytes: 5 * MiB, copyPartSize: 5 * MiB, maxParts: 2 } },
          limits: { maxFileBytes: 16 * MiB, maxTicketBytes: 64 * MiB, maxTenantBytes: 64 * MiB },
          presigned: { multipartAboveBytes: 5 * MiB },
          allow: [],
        },
      },
    ],
  });
  agent = await t.createUser({ role: 'agent' });
  const runtime = (t.kernel.container.resolve('attachments.runtime') as { get(): AttachmentsRuntime }).get();
  store = runtime.service.store as S3Store;
  // Which S3 operations the server sends (the stored bytes look the same whichever path made them).
  store.client.middlewareStack.add((next, context) => (args) => {
    sent.push(context.commandName as string);
    return next(args);
  }, { step: 'initialize' });
});
afterAll(async () => {
  await t?.close();
  await s3?.close();
});

describe('files over the store limits, through the API', () => {
  it('a presigned upload gets parts sized to fit maxParts, and is committed by ranged copies', async () => {
    const bytes = randomBytes(13 * MiB + 3);
    const started = await t.request('POST', '/api/v1/attachments/uploads', { token: agent.token, body: { name: 'big.bin', size: bytes.length } });
    expect(started.status).toBe(201);
    // 13 MiB in at most 2 parts: 7 MiB each rather than the configured 5 MiB.
    expect(started.body.partSize).toBe(7 * MiB);
    expect(started.body.parts).toHaveLength(2);
    const parts = [];
    for (const part of started.body.parts as { partNumber: number; url: string }[]) {
      const slice = bytes.subarray((part.partNumber - 1) * 7 * MiB, part.partNumber * 7 * MiB);
      const res = await fetch(part.url, { method: 'PUT', body: new Uint8Array(slice) });
      expect(res.status).toBe(200);
      parts.push({ partNumber: part.partNumber, etag: res.headers.get('etag') as string });
    }
    sent.length = 0;
    const done = await t.request('POST', `/api/v1/attachments/uploads/${started.body.uploadId}/complete`, { token: agent.token, body: { parts } });
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ size: bytes.length, sha256: sha256(bytes) });
    expect(count('UploadPartCopyCommand')).toBe(2);
    expect(count('CopyObjectCommand')).toBe(0);
    expect(await keys()).toEqual([blobKey('ten_default', sha256(bytes))]);

    const whole = await content(done.body.id);
    expect(whole.status).toBe(200);
    expect(sha256(whole.bytes)).toBe(sha256(bytes));
    const tail = await content(done.body.id, `bytes=${13 * MiB - 2}-`);
    expect(tail.status).toBe(206);
    expect(tail.bytes.equals(bytes.subarray(13 * MiB - 2))).toBe(true);
    await t.request('DELETE', `/api/v1/attachments/${done.body.id}`, { token: agent.token });
    expect(await keys()).toEqual([]);
  });

  it('a streamed upload is staged in parts sized by its length, and committed by ranged copies', async () => {
    const bytes = randomBytes(11 * MiB + 5);
    sent.length = 0;
    const res = await upload(t, agent.token, bytes, 'streamed.bin');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ size: bytes.length, sha256: sha256(bytes) });
    // About 11 MiB (the request's length) in at most 2 parts: 6 MiB parts, then two 6 MiB copy ranges.
    expect(count('UploadPartCommand')).toBe(2);
    expect(count('UploadPartCopyCommand')).toBe(2);
    expect(count('CopyObjectCommand')).toBe(0);
    const whole = await content(res.body.id);
    expect(sha256(whole.bytes)).toBe(sha256(bytes));
    await t.request('DELETE', `/api/v1/attachments/${res.body.id}`, { token: agent.token });
    expect(await keys()).toEqual([]);
  });
});

describe('presigned uploads declared over 5 GiB, with S3’s real limits', () => {
  let real: TestKernel;
  let user: { id: string; token: string };
  const TiB = 1024 ** 4;
  beforeAll(async () => {
    real = await startTestKernel({
      workers: false,
      plugins: [
        {
          definition: attachmentsPlugin,
          config: {
            storage: { driver: 's3', s3: { ...s3.settings, partSize: 8 * MiB } },
            limits: { maxFileBytes: 8 * TiB, maxTicketBytes: 8 * TiB, maxTenantBytes: 8 * TiB },
            // Set above S3's 5 GiB single-PUT limit on purpose.
            presigned: { multipartAboveBytes: 10 * 1024 ** 3 },
          },
        },
      ],
    });
    user = await real.createUser({ role: 'agent' });
  });
  afterAll(async () => {
    await real?.close();
  });

  it('always get parts above 5 GiB, and objects over 5 TiB are refused', async () => {
    const size = 6 * 1024 ** 3;
    const started = await real.request('POST', '/api/v1/attachments/uploads', { token: user.token, body: { name: 'huge.bin', size } });
    expect(started.status).toBe(201);
    expect(started.body.url).toBeUndefined();
    expect(started.body.partSize).toBe(8 * MiB);
    expect(started.body.parts).toHaveLength(size / (8 * MiB));
    const tooBig = await real.request('POST', '/api/v1/attachments/uploads', { token: user.token, body: { name: 'huger.bin', size: 5 * TiB + 1 } });
    expect(tooBig.status).toBe(413);
    expect(JSON.stringify(tooBig.body)).toContain('/body/size');
  });
});
