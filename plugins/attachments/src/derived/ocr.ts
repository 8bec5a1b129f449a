import type { Readable } from 'node:stream';
import type { Logger, Scope, TicketsService, TransactionContext } from '@ticketops/plugin-sdk';
import type { FileRow } from '../access.ts';
import type { AttachmentsConfig } from '../config.ts';
import { sql } from '../db.ts';
import { type BlobStore, blobKey } from '../storage/store.ts';
import type { OcrEngine } from './ocr-engine.ts';
import { RASTER } from './thumbnails.ts';

/** Sources larger than this are not read into memory for OCR. */
const MAX_SOURCE_BYTES = 50 * 1024 * 1024;

export interface OcrDeps {
  config: AttachmentsConfig;
  store: BlobStore;
  engine: OcrEngine;
  logger?: Logger;
}

export type OcrStatus = 'none' | 'pending' | 'done' | 'failed';

/** Whether OCR applies to this attachment at all (enabled, a raster image, not infected). */
export const ocrApplies = (config: AttachmentsConfig, row: Pick<FileRow, 'mime' | 'status'>) => config.ocr.enabled && row.status !== 'infected' && RASTER.has(row.mime);

/** `ocr: { status, text? }` for an attachment's metadata. */
export async function ocrOf(scope: Scope, config: AttachmentsConfig, row: FileRow): Promise<{ status: OcrStatus; text?: string }> {
  const [found] = await sql<{ status: 'done' | 'failed'; text: string | null }>(scope.em, 'select status, text from attachments_ocr where tenant_id = ? and file_id = ?', [scope.tenantId, row.id]);
  if (found) return found.status === 'done' ? { status: 'done', text: found.text ?? '' } : { status: 'failed' };
  return { status: ocrApplies(config, row) ? 'pending' : 'none' };
}

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Whitespace folded, control characters (and NUL, which PostgreSQL text refuses) dropped, capped. */
export function cleanText(text: string, maxChars: number): string {
  return text
    .replace(/[\p{Cc}\p{Cf}]+/gu, (m) => (/[\n\t\r]/.test(m) ? ' ' : ''))
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, maxChars);
}

/** Adds the text to the ticket's full-text search (kernel `tickets.indexText`); internal-note attachments stay internal. */
export async function indexForSearch(scope: Scope, tx: TransactionContext, file: { id: string; ticket_id: string | null; internal: boolean | null }, text: string): Promise<void> {
  if (!file.ticket_id || !text) return;
  await scope.resolve<TicketsService>('tickets').indexText(scope, { ticketId: file.ticket_id, source: 'attachment', sourceId: file.id, text, internal: Boolean(file.internal) }, { tx });
}

/**
 * Recognises the text of one image attachment and stores it (the `attachment.uploaded` subscriber).
 * Idempotent: a file already done is skipped; a deleted one is ignored. An image tesseract or
 * sharp cannot read is recorded as `failed` rather than retried forever.
 */
export async function ocrAttachment(scope: Scope, deps: OcrDeps, attachmentId: string): Promise<'done' | 'failed' | 'skipped'> {
  const [row] = await sql<FileRow & { internal: boolean | null; ocr_status: string | null }>(
    scope.em,
    `select f.*, c.internal, o.status as ocr_status from attachments_file f
       left join comment c on c.id = f.comment_id left join attachments_ocr o on o.file_id = f.id
      where f.tenant_id = ? and f.id = ?`,
    [scope.tenantId, attachmentId],
  );
  if (!row || !ocrApplies(deps.config, row) || row.ocr_status === 'done') return 'skipped';
  let text: string | null = null;
  let error: string | null = null;
  if (Number(row.size) > MAX_SOURCE_BYTES) error = 'image too large for OCR';
  else {
    const bytes = await drain(await deps.store.read(blobKey(scope.tenantId, row.sha256)));
    try {
      text = cleanText(await deps.engine.recognize(bytes), deps.config.ocr.maxTextChars);
    } catch (failure) {
      error = (failure as Error).message.slice(0, 500);
      deps.logger?.warn({ err: failure, attachmentId }, 'attachments: OCR failed');
    }
  }
  const status = text === null ? 'failed' : 'done';
  await scope.transactional(async (tx) => {
    // Only while the file still exists (it may have been deleted while the image was read).
    const stored = await sql(
      tx.em,
      `insert into attachments_ocr (file_id, tenant_id, status, text, error)
       select id, tenant_id, ?, ?, ? from attachments_file where tenant_id = ? and id = ?
       on conflict (file_id) do update set status = excluded.status, text = excluded.text, error = excluded.error, updated_at = now()
       returning file_id`,
      [status, text, error, scope.tenantId, attachmentId],
    );
    if (stored.length && text) await indexForSearch(scope, tx, row, text);
  });
  return status;
}
