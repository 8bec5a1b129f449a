import type { S3Settings } from '../config.ts';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** S3's own limits (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html). */
export const S3_LIMITS = {
  /** A single PutObject (and a single presigned PUT URL). */
  maxPutBytes: 5 * GiB,
  /** A single CopyObject. */
  maxCopyBytes: 5 * GiB,
  /** One part of a multipart upload (upload or copy); every part but the last is at least 5 MiB (`partSize`'s minimum). */
  maxPartBytes: 5 * GiB,
  maxParts: 10_000,
  /** The largest object. */
  maxObjectBytes: 5 * 1024 * GiB,
};

export interface StoreLimits {
  partSize: number;
  maxCopyBytes: number;
  copyPartSize: number;
  maxParts: number;
}

export function storeLimits(settings: S3Settings): StoreLimits {
  return {
    partSize: settings.partSize ?? 8 * MiB,
    maxCopyBytes: settings.maxCopyBytes ?? S3_LIMITS.maxCopyBytes,
    copyPartSize: settings.copyPartSize ?? 512 * MiB,
    maxParts: settings.maxParts ?? S3_LIMITS.maxParts,
  };
}

/**
 * The part size for an object of (at most) `bytes`: `preferred`, or more — in whole MiB — when
 * `maxParts` parts of that size would not hold it.
 */
export function partSizeFor(bytes: number, preferred: number, maxParts: number): number {
  const needed = Math.ceil(bytes / maxParts);
  return needed <= preferred ? preferred : Math.ceil(needed / MiB) * MiB;
}

/** The `[start, end]` (inclusive) byte ranges of `size` bytes cut into `partSize` pieces. */
export function partRanges(size: number, partSize: number): { start: number; end: number }[] {
  const ranges = [];
  for (let start = 0; start < size; start += partSize) ranges.push({ start, end: Math.min(start + partSize, size) - 1 });
  return ranges;
}
