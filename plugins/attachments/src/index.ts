import { join } from 'node:path';
import { asValue, definePlugin } from '@ticketops/plugin-sdk';
import { type AttachmentsConfig, configSchema } from './config.ts';
import { migrations } from './migrations.ts';
import { attachmentRoutes } from './routes/attachments.ts';
import { ClamavScanner } from './scan/clamav.ts';
import type { Scanner } from './scan/scanner.ts';
import { type AttachmentService, attachmentService } from './service.ts';
import { DiskStore } from './storage/disk.ts';
import { S3Store } from './storage/s3.ts';
import type { BlobStore } from './storage/store.ts';

export type { AttachmentsConfig } from './config.ts';
export type { AttachmentService } from './service.ts';
export type { BlobStore, StagedBlob } from './storage/store.ts';
export type { Scanner, ScanSession, ScanVerdict } from './scan/scanner.ts';
export { DiskStore } from './storage/disk.ts';
export { S3Store } from './storage/s3.ts';
export { ClamavScanner } from './scan/clamav.ts';
export { blobKey } from './storage/store.ts';

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
 * Attachments: streaming multipart uploads to disk or S3-compatible storage, content-addressed
 * by SHA-256 with per-tenant dedup and reference counts, types sniffed from the bytes, size limits
 * and quotas, ClamAV scanning before anything is kept, and downloads that honour ticket visibility.
 */
export const attachmentsPlugin = definePlugin<AttachmentsConfig>({
  id: 'attachments',
  version: '0.1.0',
  kernel: '^0.1.0',
  description: 'File attachments on tickets and comments: streaming uploads, disk/S3 storage, antivirus, safe downloads',
  configSchema,
  migrations,
  permissions: [
    { name: 'attachments.upload', description: 'Upload attachments to tickets one can see', grantTo: ['agent', 'customer'] },
    { name: 'attachments.read', description: 'Download attachments of tickets one can see', grantTo: ['agent', 'customer'] },
    { name: 'attachments.delete', description: 'Delete attachments', grantTo: ['agent'] },
  ],
  events: ['attachment.uploaded', 'attachment.infected'],

  register(r) {
    // The store needs the kernel's data directory, known in init; routes only run after init.
    let service: AttachmentService | null = null;
    const holder = {
      set(value: AttachmentService) {
        service = value;
      },
      get(): AttachmentService {
        if (!service) throw new Error('attachments: not initialised');
        return service;
      },
    };
    r.services({ holder: asValue(holder) });
    r.routes(attachmentRoutes(() => holder.get()));
  },

  init({ config, resolve, logger }) {
    const { dataDir } = resolve<{ dataDir: string }>('config');
    const store = createStore(config, dataDir);
    resolve<{ set(value: AttachmentService): void }>('attachments.holder').set(attachmentService(config, store, createScanner(config)));
    // Staging left behind by a crash (a clean failure removes its own); S3 leaves it to a bucket lifecycle rule on `<prefix>tmp/`.
    if (store instanceof DiskStore) {
      store.sweepStaging(60 * 60 * 1000).then(
        (removed) => removed && logger.info({ removed }, 'attachments: removed stale staged uploads'),
        (error) => logger.warn({ err: error }, 'attachments: could not sweep staged uploads'),
      );
    }
  },
});

export default attachmentsPlugin;
