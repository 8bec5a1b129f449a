import type { Actor, Scope } from '@ticketops/plugin-sdk';
import { permissionsOf } from '../../auth/authenticate.ts';
import { newId } from '../../kernel-data/ids.ts';
import type { Kernel } from '../../kernel/kernel.ts';
import { notify } from '../announce.ts';
import { sql } from '../sql.ts';
import { isDetails, normalizeTags, rememberTags } from '../tags.ts';
import { type BulkRequest, type BulkResult, applyToChunk, summarize } from './bulk.ts';

export const BULK_QUEUE = 'ticketops.bulk';
/** Tickets per transaction: big enough to spread the commit's WAL flush, small enough to hold locks briefly. */
export const BULK_CHUNK = 200;
/** Chunks applied at once: the database, not this process, is what a ticket update waits on. */
const CONCURRENT_CHUNKS = 4;

/** Records a background bulk job and enqueues it in the same transaction. */
export async function startBulkJob(kernel: Kernel, scope: Scope, request: BulkRequest, ids: string[]): Promise<string> {
  const id = newId('blk');
  await scope.transactional(async (tx) => {
    await sql(tx.em, `insert into bulk_job (id, tenant_id, actor_id, request, ticket_ids, total) values (?, ?, ?, ?::jsonb, ?::text[], ?)`, [
      id, scope.tenantId, scope.actor.userId, JSON.stringify(request), `{${ids.join(',')}}`, ids.length,
    ]);
    await kernel.events.enqueue(BULK_QUEUE, { jobId: id, tenantId: scope.tenantId }, tx.em);
  });
  return id;
}

/**
 * Runs a bulk job as the user who asked for it (so the same visibility and permission rules hold).
 * The tickets go in chunks, a few at once, each chunk one transaction that also records itself as
 * done; a job resumed after its node died applies only the chunks that never committed. Progress
 * goes to PostgreSQL and, as `bulk.progress` notices, to the requester's realtime stream.
 */
export async function runBulkJob(kernel: Kernel, data: { jobId: string; tenantId: string }): Promise<void> {
  const [job] = await kernel.db.query<{ id: string; actor_id: string | null; request: unknown; ticket_ids: string[] | string; done: number; total: number; done_chunks: number[] | string; state: string }>(
    'select id, actor_id, request, ticket_ids, done, total, done_chunks, state from bulk_job where id = ? and tenant_id = ?', [data.jobId, data.tenantId],
  );
  if (!job || job.state === 'completed') return;
  const request = (typeof job.request === 'string' ? JSON.parse(job.request) : job.request) as BulkRequest;
  const ids = pgTextArray(job.ticket_ids);
  const finished = new Set(pgTextArray(job.done_chunks).map(Number));
  const pending: number[] = [];
  for (let chunk = 0; chunk * BULK_CHUNK < ids.length; chunk++) if (!finished.has(chunk)) pending.push(chunk);
  const actor = await actorOf(kernel, data.tenantId, job.actor_id);
  const scope = kernel.createScope({ tenantId: data.tenantId, actor, requestId: `bulk:${job.id}` });
  const progress = (done: number, state: 'running' | 'completed' | 'failed') =>
    ({ kind: 'bulk.progress', tenantId: data.tenantId, jobId: job.id, actorId: job.actor_id, done, total: ids.length, state }) as const;
  await kernel.db.query(`update bulk_job set state = 'running', updated_at = now() where id = ?`, [job.id]);
  // New tags enter the tag catalogue once, up front: chunks adding them side by side would otherwise
  // wait on each other's uncommitted catalogue rows.
  const added = normalizeTags(request.addTags ?? []);
  if (!isDetails(added)) await rememberTags(scope.em, data.tenantId, added);
  try {
    const applyChunk = async (chunk: number) => {
      const chunkScope = kernel.createScope({ tenantId: data.tenantId, actor, requestId: `bulk:${job.id}` });
      await applyToChunk(chunkScope, kernel.hooks, ids.slice(chunk * BULK_CHUNK, (chunk + 1) * BULK_CHUNK), request, async (tx, results) => {
        const [row] = await sql<{ done: number }>(
          tx.em,
          'update bulk_job set done = done + ?, done_chunks = array_append(done_chunks, ?), results = results || ?::jsonb, updated_at = now() where id = ? returning done',
          [results.length, chunk, JSON.stringify(results), job.id],
        );
        await notify(tx.em, progress(row?.done ?? 0, 'running'));
      });
    };
    // A small pool: each runner takes the next pending chunk until none is left. After a failure no
    // runner starts another chunk, and the job is marked failed only once none is in flight, so a
    // retry never overlaps a chunk still being applied.
    let failure: unknown;
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_CHUNKS, pending.length) }, async () => {
      for (let chunk = pending.shift(); chunk !== undefined && failure === undefined; chunk = pending.shift()) {
        await applyChunk(chunk).catch((error: unknown) => {
          failure ??= error;
        });
      }
    }));
    if (failure !== undefined) throw failure;
    const [final] = await kernel.db.query<{ results: unknown }>(`update bulk_job set state = 'completed', updated_at = now() where id = ? returning results`, [job.id]);
    const results = (typeof final?.results === 'string' ? JSON.parse(final.results) : (final?.results ?? [])) as BulkResult[];
    await scope.audit({ action: 'tickets.bulk', targetType: 'bulk_job', targetId: job.id, data: { ...summarize(results), background: true } });
    await notify(scope.em, progress(ids.length, 'completed'));
  } catch (error) {
    const [row] = await kernel.db.query<{ done: number }>(`update bulk_job set state = 'failed', error = ?, updated_at = now() where id = ? returning done`, [(error as Error).message, job.id]);
    await notify(scope.em, progress(row?.done ?? 0, 'failed'));
    throw error;
  }
}

/** A text[] or int[] as the driver hands it over: an array, or PGlite's literal `{a,b}`. */
function pgTextArray(value: string[] | number[] | string): string[] {
  return Array.isArray(value) ? value.map(String) : value.slice(1, -1).split(',').filter(Boolean);
}

async function actorOf(kernel: Kernel, tenantId: string, userId: string | null): Promise<Actor> {
  const [user] = userId ? await kernel.db.query<{ role: string; active: boolean }>('select role, active from app_user where tenant_id = ? and id = ?', [tenantId, userId]) : [];
  if (!user?.active) throw new Error('The user who started this bulk job no longer exists or is deactivated');
  return { kind: 'user', userId, role: user.role, permissions: await permissionsOf(kernel, tenantId, user.role), via: 'token' };
}

export async function bulkJobStatus(scope: Scope, jobId: string) {
  const [job] = await sql(scope.em, 'select id, state, total, done, results, error, created_at, updated_at from bulk_job where tenant_id = ? and id = ? and (actor_id = ? or ?)', [
    scope.tenantId, jobId, scope.actor.userId, scope.actor.permissions.has('*'),
  ]);
  if (!job) return null;
  const results = (typeof job.results === 'string' ? JSON.parse(job.results) : job.results) as BulkResult[];
  return {
    jobId: job.id, state: job.state, total: job.total, done: job.done, error: job.error,
    summary: summarize(results), results: job.state === 'completed' || job.state === 'failed' ? results : undefined,
  };
}
