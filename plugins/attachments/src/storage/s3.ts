import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
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
 * An object a client already uploaded (presigned) under a staging key, adopted for commit; `etag`
 * pins the version that was checked, so a later overwrite through the same URL cannot slip in.
 */
export class S3Adopted implements StagedBlob {
  readonly client: S3Client;
  readonly bucket: string;
  readonly key: string;
  readonly etag: string | undefined;
  constructor(client: S3Client, bucket: string, key: string, etag?: string) {
    this.client = client;
    this.bucket = bucket;
    this.key = key;
    this.etag = etag;
  }
  async write(): Promise<void> {
    throw new Error('An adopted object cannot be written');
  }
  async finish(): Promise<void> {}
  async abort(): Promise<void> {
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
  readonly partSize: number;
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
    return new S3Staged(this.client, this.settings.bucket, this.stagingKey(), this.partSize);
  }

  get bucket(): string {
    return this.settings.bucket;
  }

  /** Full object key of a new staging object (`<prefix>tmp/<uuid>`). */
  stagingKey(): string {
    return `${this.prefix}tmp/${randomUUID()}`;
  }

  async commit(staged: StagedBlob, key: string): Promise<void> {
    const source = (staged as S3Staged | S3Adopted).key;
    const etag = staged instanceof S3Adopted ? staged.etag : undefined;
    if (!(await this.exists(key))) {
      await this.client.send(
        new CopyObjectCommand({ Bucket: this.settings.bucket, Key: this.prefix + key, CopySource: `${this.settings.bucket}/${source}`, ...(etag ? { CopySourceIfMatch: etag } : {}) }),
      );
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

  /**
   * Removes staged objects under `<prefix>tmp/` older than `olderThanMs` and aborts multipart
   * uploads there started before then (left by a process that died mid-upload). Servers that
   * cannot list multipart uploads (s3rver) leave those to a bucket lifecycle rule.
   */
  async sweepStaging(olderThanMs: number, now = Date.now()): Promise<number> {
    const Bucket = this.settings.bucket;
    const Prefix = `${this.prefix}tmp/`;
    let removed = 0;
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket, Prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) {
        if (object.Key && object.LastModified && now - object.LastModified.getTime() > olderThanMs) {
          await this.client.send(new DeleteObjectCommand({ Bucket, Key: object.Key }));
          removed++;
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const uploads = await this.client.send(new ListMultipartUploadsCommand({ Bucket, Prefix })).catch((error) => {
      if ((error as { name?: string }).name === 'NotImplemented') return null;
      throw error;
    });
    for (const upload of uploads?.Uploads ?? []) {
      if (upload.Key && upload.UploadId && upload.Initiated && now - upload.Initiated.getTime() > olderThanMs) {
        await this.client.send(new AbortMultipartUploadCommand({ Bucket, Key: upload.Key, UploadId: upload.UploadId }));
        removed++;
      }
    }
    return removed;
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
