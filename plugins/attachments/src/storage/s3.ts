import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { S3Settings } from '../config.ts';
import type { BlobStore, ByteRange, StagedBlob } from './store.ts';

class S3Staged implements StagedBlob {
  private readonly body = new PassThrough({ highWaterMark: 1024 * 1024 });
  private readonly upload: Upload;
  private readonly done: Promise<unknown>;
  private failed: unknown = null;
  readonly client: S3Client;
  readonly bucket: string;
  readonly key: string;
  constructor(client: S3Client, bucket: string, key: string, partSize: number) {
    this.client = client;
    this.bucket = bucket;
    this.key = key;
    // lib-storage buffers at most queueSize × partSize: the memory bound of an upload of any size.
    this.upload = new Upload({ client, params: { Bucket: bucket, Key: key, Body: this.body }, queueSize: 2, partSize, leavePartsOnError: false });
    this.done = this.upload.done();
    this.done.catch((error) => {
      this.failed = error ?? new Error('S3 upload failed');
      this.body.destroy();
    });
  }
  async write(chunk: Buffer): Promise<void> {
    if (this.failed) throw this.failed;
    if (!this.body.write(chunk)) await Promise.race([once(this.body, 'drain'), this.done]);
    if (this.failed) throw this.failed;
  }
  async finish(): Promise<void> {
    this.body.end();
    await this.done;
  }
  async abort(): Promise<void> {
    await this.upload.abort().catch(() => undefined);
    this.body.destroy();
    await this.done.catch(() => undefined);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key })).catch(() => undefined);
  }
}

/**
 * S3-compatible object storage: bytes stream into a multipart upload under `<prefix>tmp/<uuid>`
 * and are copied to their content address on commit (server-side copy; up to 5 GB per object).
 */
export class S3Store implements BlobStore {
  readonly driver = 's3' as const;
  readonly client: S3Client;
  private readonly prefix: string;
  private readonly partSize: number;
  private readonly settings: S3Settings;
  constructor(settings: S3Settings) {
    this.settings = settings;
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle ?? Boolean(settings.endpoint),
      // Flexible checksums are computed per part and hold part-sized buffers longer; S3's own integrity checks (Content-MD5 where required) suffice here.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...(settings.accessKeyId && settings.secretAccessKey ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } } : {}),
    });
    this.prefix = settings.prefix ?? '';
    this.partSize = settings.partSize ?? 8 * 1024 * 1024;
  }

  async stage(): Promise<StagedBlob> {
    return new S3Staged(this.client, this.settings.bucket, `${this.prefix}tmp/${randomUUID()}`, this.partSize);
  }

  async commit(staged: StagedBlob, key: string): Promise<void> {
    const source = (staged as S3Staged).key;
    if (!(await this.exists(key))) {
      await this.client.send(new CopyObjectCommand({ Bucket: this.settings.bucket, Key: this.prefix + key, CopySource: `${this.settings.bucket}/${source}` }));
    }
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: source }));
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const out = await this.client.send(
      new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.prefix + key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
    );
    return out.Body as Readable;
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.prefix + key }));
      return true;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (error as { name?: string }).name === 'NotFound') return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.prefix + key }));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
