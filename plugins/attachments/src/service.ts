import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { type Scope, TicketOpsError, type TicketsService, type TransactionContext } from '@ticketops/plugin-sdk';
import { indexForSearch } from './derived/ocr.ts';
import { type FileRow, canSeeComment, canSeeTicket, toAttachment, visibleFile } from './access.ts';
import type { AttachmentsConfig } from './config.ts';
import { sql } from './db.ts';
import { type AttachmentOwners, type Owner, checkOwnerWrite } from './owners.ts';
import type { Scanner } from './scan/scanner.ts';
import { type BlobStore, blobKey, deleteBlobBytes } from './storage/store.ts';
import { ENVELOPE_BYTES, type Received, receive } from './upload/receive.ts';
import { safeName } from './upload/sniff.ts';

export const newAttachmentId = () => `att_${Date.now().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;

export interface Target {
  ticketId?: string;
  commentId?: string;
  /** A file of another plugin's thing (`knowledge-base.article`), instead of a ticket's. */
  owner?: Owner;
}

export interface AttachmentService {
  readonly store: BlobStore;
  readonly scanner: Scanner | null;
  readonly config: AttachmentsConfig;
  /** Owner kinds other plugins registered (`attachments.owners`). */
  readonly owners: AttachmentOwners;
  /** The file as the scope's actor may see it (tickets' visibility, or the owner kind's `canRead`), else 404. */
  visible(scope: Scope, id: string): Promise<FileRow>;
  /** The commit step shared by streamed and presigned uploads (quota, blob, row, event, bytes to their address). */
  keep(scope: Scope, received: Received, target: Target, alsoInTx?: (tx: TransactionContext) => Promise<void>): Promise<ReturnType<typeof toAttachment>>;
  /** Bytes the ticket's and tenant's quotas still allow. */
  quotaLeft(scope: Scope, ticketId: string | undefined): Promise<number>;
  /** 400/404 unless the ticket (and comment) exist and the caller can see them, or the owner's kind lets the caller add files. */
  checkTarget(scope: Scope, target: Target): Promise<void>;
  upload(scope: Scope, stream: Readable, headers: IncomingHttpHeaders, target: Target): Promise<ReturnType<typeof toAttachment>>;
  remove(scope: Scope, id: string): Promise<void>;
  /** Attaches the caller's own unattached upload to a ticket (and comment) the caller can see. */
  link(scope: Scope, id: string, target: Target): Promise<ReturnType<typeof toAttachment>>;
}

const lockKey = (tenantId: string) => `attachments:${tenantId}`;

/** Bytes still allowed for this ticket and tenant (attachments stored, counted per upload). */
async function quotaLeft(scope: Scope, config: AttachmentsConfig, ticketId: string | undefined, em = scope.em): Promise<number> {
  const rows = await sql<{ ticket: string; tenant: string }>(
    em,
    `select coalesce(sum(size) filter (where ticket_id = ?), 0) as ticket, coalesce(sum(size), 0) as tenant
       from attachments_file where tenant_id = ? and status <> 'infected'`,
    [ticketId ?? '', scope.tenantId],
  );
  const used = rows[0] ?? { ticket: '0', tenant: '0' };
  const tenantLeft = config.limits.maxTenantBytes - Number(used.tenant);
  return ticketId ? Math.min(tenantLeft, config.limits.maxTicketBytes - Number(used.ticket)) : tenantLeft;
}

async function checkTarget(scope: Scope, target: Target, owners: AttachmentOwners): Promise<void> {
  if (target.owner) {
    if (target.ticketId || target.commentId) {
      throw new TicketOpsError('invalid_input', 'A file belongs to a ticket or to an owner, not both', { details: [{ pointer: '/query/owner', message: 'cannot be combined with ticketId or commentId' }] });
    }
    await checkOwnerWrite(scope, owners, target.owner);
    return;
  }
  const notFound = (what: string, pointer: string) => new TicketOpsError('not_found', `${what} was not found`, { details: [{ pointer, message: 'was not found' }] });
  if (target.commentId && !target.ticketId) throw new TicketOpsError('invalid_input', 'A comment attachment also names its ticket', { details: [{ pointer: '/query/ticketId', message: 'is required with commentId' }] });
  if (target.ticketId && !(await canSeeTicket(scope.em, scope.tenantId, scope.actor, target.ticketId))) throw notFound('Ticket', '/query/ticketId');
  if (target.ticketId && target.commentId && !(await canSeeComment(scope.em, scope.tenantId, scope.actor, target.ticketId, target.commentId))) {
    throw notFound('Comment', '/query/commentId');
  }
}

export function attachmentService(config: AttachmentsConfig, store: BlobStore, scanner: Scanner | null, owners: AttachmentOwners): AttachmentService {
  const visible = (scope: Scope, id: string) => visibleFile(scope.em, scope.tenantId, scope.actor, id, { scope, registry: owners });

  /**
   * Keeps (or quarantines) checked bytes: the one commit step of streamed and presigned uploads.
   * `alsoInTx` runs in the same transaction (e.g. dropping the presigned upload's row).
   */
  async function keep(scope: Scope, received: Received, target: Target, alsoInTx?: (tx: TransactionContext) => Promise<void>) {
    const id = newAttachmentId();
    const name = safeName(received.clientName, received.sniffed);
    const originalName = (received.clientName ?? '').replace(/[\p{Cc}\p{Cf}]/gu, '').slice(0, 255);
    const base = [id, scope.tenantId, received.sha256, target.ticketId ?? null, target.commentId ?? null, target.owner?.kind ?? null, target.owner?.id ?? null, scope.actor.userId, name, originalName, received.sniffed.mime, received.size];
    const owner = target.owner ? { ownerKind: target.owner.kind, ownerId: target.owner.id } : {};
    try {
      if (received.verdict.status === 'infected') {
        const signature = received.verdict.signature;
        await received.staged.abort();
        await scope.transactional(async (tx) => {
          await sql(tx.em, `insert into attachments_file (id, tenant_id, sha256, ticket_id, comment_id, owner_kind, owner_id, uploaded_by, name, original_name, mime, size, status, signature) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'infected', ?)`, [...base, signature]);
          await tx.emit('attachment.infected', { attachmentId: id, ticketId: target.ticketId ?? null, commentId: target.commentId ?? null, ...owner, uploadedBy: scope.actor.userId, signature, sha256: received.sha256 });
          await tx.audit({ action: 'attachment.infected', targetType: 'attachment', targetId: id, data: { signature, ticketId: target.ticketId ?? null } });
          await alsoInTx?.(tx);
        });
        throw new TicketOpsError('invalid_input', `The file was refused: the virus scanner found ${signature}`, { details: [{ pointer: '/body/file', message: `contains malware (${signature})` }] });
      }
      const status = received.verdict.status;
      const row = await scope.transactional(async (tx) => {
        const key = blobKey(scope.tenantId, received.sha256);
        // Locks the blob row (this content only): a concurrent delete of the same content waits, or has already removed the bytes.
        const [blob] = await sql<{ inserted: boolean }>(
          tx.em,
          `insert into attachments_blob (tenant_id, sha256, size, storage_key, scan_status) values (?, ?, ?, ?, ?)
           on conflict (tenant_id, sha256) do update set ref_count = attachments_blob.ref_count returning (xmax = 0) as inserted`,
          [scope.tenantId, received.sha256, received.size, key, status],
        );
        // New content is moved into place under that row lock, before the tenant lock below, so the
        // slow part (S3: a server-side copy) does not hold up the tenant's other uploads; known content drops the copy.
        if (blob?.inserted || !(await store.exists(key))) await store.commit(received.staged, key);
        else await received.staged.abort();
        try {
          // One quota check and insert at a time per tenant, so concurrent uploads cannot overrun the quota (lock held to commit).
          await sql(tx.em, 'select pg_advisory_xact_lock(hashtext(?))', [lockKey(scope.tenantId)]);
          if ((await quotaLeft(scope, config, target.ticketId, tx.em)) < received.size) {
            throw new TicketOpsError('payload_too_large', 'The upload would exceed the attachment quota of the ticket or tenant');
          }
          const [file] = await sql<FileRow>(
            tx.em,
            `insert into attachments_file (id, tenant_id, sha256, ticket_id, comment_id, owner_kind, owner_id, uploaded_by, name, original_name, mime, size, status) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning *`,
            [...base, status],
          );
          await tx.emit('attachment.uploaded', { attachmentId: id, ticketId: target.ticketId ?? null, commentId: target.commentId ?? null, ...owner, size: received.size, mimeType: received.sniffed.mime, status, deduplicated: !blob?.inserted });
          await alsoInTx?.(tx);
          return file as FileRow;
        } catch (error) {
          // The blob row this transaction made rolls back with it: take its bytes too (still under the row lock).
          if (blob?.inserted) await deleteBlobBytes(store, scope.tenantId, received.sha256, key).catch(() => undefined);
          throw error;
        }
      });
      return toAttachment(row);
    } finally {
      await received.staged.abort().catch(() => undefined);
    }
  }

  return {
    store,
    scanner,
    config,
    owners,
    visible,
    keep,
    quotaLeft: (scope, ticketId) => quotaLeft(scope, config, ticketId),
    checkTarget: (scope, target) => checkTarget(scope, target, owners),
    async upload(scope, stream, headers, target) {
      await checkTarget(scope, target, owners);
      // Refuse by the declared length before reading a byte of the body.
      const declared = Number(headers['content-length'] ?? Number.NaN);
      const left = await quotaLeft(scope, config, target.ticketId);
      if (Number.isFinite(declared) && declared > config.limits.maxFileBytes + ENVELOPE_BYTES) {
        throw new TicketOpsError('payload_too_large', `Files may be at most ${config.limits.maxFileBytes} bytes`);
      }
      if (left <= 0 || (Number.isFinite(declared) && declared > left + ENVELOPE_BYTES)) {
        throw new TicketOpsError('payload_too_large', 'The upload would exceed the attachment quota of the ticket or tenant');
      }
      const received = await receive({ stream, headers, store, scanner, config, quotaLeft: left });
      return keep(scope, received, target);
    },

    async link(scope, id, target) {
      const row = await visible(scope, id);
      if (row.ticket_id || row.owner_kind) throw new TicketOpsError('conflict', 'The attachment is already attached to a ticket');
      if (row.uploaded_by !== scope.actor.userId) throw new TicketOpsError('not_found', 'Attachment was not found');
      if (row.status === 'infected') throw new TicketOpsError('unexpected_state', 'An infected attachment cannot be attached');
      await checkTarget(scope, target, owners);
      const linked = await scope.transactional(async (tx) => {
        await sql(tx.em, 'select pg_advisory_xact_lock(hashtext(?))', [lockKey(scope.tenantId)]);
        const [used] = await sql<{ n: string }>(tx.em, `select coalesce(sum(size), 0) as n from attachments_file where tenant_id = ? and ticket_id = ? and status <> 'infected'`, [scope.tenantId, target.ticketId]);
        if (Number(used?.n ?? 0) + Number(row.size) > config.limits.maxTicketBytes) {
          throw new TicketOpsError('payload_too_large', 'The attachment would exceed the attachment quota of the ticket');
        }
        const [updated] = await sql<FileRow>(
          tx.em,
          'update attachments_file set ticket_id = ?, comment_id = ? where tenant_id = ? and id = ? and ticket_id is null and owner_kind is null returning *',
          [target.ticketId, target.commentId ?? null, scope.tenantId, row.id],
        );
        if (!updated) throw new TicketOpsError('conflict', 'The attachment is already attached to a ticket');
        // Text recognised before the upload was attached now makes the ticket findable.
        const [ocr] = await sql<{ text: string | null }>(tx.em, `select text from attachments_ocr where file_id = ? and status = 'done'`, [row.id]);
        if (ocr?.text) {
          const internal = target.commentId ? !(await sql(tx.em, 'select 1 from comment where id = ? and not internal', [target.commentId]))[0] : false;
          await indexForSearch(scope, tx, { id: row.id, ticket_id: target.ticketId ?? null, internal }, ocr.text);
        }
        return updated;
      });
      return toAttachment(linked);
    },

    async remove(scope, id) {
      const row = await visible(scope, id);
      // An owner's files are changed only by those the owner's kind lets write (an agent may not delete a draft's image they cannot edit).
      if (row.owner_kind) await checkOwnerWrite(scope, owners, { kind: row.owner_kind, id: row.owner_id as string });
      await scope.transactional(async (tx) => {
        await sql(tx.em, 'delete from attachments_file where tenant_id = ? and id = ?', [scope.tenantId, row.id]);
        // The delete trigger released the file's reference; the last one removes the bytes (row lock held until commit).
        const unused = await sql<{ storage_key: string }>(tx.em, 'select storage_key from attachments_blob where tenant_id = ? and sha256 = ? and ref_count = 0 for update', [scope.tenantId, row.sha256]);
        await tx.audit({ action: 'attachment.deleted', targetType: 'attachment', targetId: row.id, data: { ticketId: row.ticket_id, ...(row.owner_kind ? { owner: `${row.owner_kind}:${row.owner_id}` } : {}) } });
        // Its OCR text leaves the ticket's search with it.
        await scope.resolve<TicketsService>('tickets').removeText(scope, { source: 'attachment', sourceId: row.id }, { tx });
        for (const blob of unused) {
          // Bytes that cannot be removed now keep their row (ref_count 0) for the clean-up job; the delete itself succeeds.
          const removed = await deleteBlobBytes(store, scope.tenantId, row.sha256, blob.storage_key).then(() => true, () => false);
          if (removed) await sql(tx.em, 'delete from attachments_blob where tenant_id = ? and sha256 = ? and ref_count = 0', [scope.tenantId, row.sha256]);
        }
      });
    },
  };
}
