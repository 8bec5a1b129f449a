import type { Actor, Scope } from '@ticketops/plugin-sdk';
import { permissionsOf } from '../../auth/authenticate.ts';
import { newId } from '../../kernel-data/ids.ts';
import type { Kernel } from '../../kernel/kernel.ts';
import { notify } from '../announce.ts';
import { sql } from '../sql.ts';
import { type BulkRequest, type BulkResult, applyToTicket, summarize } from './bulk.ts';

export const BULK_QUEUE = 'ticketops.bulk';
const CHUNK = 50;

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
 * Runs a bulk job as the user who asked for it (so the same visibility and permission rules hold),
 * resuming after the last saved chunk if a node died mid-way; progress goes to PostgreSQL and, as
 * `bulk.progress` notices, to the requester's realtime stream.
 */
export async function runBulkJob(kernel: Kernel, data: { jobId: string; tenantId: string }): Promise<void> {
  const [job] = await kernel.db.query<{ id: string; actor_id: string | null; request: unknown; ticket_ids: string[] | string; done: number; total: number; results: unknown; state: string }>(
    'select * from bulk_job where id = ? and tenant_id = ?', [data.jobId, data.tenantId],
  );
  if (!job || job.state === 'completed') return;
  const parse = <T>(v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as T;
  const request = parse<BulkRequest>(job.request);
  const ids = Array.isArray(job.ticket_ids) ? job.ticket_ids : job.ticket_ids.slice(1, -1).split(',').filter(Boolean);
  const results = parse<BulkResult[]>(job.results);
  const actor = await actorOf(kernel, data.tenantId, job.actor_id);
  const scope = kernel.createScope({ tenantId: data.tenantId, actor, requestId: `bulk:${job.id}` });
  await kernel.db.query(`update bulk_job set state = 'running', updated_at = now() where id = ?`, [job.id]);
  try {
    for (let i = job.done; i < ids.length; i += CHUNK) {
      for (const id of ids.slice(i, i + CHUNK)) results.push(await applyToTicket(kernel.createScope({ tenantId: data.tenantId, actor, requestId: `bulk:${job.id}` }), kernel.hooks, id, request));
      const done = Math.min(ids.length, i + CHUNK);
      await kernel.db.query('update bulk_job set done = ?, results = ?::jsonb, updated_at = now() where id = ?', [done, JSON.stringify(results), job.id]);
      await notify(scope.em, { kind: 'bulk.progress', tenantId: data.tenantId, jobId: job.id, actorId: job.actor_id, done, total: ids.length, state: 'running' });
    }
    await kernel.db.query(`update bulk_job set state = 'completed', updated_at = now() where id = ?`, [job.id]);
    await scope.audit({ action: 'tickets.bulk', targetType: 'bulk_job', targetId: job.id, data: { ...summarize(results), background: true } });
    await notify(scope.em, { kind: 'bulk.progress', tenantId: data.tenantId, jobId: job.id, actorId: job.actor_id, done: ids.length, total: ids.length, state: 'completed' });
  } catch (error) {
    await kernel.db.query(`update bulk_job set state = 'failed', error = ?, updated_at = now() where id = ?`, [(error as Error).message, job.id]);
    await notify(scope.em, { kind: 'bulk.progress', tenantId: data.tenantId, jobId: job.id, actorId: job.actor_id, done: results.length, total: ids.length, state: 'failed' });
    throw error;
  }
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
