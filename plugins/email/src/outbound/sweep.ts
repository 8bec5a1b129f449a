import type { EntityManager } from '@mikro-orm/sql';
import type { Scope } from '@ticketops/plugin-sdk';
import { sql } from './db.ts';
import { OUTBOX_QUEUED } from './queue.ts';

type ForTenant = <R>(tenantId: string, work: (scope: Scope) => Promise<R>) => Promise<R>;

/** Longer than the job queue's largest retry delay (5 minutes) plus a send: such a row lost its job. */
const STALE = "interval '15 minutes'";

/**
 * Queues delivery again for outbox rows that have sat pending (or leased by a process that died)
 * longer than any retry would wait — their job was lost or dead-lettered. A second job for a row
 * that is still being handled does no harm: delivery claims the row atomically. Returns how many.
 */
export async function requeueStale(em: EntityManager, forTenant: ForTenant, limit = 500): Promise<number> {
  const rows = await sql<{ id: string; tenant_id: string }>(
    em,
    `select id, tenant_id from email_outbox
      where state in ('pending', 'sending') and updated_at < now() - ${STALE} and (locked_until is null or locked_until < now())
      order by updated_at limit ?`,
    [limit],
  );
  const byTenant = Map.groupBy(rows, (r) => r.tenant_id);
  for (const [tenantId, list] of byTenant) {
    await forTenant(tenantId, (scope) =>
      scope.transactional(async (tx) => {
        await sql(tx.em, `update email_outbox set updated_at = now() where tenant_id = ? and id = any(?::text[])`, [tenantId, `{${list.map((r) => r.id).join(',')}}`]);
        for (const r of list) await tx.emit(OUTBOX_QUEUED, { outboxId: r.id });
      }),
    );
  }
  return rows.length;
}
