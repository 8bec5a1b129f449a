import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import type { S3Settings } from '../config.ts';
import { copyWithinBucket } from './s3-copy.ts';
import { type StoreLimits, partSizeFor, storeLimits } from './s3-limits.ts';
import { S3Staged } from './s3-staged.ts';
import type { BlobStore, ByteRange, StagedBlob } from './store.ts';

/**
 * An object a client already uploaded (presigned) under a staging key, adopted for commit; `etag`
 * pins the version that was checked, so a later overwrite through the same URL cannot slip in.
 */
export class S3Adopted implements StagedBlob {
  readonly client: S3Client;
  readonly bucket: string;
  readonly key: string;
  readonly etag: string | undefined;
  readonly size: number;
  constructor(client: S3Client, bucket: string, key: string, size: number, etag?: string) {
    this.client = client;
    this.bucket = bucket;
    this.key = key;
    this.size = size;
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
 * (bounded memory, see `S3Staged`) and are copied to their content address on commit, server-side:
 * CopyObject up to 5 GiB, UploadPartCopy ranges above (`s3-copy.ts`).
 */
export class S3Store implements BlobStore {
  readonly driver = 's3' as const;
  readonly client: S3Client;
  private readonly prefix: string;
  readonly limits: StoreLimits;
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
    this.limits = storeLimits(settings);
  }

  get partSize(): number {
    return this.limits.partSize;
  }

  /** `maxBytes`: the most the upload may hold (its length or the limit), so parts are large enough to stay within `maxParts`. */
  async stage(maxBytes?: number): Promise<StagedBlob> {
    const { partSize, maxParts } = this.limits;
    return new S3Staged(this.client, this.settings.bucket, this.stagingKey(), maxBytes ? partSizeFor(maxBytes, partSize, maxParts) : partSize, maxParts);
  }

  get bucket(): string {
    return this.settings.bucket;
  }

  /** Full object key of a new staging object (`<prefix>tmp/<uuid>`). */
  stagingKey(): string {
    return `${this.prefix}tmp/${randomUUID()}`;
  }

  async commit(staged: StagedBlob, key: string): Promise<void> {
    const from = staged as S3Staged | S3Adopted;
    if (!(await this.exists(key))) {
      await copyWithinBucket(this.client, this.limits, {
        bucket: this.settings.bucket,
        source: from.key,
        target: this.prefix + key,
        size: from.size,
        ...(from instanceof S3Adopted && from.etag ? { etag: from.etag } : {}),
      });
    }
    await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: from.key }));
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
