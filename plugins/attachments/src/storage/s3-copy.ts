import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  type S3Client,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { S3_LIMITS, type StoreLimits, partRanges, partSizeFor } from './s3-limits.ts';

export interface ServerSideCopy {
  bucket: string;
  /** Full keys (prefix included). */
  source: string;
  target: string;
  size: number;
  /** Pins the source version that was checked (presigned uploads). */
  etag?: string;
}

/** Ranges copied at once: each is server-side work, no bytes pass through this process. */
const COPY_CONCURRENCY = 4;

/**
 * Copies an object inside the bucket without its bytes passing through this process: one
 * CopyObject up to `maxCopyBytes` (S3: 5 GiB), else a multipart upload whose parts are
 * UploadPartCopy ranges of the source (`copyPartSize`, grown to stay within `maxParts`).
 * A failed multipart copy is aborted, so no parts are left behind.
 */
export async function copyWithinBucket(client: S3Client, limits: StoreLimits, copy: ServerSideCopy): Promise<void> {
  const { bucket: Bucket, target: Key } = copy;
  const CopySource = `${Bucket}/${copy.source}`;
  const ifMatch = copy.etag ? { CopySourceIfMatch: copy.etag } : {};
  if (copy.size <= limits.maxCopyBytes) {
    await client.send(new CopyObjectCommand({ Bucket, Key, CopySource, ...ifMatch }));
    return;
  }
  const partSize = Math.min(partSizeFor(copy.size, limits.copyPartSize, limits.maxParts), S3_LIMITS.maxPartBytes);
  const ranges = partRanges(copy.size, partSize);
  if (ranges.length > limits.maxParts) throw new Error(`An object of ${copy.size} bytes cannot be copied in ${limits.maxParts} parts`);
  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket, Key }));
  if (!UploadId) throw new Error('The object store did not start a multipart copy');
  try {
    const etags: string[] = new Array(ranges.length);
    let next = 0;
    const worker = async () => {
      while (next < ranges.length) {
        const index = next++;
        const { start, end } = ranges[index] as { start: number; end: number };
        try {
          const out = await client.send(
            new UploadPartCopyCommand({ Bucket, Key, UploadId, PartNumber: index + 1, CopySource, CopySourceRange: `bytes=${start}-${end}`, ...ifMatch }),
          );
          const etag = out.CopyPartResult?.ETag;
          if (!etag) throw new Error(`The object store answered part ${index + 1} of the copy without an ETag`);
          etags[index] = etag;
        } catch (error) {
          next = ranges.length; // the other workers stop after their current range
          throw error;
        }
      }
    };
    // Settled, not raced: the upload is aborted only once no range is still being copied into it.
    const results = await Promise.allSettled(Array.from({ length: Math.min(COPY_CONCURRENCY, ranges.length) }, worker));
    const failure = results.find((r) => r.status === 'rejected');
    if (failure) throw failure.reason;
    await client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) } }));
  } catch (error) {
    await client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch(() => undefined);
    throw error;
  }
}
