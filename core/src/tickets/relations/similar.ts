import type { Scope, TicketRecord } from '@ticketops/plugin-sdk';
import { type Statement, sql } from '../sql.ts';
import { type Audience, audienceCondition, audienceOf } from '../visibility.ts';

export interface SimilarTicket {
  id: string;
  number: number;
  title: string;
  score: number;
}

/** What a ticket is compared by (a new ticket's input will do: it need not be stored yet). */
export type SimilarSubject = Pick<TicketRecord, 'id' | 'title' | 'description' | 'requesterId' | 'organizationId'>;

/**
 * Open tickets from the same requester or organization that look like this one: trigram similarity
 * of titles plus full-text overlap (any word) of title and description. Suggestions only. Null when
 * the ticket has neither requester nor organization (nothing to compare with). Ticket creation runs
 * it inside its insert statement, so suggestions cost no extra round trip.
 */
export function similarStatement(tenantId: string, subject: SimilarSubject, audience: Audience, limit = 5): Statement | null {
  if (!subject.requesterId && !subject.organizationId) return null;
  const text = `${subject.title} ${subject.description}`.slice(0, 2000);
  // Visibility is part of the query (customers only ever compare against tickets they may see).
  const seen = audienceCondition(audience);
  // Only the requester's and organization's 20 most recently active open tickets are compared
  // (duplicates are opened close together), so the cost stays flat however many tickets they have.
  const candidates = (column: string) => `(select t.id, t.number, t.title, t.search_vector from ticket t
      where t.tenant_id = ? and t.${column} = ? and t.deleted_at is null and t.id <> ? and t.status_category not in ('solved', 'closed') and t.merged_into_id is null and ${seen.clause}
      order by t.updated_at desc limit 20)`;
  return {
    text: `with q as (select nullif(replace(plainto_tsquery('english', ?)::text, '&', '|'), '')::tsquery as words),
     recent as (${candidates('requester_id')} union ${candidates('organization_id')})
     select r.id, r.number, r.title, round((similarity(r.title, ?) + coalesce(ts_rank(r.search_vector, q.words), 0))::numeric, 3)::float8 as score
       from recent r, q
      where r.title % ? or (q.words is not null and r.search_vector @@ q.words)
      order by score desc, r.id desc limit ?`,
    params: [
      text, tenantId, subject.requesterId, subject.id, ...seen.params, tenantId, subject.organizationId, subject.id, ...seen.params,
      subject.title, subject.title, limit,
    ],
  };
}

export const toSimilarTicket = (r: { id: string; number: string | number; title: string; score: number | string }): SimilarTicket => ({
  id: r.id, number: Number(r.number), title: r.title, score: Number(r.score),
});

export async function similarTickets(scope: Scope, ticket: TicketRecord, limit = 5): Promise<SimilarTicket[]> {
  const statement = similarStatement(scope.tenantId, ticket, await audienceOf(scope.em, scope.tenantId, scope.actor), limit);
  if (!statement) return [];
  const rows = await sql<{ id: string; number: string | number; title: string; score: number }>(scope.em, statement.text, statement.params);
  return rows.map(toSimilarTicket);
}
