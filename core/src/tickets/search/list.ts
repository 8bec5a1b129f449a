import type { EntityManager } from '@mikro-orm/sql';
import { TicketOpsError, type TicketRecord } from '@ticketops/plugin-sdk';
import { TICKET_COLUMNS, toTicketRecord } from '../record.ts';
import { sql } from '../sql.ts';
import { type FilterContext, type TicketFilter, ticketFilterSql } from './filters.ts';

export const SORTS = ['updated', 'created', 'number', 'priority', 'status', 'relevance'] as const;
export type SortKey = (typeof SORTS)[number];

/** Sort expressions; keyset pagination compares `(expr, id)` tuples, so every key is non-null. */
const SORT_SQL: Record<SortKey, { expr: string; cast: string }> = {
  updated: { expr: 't.updated_at', cast: 'timestamptz' },
  created: { expr: 't.created_at', cast: 'timestamptz' },
  number: { expr: 't.number', cast: 'bigint' },
  // Positions stored on the ticket by trigger (migration 0012), so an index orders them.
  priority: { expr: 't.priority_rank', cast: 'integer' },
  status: { expr: 't.status_rank', cast: 'integer' },
  // As float8: a float4 rank read back from a cursor would not compare equal to itself.
  relevance: { expr: `ts_rank(t.search_vector, websearch_to_tsquery('english', ?))::float8`, cast: 'float8' },
};

export interface ListRequest {
  filter: TicketFilter;
  sort: SortKey;
  descending: boolean;
  limit: number;
  /** Decoded cursor: the last row's sort value and id (and, for relevance, where the search looked). */
  after: ListCursor | null;
  /** How many recent tickets and comments a relevance search reads before the whole index (config `tickets.searchWindow`). */
  searchWindow?: { tickets: number; comments: number };
}

export interface ListCursor {
  v: string | number;
  id: string;
  within?: SearchWithin;
}

export interface ListedTicket extends TicketRecord {
  /** Highlighted excerpt for full-text matches; `<mark>` around hits, everything else HTML-escaped. */
  snippet?: string;
  matchedBy?: 'text' | 'similarity';
}

// Markers ts_headline puts around hits; the text is escaped in JS, then the markers become <mark>.
const START = '\u0002';
const STOP = '\u0003';
const HEADLINE = `StartSel=${START}, StopSel=${STOP}, MaxFragments=2, MaxWords=24, MinWords=8, FragmentDelimiter=" … "`;

export async function listTickets(em: EntityManager, ctx: FilterContext, request: ListRequest): Promise<{ items: ListedTicket[]; next: ListCursor | null }> {
  const q = request.filter.q?.trim();
  const sort = request.sort === 'relevance' && !q ? 'updated' : request.sort;
  let result: { items: ListedTicket[]; next: ListCursor | null };
  if (q && sort === 'relevance') {
    const within = request.after?.within === 'all' ? 'all' : 'recent';
    result = await runList(em, ctx, request, sort, q, 'text', within);
    if (within === 'recent' && !request.after && result.items.length < request.limit) result = await runList(em, ctx, request, sort, q, 'text', 'all');
  } else {
    result = await runList(em, ctx, request, sort, q, 'text');
  }
  // Typo tolerance: nothing matched the words as written, so look for titles that are similar.
  if (q && result.items.length === 0 && !request.after) return runList(em, ctx, { ...request, filter: { ...request.filter, q: undefined } }, 'relevance', q, 'similarity');
  return result;
}

/**
 * Relevance ranking at scale. Ranking every match of a common word took seconds at a million
 * tickets, and PostgreSQL misjudges how rare a phrase is, so a search looks in two places in turn:
 * first the most recently updated tickets and the most recent comments (a window of fixed size read
 * in index order: the cost is flat however many tickets match), and only when that window holds
 * fewer matches than the page asks for, the whole GIN index (then the query is rare, so the matches
 * are few). The cursor remembers which of the two a page came from.
 */
export type SearchWithin = 'recent' | 'all';
const DEFAULT_WINDOW = { tickets: 5000, comments: 10000 };

function relevanceCandidates(filter: TicketFilter, ctx: FilterContext, q: string, within: SearchWithin, window = DEFAULT_WINDOW): { where: string; params: unknown[] } {
  // The inner `ticket t` shadows the outer alias, so the same filter SQL serves both levels.
  const base = ticketFilterSql({ ...filter, q: undefined }, ctx);
  const notes = (alias: string) => (ctx.searchNotes ? '' : ` and not ${alias}.internal`);
  const match = "websearch_to_tsquery('english', ?)";
  const tickets = within === 'recent'
    ? `select w.id from (select t.id, t.search_vector from ticket t where ${base.where} order by t.updated_at desc limit ${Math.trunc(window.tickets)}) w where w.search_vector @@ ${match}`
    : `select t.id from ticket t where ${base.where} and t.search_vector @@ ${match}`;
  const comments = within === 'recent'
    ? `select w.ticket_id from (select c.ticket_id, c.search_vector, c.internal from comment c where c.tenant_id = ? order by c.id desc limit ${Math.trunc(window.comments)}) w where w.search_vector @@ ${match}${notes('w')}`
    : `select c.ticket_id from comment c where c.tenant_id = ? and c.search_vector @@ ${match}${notes('c')}`;
  return {
    // An array, looked up through the primary key: PostgreSQL overestimates how many tickets a text
    // query matches and would otherwise hash-join against a scan of the whole table.
    where: `${base.where} and t.id = any(array((${tickets}) union (${comments})))`,
    params: [...base.params, ...base.params, q, ctx.tenantId, q],
  };
}

async function runList(em: EntityManager, ctx: FilterContext, request: ListRequest, sort: SortKey, q: string | undefined, mode: 'text' | 'similarity', within?: SearchWithin) {
  const { where, params } = mode === 'text' && sort === 'relevance' && q && within ? relevanceCandidates(request.filter, ctx, q, within, request.searchWindow) : ticketFilterSql(request.filter, ctx);
  const conditions = [where];
  const allParams: unknown[] = [...params];
  let sortExpr = SORT_SQL[sort].expr;
  const sortParams: unknown[] = [];
  if (mode === 'similarity') {
    conditions.push('? <% t.title');
    allParams.push(q);
    sortExpr = 'word_similarity(?, t.title)::float8';
    sortParams.push(q);
  } else if (sort === 'relevance') {
    sortParams.push(q);
  }
  const dir = request.descending ? '<' : '>';
  if (request.after) {
    conditions.push(`(${sortExpr}, t.id) ${dir} (?::${SORT_SQL[sort].cast}, ?)`);
    allParams.push(...sortParams, request.after.v, request.after.id);
  }
  const order = request.descending ? 'desc' : 'asc';
  const rows = await sql(
    em,
    `select ${TICKET_COLUMNS}, ${sortExpr} as sort_value from ticket t where ${conditions.join(' and ')} order by sort_value ${order}, t.id ${order} limit ?`,
    [...sortParams, ...allParams, request.limit + 1],
  );
  const page = rows.slice(0, request.limit);
  const items: ListedTicket[] = page.map((r) => ({ ...toTicketRecord(r), ...(q ? { matchedBy: mode } : {}) }));
  if (q && items.length) await addSnippets(em, ctx, items, q);
  const last = page.at(-1);
  const next = rows.length > request.limit && last ? { v: cursorValue(last.sort_value), id: last.id as string, ...(within ? { within } : {}) } : null;
  return { items, next };
}

function cursorValue(value: unknown): string | number {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return value;
  return String(value);
}

/** Snippets from the ticket text, or from the first matching comment the actor may read. */
async function addSnippets(em: EntityManager, ctx: FilterContext, items: ListedTicket[], q: string): Promise<void> {
  const rows = await sql<{ id: string; snippet: string | null }>(
    em,
    `select t.id, coalesce(
        case when t.search_vector @@ websearch_to_tsquery('english', ?) then ts_headline('english', t.title || ' — ' || t.description, websearch_to_tsquery('english', ?), ?) end,
        (select ts_headline('english', c.body, websearch_to_tsquery('english', ?), ?) from comment c
          where c.ticket_id = t.id and c.search_vector @@ websearch_to_tsquery('english', ?)${ctx.searchNotes ? '' : ' and not c.internal'} order by c.id limit 1),
        ts_headline('english', t.title, plainto_tsquery('english', ?), ?)
      ) as snippet
     from ticket t where t.tenant_id = ? and t.id = any(?::text[])`,
    [q, q, HEADLINE, q, HEADLINE, q, q, HEADLINE, ctx.tenantId, `{${items.map((i) => i.id).join(',')}}`],
  );
  const byId = new Map(rows.map((r) => [r.id, r.snippet]));
  for (const item of items) {
    const raw = byId.get(item.id);
    if (raw) item.snippet = escapeHtml(raw).replaceAll(START, '<mark>').replaceAll(STOP, '</mark>');
  }
}

const escapeHtml = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

export function parseSort(raw: string | undefined, hasQuery: boolean): { sort: SortKey; descending: boolean } {
  if (!raw) return hasQuery ? { sort: 'relevance', descending: true } : { sort: 'updated', descending: true };
  const descending = raw.startsWith('-');
  const key = raw.replace(/^[-+]/, '') as SortKey;
  if (!SORTS.includes(key)) {
    throw new TicketOpsError('invalid_input', `sort must be one of ${SORTS.join(', ')} (prefix - for descending)`, { details: [{ pointer: '/query/sort', message: 'is not a sortable field' }] });
  }
  return { sort: key, descending };
}
