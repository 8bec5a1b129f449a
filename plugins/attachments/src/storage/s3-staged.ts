import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  type CompletedPart,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { StagedBlob } from './store.ts';

/**
 * Streams bytes to a staging key with bounded memory, whatever the size: chunks are copied into a
 * part buffer; a full buffer is sent as one part while the next one fills, and a sent buffer is
 * reused for the part after. So an upload holds at most two part buffers (2 × `partSize`), never
 * allocates per part, and waits (backpressure) when the store is slower than the client. Bytes that
 * fit in one part go up as a single PutObject.
 *
 * (lib-storage's `Upload` allocated a fresh buffer per part — `queueSize` in flight plus the one
 * filling — which lived long enough to be promoted and was only freed by a major collection.)
 */
export class S3Staged implements StagedBlob {
  readonly client: S3Client;
  readonly bucket: string;
  readonly key: string;
  private readonly partSize: number;
  private readonly maxParts: number;
  /** The buffer being filled, and how much of it is. */
  private buffer: Buffer | null = null;
  private filled = 0;
  /** A buffer whose part was sent and answered: the next one to fill. */
  private spare: Buffer | null = null;
  private uploadId: string | null = null;
  /** Answered parts, in order (one part in flight at a time). */
  private readonly parts: CompletedPart[] = [];
  private partsStarted = 0;
  /** The one part being sent, if any; never rejects (a failure is kept in `failed`). */
  private inFlight: Promise<void> = Promise.resolve();
  private failed: unknown = null;
  /** Bytes written. */
  size = 0;

  constructor(client: S3Client, bucket: string, key: string, partSize: number, maxParts: number) {
    this.client = client;
    this.bucket = bucket;
    this.key = key;
    this.partSize = partSize;
    this.maxParts = maxParts;
  }

  async write(chunk: Buffer): Promise<void> {
    this.throwIfFailed();
    let offset = 0;
    while (offset < chunk.length) {
      if (!this.buffer) {
        this.buffer = this.spare ?? Buffer.allocUnsafeSlow(this.partSize);
        this.spare = null;
      }
      const copied = chunk.copy(this.buffer, this.filled, offset);
      this.filled += copied;
      offset += copied;
      if (this.filled === this.partSize) await this.sendPart();
    }
    this.size += chunk.length;
  }

  async finish(): Promise<void> {
    await this.inFlight;
    this.throwIfFailed();
    if (!this.uploadId) {
      // Everything fit in one part: one PutObject instead of create + part + complete.
      const body = this.buffer ? this.buffer.subarray(0, this.filled) : Buffer.alloc(0);
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.key, Body: body, ContentLength: body.length }));
    } else {
      if (this.filled > 0) await this.sendPart();
      await this.inFlight;
      this.throwIfFailed();
      await this.client.send(
        new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: this.uploadId, MultipartUpload: { Parts: this.parts } }),
      );
      this.uploadId = null;
    }
    this.release();
  }

  async abort(): Promise<void> {
    this.failed ??= new Error('The staged upload was aborted');
    await this.inFlight;
    if (this.uploadId) await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.key, UploadId: this.uploadId })).catch(() => undefined);
    this.uploadId = null;
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key })).catch(() => undefined);
    this.release();
  }

  /** Sends the filled buffer as the next part once the previous part is answered (one in flight). */
  private async sendPart(): Promise<void> {
    await this.inFlight;
    this.throwIfFailed();
    const buffer = this.buffer as Buffer;
    const length = this.filled;
    this.buffer = null;
    this.filled = 0;
    const PartNumber = ++this.partsStarted;
    if (PartNumber > this.maxParts) throw this.fail(new Error(`The upload needs more than ${this.maxParts} parts of ${this.partSize} bytes`));
    this.uploadId ??= await this.createUpload();
    const UploadId = this.uploadId;
    this.inFlight = this.client
      .send(new UploadPartCommand({ Bucket: this.bucket, Key: this.key, UploadId, PartNumber, Body: buffer.subarray(0, length), ContentLength: length }))
      .then(
        (out) => {
          this.parts.push({ PartNumber, ETag: out.ETag });
          // Answered, so the SDK is done with the bytes: fill this buffer next instead of allocating one.
          this.spare = buffer;
        },
        (error) => void this.fail(error),
      );
  }

  private async createUpload(): Promise<string> {
    const out = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: this.key })).catch((error) => {
      throw this.fail(error);
    });
    if (!out.UploadId) throw this.fail(new Error('The object store did not start a multipart upload'));
    return out.UploadId;
  }

  /** Keeps the first failure: every later write or finish throws it. */
  private fail(error: unknown): unknown {
    this.failed ??= error ?? new Error('S3 upload failed');
    return this.failed;
  }

  private throwIfFailed(): void {
    if (this.failed) throw this.failed;
  }

  /** Drops the part buffers now rather than when this object is collected. */
  private release(): void {
    this.buffer = null;
    this.spare = null;
    this.filled = 0;
  }
}
