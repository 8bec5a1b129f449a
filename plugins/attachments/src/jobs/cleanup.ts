import type { Logger, Scope, TicketsService } from '@ticketops/plugin-sdk';
import type { AttachmentsConfig } from '../config.ts';
import { sql } from '../db.ts';
import { type BlobStore, deleteBlobBytes } from '../storage/store.ts';

type ForTenant = <R>(tenantId: string, work: (scope: Scope) => Promise<R>) => Promise<R>;

export interface CleanupDeps {
  config: AttachmentsConfig;
  store: BlobStore;
  forTenant: ForTenant;
  logger?: Logger;
  /** Extra clean-up run with the orphan sweep (presigned uploads register theirs here). */
  extraSweeps?: ((scope: Scope) => Promise<Record<string, number>>)[];
}

export interface CleanupCounts {
  unattached: number;
  retention: number;
  blobs: number;
  blobFailures: number;
  staging: number;
  [other: string]: number;
}

/** Most batches one run works through, so one run ends even if rows keep arriving. */
const MAX_BATCHES = 200;

type Deleted = { tenant_id: string; id: string };
type OnDeleted = (tenantId: string, ids: string[]) => Promise<void>;

/** Deletes file rows batch by batch (each its own transaction, rows locked with `skip locked`, so runs on several nodes share the work). */
async function deleteFilesInBatches(scope: Scope, batchSize: number, select: string, params: unknown[], onDeleted?: OnDeleted): Promise<Map<string, number>> {
  const perTenant = new Map<string, number>();
  for (let i = 0; i < MAX_BATCHES; i++) {
    const rows = await scope.transactional((tx) =>
      sql<Deleted>(
        tx.em,
        `with doomed as (${select} limit ? for update of f skip locked)
         delete from attachments_file d using doomed where d.id = doomed.id returning d.tenant_id, d.id`,
        [...params, batchSize],
      ),
    );
    const byTenant = new Map<string, string[]>();
    for (const row of rows) byTenant.set(row.tenant_id, [...(byTenant.get(row.tenant_id) ?? []), row.id]);
    for (const [tenantId, ids] of byTenant) {
      perTenant.set(tenantId, (perTenant.get(tenantId) ?? 0) + ids.length);
      await onDeleted?.(tenantId, ids);
    }
    if (rows.length < batchSize) break;
  }
  return perTenant;
}

/** Uploads nobody linked to a ticket within `unattachedHours`. The delete trigger releases their blobs. */
export function deleteUnattached(scope: Scope, config: AttachmentsConfig): Promise<Map<string, number>> {
  return deleteFilesInBatches(
    scope,
    config.cleanup.batchSize,
    `select f.id from attachments_file f where f.ticket_id is null and f.owner_kind is null and f.created_at < now() - make_interval(secs => ?) order by f.created_at`,
    [config.cleanup.unattachedHours * 3600],
  );
}

/** Attachments of tickets closed for more than `retention.closedTicketDays` (no-op when unset). */
export async function deleteRetained(scope: Scope, config: AttachmentsConfig, onDeleted?: OnDeleted): Promise<Map<string, number>> {
  const days = config.retention.closedTicketDays;
  if (!days) return new Map();
  return deleteFilesInBatches(
    scope,
    config.cleanup.batchSize,
    `select f.id from attachments_file f join ticket t on t.id = f.ticket_id and t.tenant_id = f.tenant_id
      where t.status_category = 'closed' and t.closed_at < now() - make_interval(days => ?) order by f.created_at`,
    [days],
    onDeleted,
  );
}

/**
 * Blobs no file refers to (a ticket deleted with cascade, a removal whose byte delete failed):
 * bytes first, then the row, under the row lock — a concurrent upload of the same content waits
 * and then stores it afresh. A blob whose bytes cannot be removed keeps its row for the next run.
 */
export async function sweepOrphanBlobs(scope: Scope, store: BlobStore, batchSize: number, logger?: Logger): Promise<{ removed: Map<string, number>; failures: number }> {
  const removed = new Map<string, number>();
  let failures = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const { done, failed } = await scope.transactional(async (tx) => {
      const blobs = await sql<{ tenant_id: string; sha256: string; storage_key: string }>(
        tx.em,
        'select tenant_id, sha256, storage_key from attachments_blob where ref_count = 0 order by created_at limit ? for update skip locked',
        [batchSize],
      );
      let failedHere = 0;
      for (const blob of blobs) {
        try {
          await deleteBlobBytes(store, blob.tenant_id, blob.sha256, blob.storage_key);
        } catch (error) {
          failedHere++;
          logger?.warn({ err: error, tenantId: blob.tenant_id, sha256: blob.sha256 }, 'attachments: could not remove orphaned bytes; will retry');
          continue;
        }
        await sql(tx.em, 'delete from attachments_blob where tenant_id = ? and sha256 = ? and ref_count = 0', [blob.tenant_id, blob.sha256]);
        removed.set(blob.tenant_id, (removed.get(blob.tenant_id) ?? 0) + 1);
      }
      return { done: blobs.length < batchSize || failedHere === blobs.length, failed: failedHere };
    });
    failures += failed;
    if (done) break;
  }
  return { removed, failures };
}

/** Writes one audit entry per tenant that lost something, with the counts. */
async function auditCounts(forTenant: ForTenant, action: string, counts: Record<string, Map<string, number>>): Promise<void> {
  const tenants = new Set(Object.values(counts).flatMap((m) => [...m.keys()]));
  for (const tenantId of tenants) {
    const data = Object.fromEntries(Object.entries(counts).map(([k, m]) => [k, m.get(tenantId) ?? 0]));
    await forTenant(tenantId, (s) => s.audit({ action, targetType: 'attachment', data }));
  }
}

const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

/** The hourly orphan sweep: unattached uploads, unreferenced blobs, stale staging. */
export async function runCleanup(scope: Scope, deps: CleanupDeps): Promise<CleanupCounts> {
  const { config, store } = deps;
  const unattached = await deleteUnattached(scope, config);
  const blobs = await sweepOrphanBlobs(scope, store, config.cleanup.batchSize, deps.logger);
  const staging = await store.sweepStaging(config.cleanup.stagingMinutes * 60_000);
  const extra: Record<string, number> = {};
  for (const sweep of deps.extraSweeps ?? []) Object.assign(extra, await sweep(scope));
  await auditCounts(deps.forTenant, 'attachment.cleanup', { unattached, blobs: blobs.removed });
  const counts = { unattached: total(unattached), retention: 0, blobs: total(blobs.removed), blobFailures: blobs.failures, staging, ...extra };
  deps.logger?.info(counts, 'attachments: clean-up done');
  return counts;
}

/** The daily retention run: attachments of long-closed tickets (and their OCR text in search), then the bytes they held. */
export async function runRetention(scope: Scope, deps: CleanupDeps): Promise<CleanupCounts> {
  const retention = await deleteRetained(scope, deps.config, async (tenantId, ids) => {
    await deps.forTenant(tenantId, async (s) => {
      const tickets = s.resolve<TicketsService>('tickets');
      for (const id of ids) await tickets.removeText(s, { source: 'attachment', sourceId: id });
    });
  });
  const blobs = await sweepOrphanBlobs(scope, deps.store, deps.config.cleanup.batchSize, deps.logger);
  await auditCounts(deps.forTenant, 'attachment.retention', { deleted: retention, blobs: blobs.removed });
  const counts = { unattached: 0, retention: total(retention), blobs: total(blobs.removed), blobFailures: blobs.failures, staging: 0 };
  deps.logger?.info(counts, 'attachments: retention done');
  return counts;
}
