import type { Scope, TicketRecord } from '@ticketops/plugin-sdk';
import { sql } from '../sql.ts';
import { getTicket } from '../ticket-service.ts';

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
  const rows = await sql<{ id: string; number: string | number; title: string; score: number }>(
    scope.em,
    `with q as (select nullif(replace(plainto_tsquery('english', ?)::text, '&', '|'), '')::tsquery as words)
     select t.id, t.number, t.title, round((similarity(t.title, ?) + coalesce(ts_rank(t.search_vector, q.words), 0))::numeric, 3)::float8 as score
       from ticket t, q
      where t.tenant_id = ? and t.deleted_at is null and t.id <> ? and t.status_category not in ('solved', 'closed') and t.merged_into_id is null
        and (t.requester_id = ? or t.organization_id = ?)
        and (t.title % ? or (q.words is not null and t.search_vector @@ q.words))
      order by score desc, t.id desc limit ?`,
    [text, ticket.title, scope.tenantId, ticket.id, ticket.requesterId, ticket.organizationId, ticket.title, limit],
  );
  const visible: SimilarTicket[] = [];
  for (const r of rows) {
    try {
      await getTicket(scope, scope.em, r.id);
      visible.push({ id: r.id, number: Number(r.number), title: r.title, score: Number(r.score) });
    } catch {}
  }
  return visible;
}
