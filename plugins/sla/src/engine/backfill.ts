import type { Scope } from '@ticketops/plugin-sdk';
import { replayHistory } from './history-replay.ts';
import { deriveAndStore, loadConfig, query, textArray } from './recompute.ts';

/**
 * Gives tickets that have no SLA facts (created before the plugin was enabled) facts rebuilt from
 * what the kernel kept: the state at creation and after each recorded change, replayed from the
 * ticket history (`history-replay.ts`), and public comments (agent or customer by the author's
 * role). Then derives them. Batches of
 * `batch` tickets, one short transaction each, all set-based. Warnings, breaches and escalation
 * levels that fell before the backfill are recorded as sent, but not emitted nor acted on.
 */
export async function backfill(scope: Scope, options: { batch?: number; now?: number } = {}): Promise<{ tickets: number; facts: number; batches: number; longestTxMs: number; seconds: number }> {
  const started = performance.now();
  const batch = options.batch ?? 500;
  const config = await loadConfig(scope.em);
  let after = '';
  let tickets = 0;
  let facts = 0;
  let batches = 0;
  let longestTxMs = 0;
  for (;;) {
    const ids = (await query<{ id: string }>(scope.em, 'select t.id from ticket t where t.tenant_id = ? and t.id > ? order by t.id limit ?', [scope.tenantId, after, batch])).map((r) => r.id);
    if (!ids.length) break;
    after = ids[ids.length - 1]!;
    const txStarted = performance.now();
    await scope.transactional(async (tx) => {
      const missing = await query<{ id: string }>(
        tx.em,
        `select t.id from ticket t where t.tenant_id = ? and t.id = any(?::text[]) and not exists (select 1 from sla_ticket_fact f where f.ticket_id = t.id) order by t.id for update of t`,
        [scope.tenantId, textArray(ids)],
      );
      if (!missing.length) return;
      const list = textArray(missing.map((r) => r.id));
      // Created and changed states replayed from the kernel's history; public comments as they are.
      const replayed = await replayHistory(tx.em, scope.tenantId, missing.map((r) => r.id));
      const inserted = await query<{ n: number }>(
        tx.em,
        `with ins as (
           insert into sla_ticket_fact (tenant_id, ticket_id, at, kind, ref, data)
           select tenant_id, ticket_id, at, kind, ref, data from (
             select ?::text as tenant_id, r.ticket_id, r.at, r.kind, null as ref, r.data, case when r.kind = 'created' then 0 else 2 end as ord, lpad(r.n::text, 10, '0') as cid
               from unnest(?::text[], ?::timestamptz[], ?::text[], ?::jsonb[], ?::int[]) as r(ticket_id, at, kind, data, n)
             union all
             select c.tenant_id, c.ticket_id, c.created_at, 'comment', c.id, jsonb_build_object('authorId', c.author_id, 'staff', coalesce(u.role in ('agent', 'admin'), false)), 1, c.id
               from comment c left join app_user u on u.id = c.author_id
              where c.tenant_id = ? and c.ticket_id = any(?::text[]) and not c.internal
           ) f order by ticket_id, at, ord, cid
           returning 1)
         select count(*)::int as n from ins`,
        [
          scope.tenantId, textArray(replayed.map((f) => f.ticketId)), textArray(replayed.map((f) => f.at)), textArray(replayed.map((f) => f.kind)),
          textArray(replayed.map((f) => JSON.stringify(f.data))), `{${replayed.map((_, i) => i).join(',')}}`, scope.tenantId, list,
        ],
      );
      facts += inserted[0]?.n ?? 0;
      await query(tx.em, `insert into sla_ticket (ticket_id, tenant_id) select id, ? from unnest(?::text[]) as id on conflict do nothing`, [scope.tenantId, list]);
      await query(tx.em, 'select 1 from sla_ticket where tenant_id = ? and ticket_id = any(?::text[]) for update', [scope.tenantId, list]);
      await deriveAndStore(tx, scope, missing.map((r) => r.id), { config, now: options.now, quiet: true });
      tickets += missing.length;
    });
    longestTxMs = Math.max(longestTxMs, performance.now() - txStarted);
    batches++;
  }
  return { tickets, facts, batches, longestTxMs, seconds: (performance.now() - started) / 1000 };
}
