import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from '@20minutes/s3rver';
import type { S3Settings } from '../config.ts';

/**
 * A real S3-compatible server on a random loopback port over a temp directory: s3rver as kept up by
 * 20minutes (the original s3rver 3.7.1 answers UploadPartCopy with NotImplemented).
 */
export async function startS3(bucket = 'ticketops-test'): Promise<{ settings: S3Settings; close(): Promise<void> }> {
  const directory = mkdtempSync(join(tmpdir(), 'ticketops-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
    // This s3rver computes bucket-level canonical requests (ListObjectsV2, HeadBucket) differently from
    // the SDK and would answer them SignatureDoesNotMatch; object requests are signed either way.
    allowMismatchedSignatures: true,
  });
  const address = await server.run();
  return {
    settings: { bucket, region: 'us-east-1', endpoint: `http://127.0.0.1:${address.port}`, forcePathStyle: true, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', partSize: 5 * 1024 * 1024 },
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
