import type { Readable } from 'node:stream';

/** Bytes being written under a temporary name; committed under their content address once hashed. */
export interface StagedBlob {
  /** Writes one chunk, waiting for the destination to accept it (backpressure). */
  write(chunk: Buffer): Promise<void>;
  /** Flushes everything written; the bytes are durable under the temporary name afterwards. */
  finish(): Promise<void>;
  /** Drops the temporary bytes (idempotent; also after `finish`). */
  abort(): Promise<void>;
}

export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

/**
 * Where attachment bytes live. Keys are content addresses made by `blobKey` (tenant + SHA-256);
 * no user input ever reaches a key or a path.
 */
export interface BlobStore {
  readonly driver: 'disk' | 's3';
  /** `maxBytes`: the most the staged bytes may come to, if known (S3 sizes its parts by it). */
  stage(maxBytes?: number): Promise<StagedBlob>;
  /** Moves finished staged bytes to `key` (atomic; identical bytes already there are fine). */
  commit(staged: StagedBlob, key: string): Promise<void>;
  read(key: string, range?: ByteRange): Promise<Readable>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Removes staged bytes older than `olderThanMs` (left by a crash); returns how many. */
  sweepStaging(olderThanMs: number, now?: number): Promise<number>;
  close(): Promise<void>;
}

const TENANT = /^[A-Za-z0-9_-]{1,64}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** `<tenant>/<first two hex>/<sha256>`: one namespace per tenant, so no dedup (or existence oracle) across tenants. */
export function blobKey(tenantId: string, sha256: string): string {
  if (!TENANT.test(tenantId)) throw new Error(`Unsafe tenant id for a storage key: ${JSON.stringify(tenantId)}`);
  if (!SHA256.test(sha256)) throw new Error('Not a SHA-256 hex digest');
  return `${tenantId}/${sha256.slice(0, 2)}/${sha256}`;
}

const VARIANT = /^[a-z0-9-]{1,32}$/;

/** Bytes made from a blob (a thumbnail): `<tenant>/derived/<first two hex>/<sha256>.<variant>`, removed with the blob. */
export function derivedKey(tenantId: string, sha256: string, variant: string): string {
  if (!VARIANT.test(variant)) throw new Error('Unsafe variant for a storage key');
  const [tenant, , sha] = blobKey(tenantId, sha256).split('/');
  return `${tenant}/derived/${sha256.slice(0, 2)}/${sha}.${variant}`;
}

/** Every derived variant a blob may have, so its removal takes them along. */
export const DERIVED_VARIANTS = ['thumb-64', 'thumb-256'];

/** Removes a blob's bytes and whatever was derived from them. */
export async function deleteBlobBytes(store: BlobStore, tenantId: string, sha256: string, key: string): Promise<void> {
  await store.delete(key);
  for (const variant of DERIVED_VARIANTS) await store.delete(derivedKey(tenantId, sha256, variant));
}
