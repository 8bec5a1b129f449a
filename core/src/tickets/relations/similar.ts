import type { Scope, TicketRecord } from '@ticketops/plugin-sdk';
import { sql } from '../sql.ts';
import { audienceCondition, audienceOf } from '../visibility.ts';

export interface SimilarTicket {
  id: string;
  number: number;
  title: string;
  score: number;
}

/**
 * Open tickets from the same requester or organization that look like this one: trigram similarity
 * of titles plus full-text overlap (any word) of title and description. Suggestions only.
 */
export async function similarTickets(scope: Scope, ticket: TicketRecord, limit = 5): Promise<SimilarTicket[]> {
  if (!ticket.requesterId && !ticket.organizationId) return [];
  const text = `${ticket.title} ${ticket.description}`.slice(0, 2000);
  // Visibility is part of the query (customers only ever compare against tickets they may see).
  const audience = audienceCondition(await audienceOf(scope.em, scope.tenantId, scope.actor));
  const rows = await sql<{ id: string; number: string | number; title: string; score: number }>(
    scope.em,
    // Only the requester's and organization's 20 most recently active open tickets are compared (duplicates are opened close together), so the
    // cost stays flat however many tickets a prolific requester has.
    `with q as (select nullif(replace(plainto_tsquery('english', ?)::text, '&', '|'), '')::tsquery as words),
     recent as (
       (select t.id, t.number, t.title, t.search_vector from ticket t
         where t.tenant_id = ? and t.requester_id = ? and t.deleted_at is null and t.id <> ? and t.status_category not in ('solved', 'closed') and t.merged_into_id is null and ${audience.clause}
         order by t.updated_at desc limit 20)
       union
       (select t.id, t.number, t.title, t.search_vector from ticket t
         where t.tenant_id = ? and t.organization_id = ? and t.deleted_at is null and t.id <> ? and t.status_category not in ('solved', 'closed') and t.merged_into_id is null and ${audience.clause}
         order by t.updated_at desc limit 20)
     )
     select r.id, r.number, r.title, round((similarity(r.title, ?) + coalesce(ts_rank(r.search_vector, q.words), 0))::numeric, 3)::float8 as score
       from recent r, q
      where r.title % ? or (q.words is not null and r.search_vector @@ q.words)
      order by score desc, r.id desc limit ?`,
    [text, scope.tenantId, ticket.requesterId, ticket.id, ...audience.params, scope.tenantId, ticket.organizationId, ticket.id, ...audience.params, ticket.title, ticket.title, limit],
  );
  return rows.map((r) => ({ id: r.id, number: Number(r.number), title: r.title, score: Number(r.score) }));
}
