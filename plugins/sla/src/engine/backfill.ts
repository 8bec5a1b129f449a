import type { Scope } from '@ticketops/plugin-sdk';
import { deriveAndStore, loadConfig, query, textArray } from './recompute.ts';

const SNAPSHOT = (status: string, category: string) => `jsonb_build_object('status', ${status}, 'statusCategory', ${category}, 'priority', t.priority, 'type', t.type,
  'organizationId', t.organization_id, 'groupId', t.group_id, 'requesterId', t.requester_id, 'tags', to_jsonb(t.tags), 'customFields', t.custom_fields)`;

/**
 * Gives tickets that have no SLA facts (created before the plugin was enabled) facts rebuilt from
 * what the kernel kept: `created` at the ticket's creation with its current fields, public
 * comments (agent or customer by the author's role), and for a solved or closed ticket a
 * `created` state of "open" then an `updated` at its solved time. Then derives them. Batches of
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
      const inserted = await query<{ n: number }>(
        tx.em,
        `with ins as (
           insert into sla_ticket_fact (tenant_id, ticket_id, at, kind, ref, data)
           select tenant_id, ticket_id, at, kind, ref, data from (
             select t.tenant_id, t.id as ticket_id, t.created_at as at, 'created' as kind, null as ref, 0 as ord, t.id as cid,
                    case when t.status_category in ('solved', 'closed') then ${SNAPSHOT("'open'", "'open'")} else ${SNAPSHOT('t.status', 't.status_category')} end as data
               from ticket t where t.tenant_id = ? and t.id = any(?::text[])
             union all
             select c.tenant_id, c.ticket_id, c.created_at, 'comment', c.id, 1, c.id,
                    jsonb_build_object('authorId', c.author_id, 'staff', coalesce(u.role in ('agent', 'admin'), false))
               from comment c left join app_user u on u.id = c.author_id
              where c.tenant_id = ? and c.ticket_id = any(?::text[]) and not c.internal
             union all
             select t.tenant_id, t.id, greatest(coalesce(t.solved_at, t.closed_at, t.updated_at), t.created_at), 'updated', null, 2, t.id, ${SNAPSHOT('t.status', 't.status_category')}
               from ticket t where t.tenant_id = ? and t.id = any(?::text[]) and t.status_category in ('solved', 'closed')
           ) f order by ticket_id, at, ord, cid
           returning 1)
         select count(*)::int as n from ins`,
        [scope.tenantId, list, scope.tenantId, list, scope.tenantId, list],
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
