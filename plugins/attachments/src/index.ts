import { join } from 'node:path';
import { type Logger, type Scope, asValue, definePlugin } from '@ticketops/plugin-sdk';
import { type AttachmentsConfig, configSchema } from './config.ts';
import { type CleanupDeps, runCleanup, runRetention } from './jobs/cleanup.ts';
import { ocrAttachment } from './derived/ocr.ts';
import { type OcrEngine, ocrEngine } from './derived/ocr-engine.ts';
import { migrations } from './migrations.ts';
import { ownerRegistry } from './owners.ts';
import { attachmentRoutes } from './routes/attachments.ts';
import { thumbnailRoutes } from './routes/thumbnails.ts';
import { uploadRoutes } from './routes/uploads.ts';
import { sweepExpiredUploads } from './upload/presigned.ts';
import { ClamavScanner } from './scan/clamav.ts';
import type { Scanner } from './scan/scanner.ts';
import { sandboxCapabilities } from './sandbox.ts';
import { type AttachmentService, attachmentService } from './service.ts';
import { DiskStore } from './storage/disk.ts';
import { S3Store } from './storage/s3.ts';
import type { BlobStore } from './storage/store.ts';

export type { AttachmentsConfig } from './config.ts';
export type { AttachmentService } from './service.ts';
export type { AttachmentOwners, Owner, OwnerKind } from './owners.ts';
export type { AttachmentInfo } from './sandbox.ts';
export type { BlobStore, StagedBlob } from './storage/store.ts';
export type { Scanner, ScanSession, ScanVerdict } from './scan/scanner.ts';
export { DiskStore } from './storage/disk.ts';
export { S3Store } from './storage/s3.ts';
export { ClamavScanner } from './scan/clamav.ts';
export { blobKey } from './storage/store.ts';
export { runCleanup, runRetention, type CleanupCounts } from './jobs/cleanup.ts';

/** What `init` makes (the store needs the kernel's data directory) and routes, jobs and tests use: `attachments.runtime`. */
export interface AttachmentsRuntime {
  service: AttachmentService;
  cleanup: CleanupDeps;
  /** The hourly orphan sweep and the daily retention run (the schedules call them; tests may too). */
  runCleanup(scope: Scope): ReturnType<typeof runCleanup>;
  runRetention(scope: Scope): ReturnType<typeof runRetention>;
  /** The OCR pool (`ocr.enabled`), and the job the `attachment.uploaded` subscriber runs. */
  ocr: OcrEngine | null;
  runOcr(scope: Scope, attachmentId: string): ReturnType<typeof ocrAttachment>;
}

export function createStore(config: AttachmentsConfig, dataDir: string): BlobStore {
  if (config.storage.driver === 's3') {
    if (!config.storage.s3) throw new Error('storage.s3 is required when storage.driver is "s3"');
    return new S3Store(config.storage.s3);
  }
  return new DiskStore(config.storage.dir ?? join(dataDir, 'attachments'));
}

export function createScanner(config: AttachmentsConfig): Scanner | null {
  if (config.scanner.driver !== 'clamav') return null;
  return new ClamavScanner({ socket: config.scanner.socket, host: config.scanner.host, port: config.scanner.port, timeoutMs: config.scanner.timeoutMs });
}

/**
 * Attachments: streaming multipart uploads to disk or S3-compatible storage (and presigned
 * direct-to-S3 uploads), content-addressed by SHA-256 with per-tenant dedup and reference counts,
 * types sniffed from the bytes, size limits and quotas, ClamAV scanning before anything is kept,
 * downloads and thumbnails that honour ticket visibility, OCR into ticket search, scheduled
 * orphan clean-up and retention, and the `attachments.list` sandbox capability.
 */
export const attachmentsPlugin = definePlugin<AttachmentsConfig>({
  id: 'attachments',
  version: '0.1.0',
  kernel: '^0.1.0',
  description: 'File attachments on tickets and comments: streaming and presigned uploads, disk/S3 storage, antivirus, safe downloads, thumbnails, OCR',
  configSchema,
  migrations,
  permissions: [
    { name: 'attachments.upload', description: 'Upload attachments to tickets one can see', grantTo: ['agent', 'customer'] },
    { name: 'attachments.read', description: 'Download attachments of tickets one can see', grantTo: ['agent', 'customer'] },
    { name: 'attachments.delete', description: 'Delete attachments', grantTo: ['agent'] },
  ],
  events: ['attachment.uploaded', 'attachment.infected'],
  // Console panels, from the module `npm run build:admin` builds (src/admin/panels.ts): the composer's
  // uploads and each message's files. A console without this plugin shows no upload UI at all.
  admin: {
    assets: new URL('../dist/admin/', import.meta.url),
    module: 'panels.js',
    panels: [
      { element: 'to-attachments-composer', zone: 'ticket.composer', title: { en: 'Attachments', de: 'Anhänge' }, permission: 'attachments.upload' },
      { element: 'to-attachments-comment', zone: 'comment.attachments', title: { en: 'Attachments', de: 'Anhänge' }, permission: 'attachments.read' },
      // The customer portal (/portal): the same elements in its new-request/reply forms and under its messages.
      { element: 'to-attachments-composer', zone: 'portal.composer', title: { en: 'Attachments', de: 'Anhänge' }, permission: 'attachments.upload' },
      { element: 'to-attachments-comment', zone: 'portal.message.attachments', title: { en: 'Attachments', de: 'Anhänge' }, permission: 'attachments.read' },
    ],
  },

  register(r) {
    // The store needs the kernel's data directory, known in init; routes and schedules only run after init.
    const holder: { current: AttachmentsRuntime | null; get(): AttachmentsRuntime } = {
      current: null,
      get() {
        if (!holder.current) throw new Error('attachments: not initialised');
        return holder.current;
      },
    };
    // Owner kinds (files of another plugin's things, e.g. knowledge-base articles): registered by
    // dependent plugins in their init, which runs after this plugin's.
    const owners = ownerRegistry(() => holder.get().service.store);
    r.services({ runtime: asValue(holder), owners: asValue(owners) });
    const service = () => holder.get().service;
    r.routes([...uploadRoutes(service), ...attachmentRoutes(service), ...thumbnailRoutes(service)]);
    r.sandboxCapabilities(sandboxCapabilities(() => holder.get().cleanup.forTenant));
    // pg-boss enqueues each tick once across nodes; the row locks (`skip locked`) keep even overlapping runs apart.
    r.schedule({ name: 'cleanup', cron: r.config.cleanup.cron, handler: async (scope) => void (await holder.get().runCleanup(scope)) });
    if (r.config.ocr.enabled) {
      r.subscribe<{ attachmentId: string }>('attachment.uploaded', { id: 'ocr', retryLimit: 3 }, async (event, scope) => {
        await holder.get().runOcr(scope, event.payload.attachmentId);
      });
    }
    if (r.config.retention.closedTicketDays) {
      r.schedule({ name: 'retention', cron: r.config.retention.cron, handler: async (scope) => void (await holder.get().runRetention(scope)) });
    }
  },

  init({ config, resolve, logger, forTenant }) {
    const { dataDir } = resolve<{ dataDir: string }>('config');
    const store = createStore(config, dataDir);
    const service = attachmentService(config, store, createScanner(config), resolve('attachments.owners'));
    const cleanup: CleanupDeps = { config, store, forTenant, logger: logger as Logger };
    const ocr = config.ocr.enabled ? ocrEngine({ concurrency: config.ocr.concurrency }) : null;
    if (store instanceof S3Store) cleanup.extraSweeps = [async (scope) => ({ presigned: await sweepExpiredUploads(scope, store, config.cleanup.batchSize) })];
    resolve<{ current: AttachmentsRuntime | null }>('attachments.runtime').current = {
      service,
      cleanup,
      runCleanup: (scope) => runCleanup(scope, cleanup),
      runRetention: (scope) => runRetention(scope, cleanup),
      ocr,
      runOcr: async (scope, attachmentId) => (ocr ? ocrAttachment(scope, { config, store, engine: ocr, logger: logger as Logger }, attachmentId) : 'skipped'),
    };
  },
});

export default attachmentsPlugin;
