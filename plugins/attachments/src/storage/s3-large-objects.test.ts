import { createHash, randomBytes } from 'node:crypto';
import { DeleteObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3 } from '../testing/s3.ts';
import { partRanges, partSizeFor } from './s3-limits.ts';
import { S3Store } from './s3.ts';
import type { S3Staged } from './s3-staged.ts';
import { blobKey } from './store.ts';

// S3's 5 GiB limits cannot be reached in a test: they are lowered to a few MiB (the driver's options
// default to S3's own), and real bytes go through a real S3-compatible server.
const MiB = 1024 * 1024;
let s3: Awaited<ReturnType<typeof startS3>>;
const stores: S3Store[] = [];
const storeWith = (limits: { maxCopyBytes?: number; copyPartSize?: number; maxParts?: number; partSize?: number }) => {
  const store = new S3Store({ ...s3.settings, partSize: 5 * MiB, ...limits });
  stores.push(store);
  return store;
};
/** Names of the S3 commands the store's client sends from now on (S3 itself shows no difference in the result). */
function recordCommands(store: S3Store): string[] {
  const sent: string[] = [];
  store.client.middlewareStack.add((next, context) => (args) => {
    sent.push(context.commandName as string);
    return next(args);
  }, { step: 'initialize' });
  return sent;
}
const count = (sent: string[], name: string) => sent.filter((n) => n === name).length;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const keys = async (store: S3Store) => ((await store.client.send(new ListObjectsV2Command({ Bucket: s3.settings.bucket }))).Contents ?? []).map((o) => o.Key as string);
const readAll = async (store: S3Store, key: string, range?: { start: number; end: number }) => {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.read(key, range)) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
};
async function stageBytes(store: S3Store, bytes: Buffer, maxBytes?: number) {
  const staged = await store.stage(maxBytes);
  for (let i = 0; i < bytes.length; i += 64 * 1024) await staged.write(bytes.subarray(i, i + 64 * 1024));
  return staged;
}

beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  for (const store of stores) await store.close();
  await s3?.close();
});

describe('part sizes', () => {
  it('keep the preferred size while it fits in maxParts, else grow in whole MiB', () => {
    expect(partSizeFor(1024 ** 3, 8 * MiB, 10_000)).toBe(8 * MiB);
    // 5 TiB, S3's largest object, in 10,000 parts: 525 MiB each, under S3's 5 GiB part limit.
    expect(partSizeFor(5 * 1024 ** 4, 8 * MiB, 10_000)).toBe(525 * MiB);
    expect(partSizeFor(13 * MiB, 5 * MiB, 2)).toBe(7 * MiB);
    expect(partRanges(13 * MiB + 5, 5 * MiB)).toEqual([
      { start: 0, end: 5 * MiB - 1 },
      { start: 5 * MiB, end: 10 * MiB - 1 },
      { start: 10 * MiB, end: 13 * MiB + 4 },
    ]);
  });
});

describe('objects over the single-copy limit on s3rver', () => {
  it('commits a staged object larger than maxCopyBytes by UploadPartCopy ranges: same bytes, nothing left behind', async () => {
    const store = storeWith({ maxCopyBytes: 8 * MiB, copyPartSize: 5 * MiB });
    const bytes = randomBytes(13 * MiB + 17); // three 5 MiB upload parts, three copy ranges
    const staged = await stageBytes(store, bytes);
    await staged.finish();
    const key = blobKey('ten_large', sha256(bytes));
    const sent = recordCommands(store);
    await store.commit(staged, key);
    expect(count(sent, 'UploadPartCopyCommand')).toBe(3);
    expect(count(sent, 'CopyObjectCommand')).toBe(0);
    expect(await keys(store)).toEqual([key]);
    const stored = await readAll(store, key);
    expect(stored.length).toBe(bytes.length);
    expect(sha256(stored)).toBe(sha256(bytes));
    expect((await readAll(store, key, { start: 13 * MiB, end: 13 * MiB + 16 })).equals(bytes.subarray(13 * MiB))).toBe(true);
    await store.delete(key);
  });

  it('grows the copy ranges to stay within maxParts', async () => {
    // Three 5 MiB ranges would exceed 2 parts: 7 MiB ranges instead.
    const store = storeWith({ maxCopyBytes: 5 * MiB, copyPartSize: 5 * MiB, maxParts: 2 });
    const bytes = randomBytes(13 * MiB);
    const staged = await stageBytes(store, bytes, bytes.length);
    await staged.finish();
    const key = blobKey('ten_large', sha256(bytes));
    const sent = recordCommands(store);
    await store.commit(staged, key);
    expect(count(sent, 'UploadPartCopyCommand')).toBe(2);
    expect(sha256(await readAll(store, key))).toBe(sha256(bytes));
    await store.delete(key);
  });

  it('fails a multipart copy whose source is gone, leaving no target object', async () => {
    const store = storeWith({ maxCopyBytes: 5 * MiB });
    const bytes = randomBytes(6 * MiB);
    const staged = (await stageBytes(store, bytes)) as S3Staged;
    await staged.finish();
    // The source disappears before the commit (e.g. swept): the range copies fail.
    await store.client.send(new DeleteObjectCommand({ Bucket: s3.settings.bucket, Key: staged.key }));
    const key = blobKey('ten_large', sha256(bytes));
    const sent = recordCommands(store);
    await expect(store.commit(staged, key)).rejects.toThrow();
    expect(count(sent, 'AbortMultipartUploadCommand')).toBe(1);
    expect(await keys(store)).toEqual([]);
  });
});

describe('streamed multipart uploads', () => {
  it('size their parts by the expected bytes so they stay within maxParts', async () => {
    const store = storeWith({ maxParts: 2 });
    const bytes = randomBytes(13 * MiB);
    // Told the size: 7 MiB parts, two of them.
    const sent = recordCommands(store);
    const fits = await stageBytes(store, bytes, bytes.length);
    await fits.finish();
    expect(count(sent, 'UploadPartCommand')).toBe(2);
    const key = blobKey('ten_large', sha256(bytes));
    await store.commit(fits, key);
    expect(sha256(await readAll(store, key))).toBe(sha256(bytes));
    await store.delete(key);
    // Not told: 5 MiB parts would need a third one, which is refused rather than sent.
    const unsized = await stageBytes(store, bytes);
    await expect(unsized.finish()).rejects.toThrow(/more than 2 parts/);
    await unsized.abort();
    expect(await keys(store)).toEqual([]);
  });

  it('leaves nothing behind when a multipart upload is aborted midway', async () => {
    const store = storeWith({});
    const staged = await stageBytes(store, randomBytes(11 * MiB));
    await staged.abort();
    expect(await keys(store)).toEqual([]);
  });

  it('sends what fits in one part as a single object', async () => {
    const store = storeWith({});
    const bytes = randomBytes(MiB);
    const sent = recordCommands(store);
    const staged = (await stageBytes(store, bytes)) as S3Staged;
    await staged.finish();
    expect(sent).toEqual(['PutObjectCommand']);
    expect(await keys(store)).toEqual([staged.key]);
    const key = blobKey('ten_large', sha256(bytes));
    await store.commit(staged, key);
    expect((await readAll(store, key)).equals(bytes)).toBe(true);
    await store.delete(key);
  });
});
