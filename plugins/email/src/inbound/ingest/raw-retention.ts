import type { Db } from '../db.ts';

/** Rows per statement: each batch is its own short transaction. */
const BATCH = 500;

/**
 * Drops raw sources older than `days` — of ingested mail (the ticket change, details and full text
 * stay; a mail whose files are still due keeps its source for the recovery) and of mail kept aside.
 * Across tenants on purpose (a system job); batches under `skip locked`, so several processes can
 * run it at once. Returns how many sources were dropped.
 */
export async function dropOldRawSources(db: Db, days: number): Promise<number> {
  let dropped = 0;
  for (const table of ['email_inbound', 'email_quarantine'] as const) {
    const due = table === 'email_inbound' ? 'and attachments_due is null' : '';
    for (;;) {
      const rows = await db.query<{ id: string }>(
        `update ${table} set raw = null where id in (
           select id from ${table} where raw is not null ${due} and created_at < now() - make_interval(days => ?)
           order by created_at limit ${BATCH} for update skip locked
         ) returning id`,
        [days],
      );
      dropped += rows.length;
      if (rows.length < BATCH) break;
    }
  }
  return dropped;
}
