import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { type Scope, TicketOpsError } from '@ticketops/plugin-sdk';
import { sql } from '../db.ts';
import type { AttachmentService, Target } from '../service.ts';
import { S3Adopted, S3Store } from '../storage/s3.ts';
import { S3_LIMITS, partSizeFor } from '../storage/s3-limits.ts';
import { hashAndScan, sniffAllowed } from './inspect.ts';
import { SNIFF_BYTES } from './sniff.ts';

export interface PresignedRequest extends Target {
  name: string;
  size: number;
}

export interface UploadRow {
  id: string;
  tenant_id: string;
  uploaded_by: string | null;
  ticket_id: string | null;
  comment_id: string | null;
  owner_kind: string | null;
  owner_id: string | null;
  original_name: string;
  declared_size: string | number;
  staging_key: string;
  s3_upload_id: string | null;
  part_count: number;
  part_size: string | number;
  state: 'pending' | 'completing';
  expires_at: Date;
}

function s3Of(service: AttachmentService): S3Store {
  if (!(service.store instanceof S3Store)) {
    throw new TicketOpsError('conflict', 'Presigned uploads need the s3 driver; this server stores attachments on disk, so upload through POST /api/v1/attachments');
  }
  return service.store;
}

const tooLarge = (message: string) => new TicketOpsError('payload_too_large', message, { details: [{ pointer: '/body/size', message }] });

/** Checks size, quota and target, then hands out presigned URL(s) for a staging key: one PUT, or one per part. */
export async function startPresigned(scope: Scope, service: AttachmentService, input: PresignedRequest) {
  const store = s3Of(service);
  const { config } = service;
  await service.checkTarget(scope, input);
  if (input.size > config.limits.maxFileBytes) throw tooLarge(`Files may be at most ${config.limits.maxFileBytes} bytes`);
  if (input.size > (await service.quotaLeft(scope, input.ticketId))) throw tooLarge('The upload would exceed the attachment quota of the ticket or tenant');
  if (input.size > S3_LIMITS.maxObjectBytes) throw tooLarge(`An S3 object may be at most ${S3_LIMITS.maxObjectBytes} bytes`);

  const id = `upl_${Date.now().toString(36)}${randomBytes(8).toString('hex')}`;
  const key = store.stagingKey();
  const expiresIn = config.presigned.expiresSeconds;
  const expiresAt = new Date(Date.now() + expiresIn * 1000);
  // One PUT may carry at most 5 GiB; larger files always go in parts, as many as the store allows.
  const multipart = input.size > Math.min(config.presigned.multipartAboveBytes, S3_LIMITS.maxPutBytes);
  const partSize = multipart ? partSizeFor(input.size, store.partSize, store.limits.maxParts) : input.size;
  const partCount = multipart ? Math.ceil(input.size / partSize) : 1;
  const Bucket = store.bucket;
  let s3UploadId: string | null = null;
  let urls: { url?: string; parts?: { partNumber: number; url: string }[] };
  if (multipart) {
    s3UploadId = (await store.client.send(new CreateMultipartUploadCommand({ Bucket, Key: key }))).UploadId ?? null;
    if (!s3UploadId) throw new TicketOpsError('unavailable', 'The object store did not start a multipart upload');
    const parts = [];
    for (let partNumber = 1; partNumber <= partCount; partNumber++) {
      parts.push({ partNumber, url: await getSignedUrl(store.client, new UploadPartCommand({ Bucket, Key: key, UploadId: s3UploadId, PartNumber: partNumber }), { expiresIn }) });
    }
    urls = { parts };
  } else {
    urls = { url: await getSignedUrl(store.client, new PutObjectCommand({ Bucket, Key: key }), { expiresIn }) };
  }
  await sql(
    scope.em,
    `insert into attachments_upload (id, tenant_id, uploaded_by, ticket_id, comment_id, owner_kind, owner_id, original_name, declared_size, staging_key, s3_upload_id, part_count, part_size, expires_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [id, scope.tenantId, scope.actor.userId, input.ticketId ?? null, input.commentId ?? null, input.owner?.kind ?? null, input.owner?.id ?? null, input.name.slice(0, 255), input.size, key, s3UploadId, partCount, partSize, expiresAt],
  );
  return { uploadId: id, method: 'PUT' as const, ...urls, ...(multipart ? { partSize } : {}), headers: {}, expiresAt: expiresAt.toISOString() };
}

const targetOf = (row: UploadRow): Target =>
  row.owner_kind && row.owner_id ? { owner: { kind: row.owner_kind, id: row.owner_id } } : { ticketId: row.ticket_id ?? undefined, commentId: row.comment_id ?? undefined };

/** Drops a presigned upload's bytes (parts or object) and row: nothing is left behind on any failure. */
async function discard(store: S3Store, row: UploadRow, scope: Scope): Promise<void> {
  const Bucket = store.bucket;
  if (row.s3_upload_id) await store.client.send(new AbortMultipartUploadCommand({ Bucket, Key: row.staging_key, UploadId: row.s3_upload_id })).catch(() => undefined);
  await store.client.send(new DeleteObjectCommand({ Bucket, Key: row.staging_key })).catch(() => undefined);
  await sql(scope.em, 'delete from attachments_upload where tenant_id = ? and id = ?', [row.tenant_id, row.id]);
}

async function claim(scope: Scope, uploadId: string): Promise<UploadRow> {
  const [row] = await sql<UploadRow>(
    scope.em,
    `update attachments_upload set state = 'completing' where tenant_id = ? and id = ? and uploaded_by is not distinct from ? and state = 'pending' and expires_at > now() returning *`,
    [scope.tenantId, uploadId, scope.actor.userId],
  );
  if (row) return row;
  const [other] = await sql<UploadRow>(scope.em, 'select * from attachments_upload where tenant_id = ? and id = ? and uploaded_by is not distinct from ?', [scope.tenantId, uploadId, scope.actor.userId]);
  if (!other) throw new TicketOpsError('not_found', 'Upload was not found');
  if (other.state === 'completing') throw new TicketOpsError('conflict', 'This upload is already being completed');
  throw new TicketOpsError('conflict', 'This upload has expired; start a new one');
}

const statusOf = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/**
 * Checks what the client put in S3 exactly like a streamed upload — size, type from the first
 * bytes, hash and antivirus over the whole object — and commits it under its content address in
 * one transaction with the row. Each read is pinned to the ETag seen first, so the object cannot be
 * swapped through the still-valid URL between the checks and the copy.
 */
export async function completePresigned(scope: Scope, service: AttachmentService, uploadId: string, parts: { partNumber: number; etag: string }[] | undefined) {
  const store = s3Of(service);
  const { config } = service;
  const row = await claim(scope, uploadId);
  const Bucket = store.bucket;
  const Key = row.staging_key;
  try {
    if (row.s3_upload_id) {
      if (!parts || parts.length !== row.part_count || parts.some((p, i) => p.partNumber !== i + 1)) {
        throw new TicketOpsError('invalid_input', `List all ${row.part_count} parts in order, each with the ETag its upload answered`, { details: [{ pointer: '/body/parts', message: `must list parts 1…${row.part_count}` }] });
      }
      await store.client
        .send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId: row.s3_upload_id, MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) } }))
        .catch((error) => {
          throw new TicketOpsError('invalid_input', `The parts could not be assembled: ${(error as Error).message}`, { details: [{ pointer: '/body/parts', message: 'do not match the uploaded parts' }] });
        });
      row.s3_upload_id = null;
    }
    const head = await store.client.send(new HeadObjectCommand({ Bucket, Key })).catch((error) => {
      if (statusOf(error) === 404) throw new TicketOpsError('invalid_input', 'Nothing was uploaded to the URL', { details: [{ pointer: '/body', message: 'no uploaded object' }] });
      throw error;
    });
    const size = Number(head.ContentLength ?? 0);
    const etag = head.ETag;
    const declared = Number(row.declared_size);
    if (size > config.limits.maxFileBytes) throw tooLarge(`Files may be at most ${config.limits.maxFileBytes} bytes`);
    if (size !== declared) {
      throw new TicketOpsError('invalid_input', `The upload has ${size} bytes, not the ${declared} declared`, { details: [{ pointer: '/body/size', message: `declared ${declared} bytes, uploaded ${size}` }] });
    }
    const first = await store.client.send(new GetObjectCommand({ Bucket, Key, Range: `bytes=0-${SNIFF_BYTES - 1}`, IfMatch: etag }));
    const sniffed = await sniffAllowed(Buffer.from(await (first.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()), config);
    const whole = await store.client.send(new GetObjectCommand({ Bucket, Key, IfMatch: etag }));
    const inspected = await hashAndScan(whole.Body as Readable, service.scanner, config);
    if (inspected.size !== size) throw new TicketOpsError('conflict', 'The uploaded object changed while it was checked');
    // Checked again: the ticket, comment or owner may have changed since the upload started.
    const target = targetOf(row);
    await service.checkTarget(scope, target);
    return await service.keep(
      scope,
      { staged: new S3Adopted(store.client, Bucket, Key, size, etag), sha256: inspected.sha256, size, sniffed, clientName: row.original_name, verdict: inspected.verdict },
      target,
      async (tx) => void (await sql(tx.em, 'delete from attachments_upload where tenant_id = ? and id = ?', [row.tenant_id, row.id])),
    );
  } finally {
    // Whatever happened, the staging object and the row are gone (after success: already moved and deleted).
    await discard(store, row, scope);
  }
}

/**
 * Presigned uploads never completed: pending ones past their URLs' expiry, and completions that
 * died (an hour past expiry). Multipart parts are aborted by their known upload id, so this works
 * on servers that cannot list multipart uploads.
 */
export async function sweepExpiredUploads(scope: Scope, store: S3Store, batchSize: number): Promise<number> {
  let removed = 0;
  for (let i = 0; i < 200; i++) {
    const n = await scope.transactional(async (tx) => {
      const rows = await sql<UploadRow>(
        tx.em,
        `select * from attachments_upload
          where (state = 'pending' and expires_at < now() - interval '1 minute') or (state = 'completing' and expires_at < now() - interval '1 hour')
          order by expires_at limit ? for update skip locked`,
        [batchSize],
      );
      for (const row of rows) {
        if (row.s3_upload_id) await store.client.send(new AbortMultipartUploadCommand({ Bucket: store.bucket, Key: row.staging_key, UploadId: row.s3_upload_id })).catch(() => undefined);
        await store.client.send(new DeleteObjectCommand({ Bucket: store.bucket, Key: row.staging_key }));
        await sql(tx.em, 'delete from attachments_upload where id = ?', [row.id]);
      }
      return rows.length;
    });
    removed += n;
    if (n < batchSize) break;
  }
  return removed;
}
