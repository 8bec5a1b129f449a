import type { EntityManager } from '@mikro-orm/sql';
import { sql } from '../db.ts';

/**
 * Counts one mail from `address` in the current hour, in PostgreSQL so every process shares the
 * count, and says whether it is within the limit. Old windows are pruned now and then.
 */
export async function withinRate(em: EntityManager, tenantId: string, address: string, perHour: number): Promise<{ ok: boolean; count: number }> {
  const rows = await sql<{ count: number }>(
    em,
    `insert into email_sender_rate (tenant_id, address, window_start, count) values (?, ?, date_trunc('hour', now()), 1)
     on conflict (tenant_id, address, window_start) do update set count = email_sender_rate.count + 1 returning count`,
    [tenantId, address.toLowerCase()],
  );
  if (Math.random() < 0.01) await sql(em, `delete from email_sender_rate where window_start < now() - interval '2 hours'`);
  const count = Number(rows[0]?.count ?? 1);
  return { ok: count <= perHour, count };
}
