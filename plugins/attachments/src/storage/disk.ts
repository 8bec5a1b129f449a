import { randomUUID } from 'node:crypto';
import { type WriteStream, createReadStream, createWriteStream } from 'node:fs';
import { access, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import type { BlobStore, ByteRange, StagedBlob } from './store.ts';

class DiskStaged implements StagedBlob {
  private done = false;
  readonly path: string;
  private readonly out: WriteStream;
  constructor(path: string, out: WriteStream) {
    this.path = path;
    this.out = out;
  }
  async write(chunk: Buffer): Promise<void> {
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
  async finish(): Promise<void> {
    this.out.end();
    await once(this.out, 'close');
    this.done = true;
  }
  async abort(): Promise<void> {
    if (!this.done && !this.out.destroyed) {
      this.out.destroy();
      await once(this.out, 'close').catch(() => undefined);
    }
    await rm(this.path, { force: true });
  }
}

/** Blobs as files under `root` (mode 0600), written to `root/.tmp/<uuid>` and renamed into place. */
export class DiskStore implements BlobStore {
  readonly driver = 'disk' as const;
  private readonly root: string;
  private readonly tmp: string;
  constructor(root: string) {
    this.root = resolve(root);
    this.tmp = join(this.root, '.tmp');
  }

  private pathOf(key: string): string {
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new Error('Storage key escapes the storage directory');
    return path;
  }

  async stage(): Promise<StagedBlob> {
    await mkdir(this.tmp, { recursive: true, mode: 0o700 });
    const path = join(this.tmp, randomUUID());
    const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
    out.on('error', () => undefined);
    await once(out, 'open');
    return new DiskStaged(path, out);
  }

  async commit(staged: StagedBlob, key: string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    await rename((staged as DiskStaged).path, target);
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const stream = createReadStream(this.pathOf(key), range ? { start: range.start, end: range.end } : {});
    await once(stream, 'open');
    return stream;
  }

  async exists(key: string): Promise<boolean> {
    return access(this.pathOf(key)).then(() => true, () => false);
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /**
   * Removes staged files older than `olderThanMs` — left by a process that died mid-upload
   * (a live upload's staging is younger). Returns how many were removed.
   */
  async sweepStaging(olderThanMs: number, now = Date.now()): Promise<number> {
    const names = await readdir(this.tmp).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const path = join(this.tmp, name);
      const info = await stat(path).catch(() => null);
      if (info && now - info.mtimeMs > olderThanMs) {
        await rm(path, { force: true });
        removed++;
      }
    }
    return removed;
  }

  async close(): Promise<void> {}
}
