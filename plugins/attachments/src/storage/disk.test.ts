import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DiskStore } from './disk.ts';
import { blobKey } from './store.ts';

const dir = mkdtempSync(join(tmpdir(), 'ticketops-disk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('disk store', () => {
  const store = new DiskStore(dir);
  const sha = 'a'.repeat(64);

  it('stages, commits by rename under the content address, reads ranges, deletes', async () => {
    const staged = await store.stage();
    await staged.write(Buffer.from('hello '));
    await staged.write(Buffer.from('world'));
    await staged.finish();
    await store.commit(staged, blobKey('ten_x', sha));
    expect(readdirSync(join(dir, '.tmp'))).toEqual([]);
    const read = async (range?: { start: number; end: number }) => {
      const chunks: Buffer[] = [];
      for await (const c of await store.read(blobKey('ten_x', sha), range)) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString();
    };
    expect(await read()).toBe('hello world');
    expect(await read({ start: 6, end: 10 })).toBe('world');
    await store.delete(blobKey('ten_x', sha));
    expect(await store.exists(blobKey('ten_x', sha))).toBe(false);
  });

  it('drops aborted staging, sweeps stale staging, and refuses unsafe keys', async () => {
    const aborted = await store.stage();
    await aborted.write(Buffer.from('x'));
    await aborted.abort();
    expect(readdirSync(join(dir, '.tmp'))).toEqual([]);
    const left = await store.stage();
    await left.write(Buffer.from('left by a crash'));
    await left.finish();
    expect(await store.sweepStaging(60_000)).toBe(0);
    expect(await store.sweepStaging(60_000, Date.now() + 120_000)).toBe(1);
    expect(() => blobKey('../etc', sha)).toThrow();
    expect(() => blobKey('ten_x', '../../x')).toThrow();
    await expect(store.read('../../etc/passwd')).rejects.toThrow(/escapes/);
  });
});
