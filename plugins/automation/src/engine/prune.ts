import type { Scope } from '@ticketops/plugin-sdk';
import { sql } from '../sql.ts';

/**
 * Drops execution-log runs and processed-event rows older than the retention, every tenant at once
 * (raw SQL, no tenant filter: a maintenance job), in bounded batches so no statement runs long.
 */
export async function pruneLog(scope: Scope, days: number, batch = 10_000): Promise<number> {
  let removed = 0;
  for (const table of ['automation_run', 'automation_event'] as const) {
    const key = table === 'automation_run' ? 'id' : 'event_id';
    for (;;) {
      const rows = await sql(scope.em, `delete from ${table} where ${key} in (select ${key} from ${table} where created_at < now() - make_interval(days => ?) limit ?) returning 1`, [days, batch]);
      removed += rows.length;
      if (rows.length < batch) break;
    }
  }
  return removed;
}
