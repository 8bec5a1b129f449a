import type { EntityManager } from '@mikro-orm/sql';
import { type TicketListField, TicketOpsError, type TicketRecord } from '@ticketops/plugin-sdk';
import { TICKET_COLUMNS, toTicketRecord } from '../record.ts';
import { type Statement, pgArray, sql } from '../sql.ts';
import { type MatchRates, estimatedRows, matchRates } from './estimate.ts';
import { type FilterContext, type TicketFilter, castOf, listField, ticketFilterSql } from './filters.ts';

export const SORTS = ['updated', 'created', 'number', 'priority', 'status', 'relevance'] as const;
/** A kernel sort, or a plugin list field's name (`sla.resolutionDue`). */
export type SortKey = (typeof SORTS)[number] | `${string}.${string}`;

/** Sort expressions; keyset pagination compares `(expr, id)` tuples, so every key is non-null. */
const SORT_SQL: Record<(typeof SORTS)[number], { expr: string; cast: string }> = {
  updated: { expr: 't.updated_at', cast: 'timestamptz' },
  created: { expr: 't.created_at', cast: 'timestamptz' },
  number: { expr: 't.number', cast: 'bigint' },
  // Positions stored on the ticket by trigger (migration 0012), so an index orders them.
  priority: { expr: 't.priority_rank', cast: 'integer' },
  status: { expr: 't.status_rank', cast: 'integer' },
  // As float8: a float4 rank read back from a cursor would not compare equal to itself.
  relevance: { expr: `ts_rank(t.search_vector, websearch_to_tsquery('english', ?))::float8`, cast: 'float8' },
};

/**
 * How to order by `sort`. A plugin list field joins its table: only tickets with a value are
 * listed (the join is what lets an index on the plugin's `(tenant_id, column)` drive the page).
 */
function sortSql(sort: SortKey, ctx: FilterContext): { expr: string; cast: string; join: string } {
  if (Object.hasOwn(SORT_SQL, sort)) return { ...SORT_SQL[sort as (typeof SORTS)[number]], join: '' };
  const field = listField(ctx, sort, '/query/sort');
  return {
    expr: `lf.${field.column}`,
    cast: castOf(field),
    join: ` join ${field.table} lf on lf.ticket_id = t.id and lf.tenant_id = t.tenant_id and lf.${field.column} is not null`,
  };
}

export interface ListRequest {
  filter: TicketFilter;
  sort: SortKey;
  descending: boolean;
  limit: number;
  /** Decoded cursor: the last row's sort value and id (and, for relevance, where the search looked). */
  after: ListCursor | null;
  /** How many recent tickets and comments a relevance search reads before the whole index (config `tickets.searchWindow`). */
  searchWindow?: SearchWindow;
  /** Plugin list fields whose values each listed ticket carries in `fields`. */
  include?: string[];
}

/** Decoded cursor: the last row's sort value and id; for relevance, also the search stage it came from. */
export interface ListCursor {
  /** Absent (relevance only): the page starts at the beginning of `stage`. */
  v?: string | number;
  id?: string;
  stage?: SearchStage;
  /** The first stage's share of the window this search planned (relevance only). */
  share?: number;
}

export interface ListedTicket extends TicketRecord {
  /** Highlighted excerpt for full-text matches; `<mark>` around hits, everything else HTML-escaped. */
  snippet?: string;
  matchedBy?: 'text' | 'similarity';
  /** Values of the plugin list fields the request asked for (`fields=`); null where the ticket has none. */
  fields?: Record<string, string | number | null>;
}

// Markers ts_headline puts around hits; the text is escaped in JS, then the markers become <mark>.
const START = '\u0002';
const STOP = '\u0003';
const HEADLINE = `StartSel=${START}, StopSel=${STOP}, MaxFragments=2, MaxWords=24, MinWords=8, FragmentDelimiter=" … "`;

export async function listTickets(em: EntityManager, ctx: FilterContext, request: ListRequest): Promise<{ items: ListedTicket[]; next: ListCursor | null }> {
  const q = request.filter.q?.trim();
  const sort = request.sort === 'relevance' && !q ? 'updated' : request.sort;
  const keyset = request.after?.v !== undefined && request.after.id !== undefined ? { v: request.after.v, id: request.after.id } : null;
  const result = q && sort === 'relevance'
    ? await searchByRelevance(em, ctx, request, q, keyset)
    : await runList(em, ctx, request, { sort, q, mode: 'text', limit: request.limit, keyset });
  // Typo tolerance: nothing matched the words as written, so look for titles that are similar.
  if (q && result.items.length === 0 && !request.after) {
    return runList(em, ctx, { ...request, filter: { ...request.filter, q: undefined } }, { sort: 'relevance', q, mode: 'similarity', limit: request.limit, keyset: null });
  }
  return result;
}

/**
 * Relevance ranking at scale. Ranking every match of a common word took seconds at a million
 * tickets, so a search looks in up to three places in turn, each ranked on its own: the most
 * recently updated tickets and most recent comments (the first share of the window), the rest of
 * the window (`tickets.searchWindow`), then the rest of the whole GIN index. A window is read in
 * index order, so its cost is flat however many tickets match. How large the first share is comes
 * from the planner's estimate of how often the words occur (`matchRates`): enough of the window to
 * expect two pages of matches; the whole window for rarer words; no window at all when even the
 * whole window would hold less than one match (then the GIN index answers at once). A page is
 * filled from the stages in order, but the whole-index stage — the costly one for rare combinations
 * of common words — never runs for a page that already holds matches: such a page may be shorter
 * than `limit` and its cursor starts the whole-index stage. The cursor carries the stage and the
 * share, so every match is listed exactly once across pages.
 */
const STAGES = ['near', 'recent', 'all'] as const;
export type SearchStage = (typeof STAGES)[number];
const DEFAULT_WINDOW: SearchWindow = { tickets: 5000, comments: 10000 };
/** The smallest first share: below it a page of common words would cost more in round trips than in rows. */
const MIN_SHARE = 0.05;

export interface SearchWindow {
  tickets: number;
  comments: number;
  /** A fixed first share of the window (0 skips the windows) instead of the estimate. */
  firstShare?: number;
}

/**
 * The first stage's share of the window (0: windows skipped; 1: the whole window at once) for
 * words matching `rates` of ticket and comment rows, on tables of `rows`, for pages of `limit`.
 */
export function planShare(rates: MatchRates, rows: { tickets: number; comments: number }, window: SearchWindow, limit: number): number {
  // A small desk: the window holds (nearly) every ticket already.
  if (rows.tickets <= window.tickets) return 1;
  const expected = window.tickets * rates.tickets + Math.min(window.comments, rows.comments) * rates.comments;
  if (expected < 1) return 0;
  return Math.min(1, Math.max(MIN_SHARE, (2 * limit) / expected));
}

async function firstShare(em: EntityManager, q: string, window: SearchWindow, limit: number): Promise<number> {
  if (window.firstShare !== undefined) return window.firstShare;
  const rows = await estimatedRows(em);
  // planShare says 1 for a small desk too; deciding it here spares the EXPLAIN round trips.
  if (rows.tickets <= window.tickets) return 1;
  return planShare(await matchRates(em, q), rows, window, limit);
}

async function searchByRelevance(em: EntityManager, ctx: FilterContext, request: ListRequest, q: string, start: Keyset | null): Promise<{ items: ListedTicket[]; next: ListCursor | null }> {
  const window = request.searchWindow ?? DEFAULT_WINDOW;
  const share = request.after?.share ?? (await firstShare(em, q, window, request.limit));
  // With the whole window in the first stage, nothing is left for the second.
  const stages = STAGES.filter((stage) => !(stage === 'recent' && share >= 1));
  const from = stages.indexOf(request.after?.stage ?? (share === 0 ? 'all' : 'near'));
  if (from < 0) throw new TicketOpsError('invalid_input', 'cursor is not valid', { details: [{ pointer: '/query/cursor', message: 'is not a cursor this API returned' }] });
  const items: ListedTicket[] = [];
  let keyset = start;
  // Every match of the stages before the current one, when this request listed them all from their
  // start (then the next stage leaves these ids out instead of searching those stages again).
  let listed: string[] | null = !start && (from === 0 || share === 0) ? [] : null;
  for (let i = from; i < stages.length; i++) {
    const stage = stages[i] as SearchStage;
    if (stage === 'all' && items.length > 0) return { items, next: { stage, share } };
    const page = await runList(em, ctx, request, { sort: 'relevance', q, mode: 'text', limit: request.limit - items.length, keyset, plan: { stage, share, window, exclude: listed } });
    items.push(...page.items);
    if (page.next) return { items, next: { ...page.next, stage, share } };
    const following = stages[i + 1];
    if (items.length >= request.limit && following) return { items, next: { stage: following, share } };
    keyset = null;
    listed = listed && [...listed, ...page.items.map((item) => item.id)];
  }
  return { items, next: null };
}

/** The ids a stage considers (the filters applied inside the window, so it holds N matching-filter tickets). */
function stageCandidates(filter: TicketFilter, ctx: FilterContext, q: string, stage: SearchStage, share: number, window: SearchWindow): { array: string; params: unknown[] } {
  // The inner `ticket t` shadows the outer alias, so the same filter SQL serves both levels.
  const base = ticketFilterSql({ ...filter, q: undefined }, ctx);
  const notes = (alias: string) => (ctx.searchNotes ? '' : ` and not ${alias}.internal`);
  const match = "websearch_to_tsquery('english', ?)";
  const size = (n: number) => Math.max(1, Math.trunc(stage === 'near' ? n * share : n));
  const tickets = stage === 'all'
    ? `select t.id from ticket t where ${base.where} and t.search_vector @@ ${match}`
    : `select w.id from (select t.id, t.search_vector from ticket t where ${base.where} order by t.updated_at desc limit ${size(window.tickets)}) w where w.search_vector @@ ${match}`;
  // Comments and plugin-indexed text (`ticket_text`) are read alike: newest rows of the window, or the whole index.
  const attached = (table: 'comment' | 'ticket_text') => stage === 'all'
    ? `select c.ticket_id from ${table} c where c.tenant_id = ? and c.search_vector @@ ${match}${notes('c')}`
    : `select w.ticket_id from (select c.ticket_id, c.search_vector, c.internal from ${table} c where c.tenant_id = ? order by c.id desc limit ${size(window.comments)}) w where w.search_vector @@ ${match}${notes('w')}`;
  // An array, looked up through the primary key: PostgreSQL overestimates how many tickets a text
  // query matches and would otherwise hash-join against a scan of the whole table.
  return {
    array: `array((${tickets}) union (${attached('comment')}) union (${attached('ticket_text')}))`,
    params: [...base.params, q, ctx.tenantId, q, ctx.tenantId, q],
  };
}

/** Where a relevance stage looks: its stage, the first share, and what earlier stages listed (null: search them again to leave them out). */
export interface StagePlan {
  stage: SearchStage;
  share: number;
  window: SearchWindow;
  exclude: string[] | null;
}

function relevanceWhere(filter: TicketFilter, ctx: FilterContext, q: string, { stage, share, window, exclude }: StagePlan): { where: string; params: unknown[] } {
  const base = ticketFilterSql({ ...filter, q: undefined }, ctx);
  const mine = stageCandidates(filter, ctx, q, stage, share, window);
  const where = [base.where, `t.id = any(${mine.array})`];
  const params = [...base.params, ...mine.params];
  // Stages nest (near ⊂ recent ⊂ all): each leaves out what the one before it covers.
  const previous = stage === 'all' ? (share === 0 ? null : share >= 1 ? 'near' : 'recent') : stage === 'recent' ? 'near' : null;
  if (previous && exclude === null) {
    const earlier = stageCandidates(filter, ctx, q, previous, share, window);
    where.push(`t.id <> all(${earlier.array})`);
    params.push(...earlier.params);
  } else if (previous && exclude?.length) {
    where.push('t.id <> all(?::text[])');
    params.push(pgArray(exclude));
  }
  return { where: where.join(' and '), params };
}

export interface Keyset {
  v: string | number;
  id: string;
}

export interface RunOptions {
  sort: SortKey;
  q: string | undefined;
  mode: 'text' | 'similarity';
  limit: number;
  keyset: Keyset | null;
  plan?: StagePlan;
}

async function runList(em: EntityManager, ctx: FilterContext, request: ListRequest, options: RunOptions): Promise<{ items: ListedTicket[]; next: Keyset | null }> {
  const { q, mode, limit } = options;
  const statement = listStatement(ctx, request, options);
  const rows = await sql(em, statement.text, statement.params);
  const page = rows.slice(0, limit);
  const items: ListedTicket[] = page.map((r) => {
    const item: ListedTicket = { ...toTicketRecord(r), ...(q ? { matchedBy: mode } : {}) };
    if (request.include?.length) item.fields = Object.fromEntries(request.include.map((name, i) => [name, fieldValue(listField(ctx, name, '/query/fields'), r[`lf_${i}`])]));
    if (typeof r.snippet === 'string' && r.snippet) item.snippet = escapeHtml(r.snippet).replaceAll(START, '<mark>').replaceAll(STOP, '</mark>');
    return item;
  });
  const last = page.at(-1);
  return { items, next: rows.length > limit && last ? { v: cursorValue(last.sort_value), id: last.id as string } : null };
}

/** The statement of one page (`limit + 1` rows, to tell whether more follow); exported for EXPLAIN in the benchmark. */
export function listStatement(ctx: FilterContext, request: ListRequest, { sort, q, mode, limit, keyset, plan }: RunOptions): Statement {
  const { where, params } = plan && q ? relevanceWhere(request.filter, ctx, q, plan) : ticketFilterSql(request.filter, ctx);
  const conditions = [where];
  const allParams: unknown[] = [...params];
  const by = sortSql(sort, ctx);
  let sortExpr = by.expr;
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
  if (keyset) {
    conditions.push(`(${sortExpr}, t.id) ${dir} (?::${by.cast}, ?)`);
    allParams.push(...sortParams, keyset.v, keyset.id);
  }
  const order = request.descending ? 'desc' : 'asc';
  // Asked-for plugin values: one primary-key lookup per listed row in the plugin's table.
  const included = (request.include ?? []).map((name, i) => {
    const field = listField(ctx, name, '/query/fields');
    return `, (select v.${field.column} from ${field.table} v where v.ticket_id = t.id and v.tenant_id = t.tenant_id) as lf_${i}`;
  });
  const select = `select ${TICKET_COLUMNS}${included.join('')}, ${sortExpr} as sort_value${q ? `, t.search_vector @@ websearch_to_tsquery('english', ?) as text_hit` : ''}
     from ticket t${by.join} where ${conditions.join(' and ')} order by sort_value ${order}, t.id ${order} limit ?`;
  const values = [...sortParams, ...(q ? [q] : []), ...allParams, limit + 1];
  if (!q) return { text: select, params: values };
  // With a query, the page's snippets come in the same round trip, computed for its rows only.
  const snippet = snippetSql(ctx, q);
  return { text: `select page.*, ${snippet.text} as snippet from (${select}) page order by page.sort_value ${order}, page.id ${order}`, params: [...snippet.params, ...values] };
}

/** A cursor as this API wrote it; anything else is a 400 naming `cursor`. */
export function parseListCursor(raw: string | null): ListCursor | null {
  if (raw === null) return null;
  try {
    const parsed = JSON.parse(raw);
    const keyset = (typeof parsed.v === 'string' || typeof parsed.v === 'number') && typeof parsed.id === 'string';
    const bare = parsed.v === undefined && parsed.id === undefined && parsed.stage !== undefined;
    const stageOk = parsed.stage === undefined || STAGES.includes(parsed.stage);
    const shareOk = parsed.share === undefined || (typeof parsed.share === 'number' && parsed.share >= 0 && parsed.share <= 1 && parsed.stage !== undefined);
    if ((keyset || bare) && stageOk && shareOk) {
      return { ...(keyset ? { v: parsed.v, id: parsed.id } : {}), ...(parsed.stage ? { stage: parsed.stage } : {}), ...(parsed.share !== undefined ? { share: parsed.share } : {}) };
    }
  } catch {}
  throw new TicketOpsError('invalid_input', 'cursor is not valid', { details: [{ pointer: '/query/cursor', message: 'is not a cursor this API returned' }] });
}

function fieldValue(field: TicketListField, value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  return field.type === 'number' ? Number(value) : new Date(value as string | Date).toISOString();
}

function cursorValue(value: unknown): string | number {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return value;
  return String(value);
}

/** A snippet of a listed row (`page`): from the ticket text, or the first matching comment the actor may read, or the title. */
function snippetSql(ctx: FilterContext, q: string): { text: string; params: unknown[] } {
  return {
    text: `coalesce(
        case when page.text_hit then ts_headline('english', page.title || ' — ' || page.description, websearch_to_tsquery('english', ?), ?) end,
        (select ts_headline('english', c.body, websearch_to_tsquery('english', ?), ?) from comment c
          where c.ticket_id = page.id and c.search_vector @@ websearch_to_tsquery('english', ?)${ctx.searchNotes ? '' : ' and not c.internal'} order by c.id limit 1),
        (select ts_headline('english', x.body, websearch_to_tsquery('english', ?), ?) from ticket_text x
          where x.ticket_id = page.id and x.search_vector @@ websearch_to_tsquery('english', ?)${ctx.searchNotes ? '' : ' and not x.internal'} order by x.id limit 1),
        ts_headline('english', page.title, plainto_tsquery('english', ?), ?)
      )`,
    params: [q, HEADLINE, q, HEADLINE, q, q, HEADLINE, q, q, HEADLINE],
  };
}

const escapeHtml = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

export function parseSort(raw: string | undefined, hasQuery: boolean, listFields?: ReadonlyMap<string, unknown>): { sort: SortKey; descending: boolean } {
  if (!raw) return hasQuery ? { sort: 'relevance', descending: true } : { sort: 'updated', descending: true };
  const descending = raw.startsWith('-');
  const key = raw.replace(/^[-+]/, '') as SortKey;
  if (!(SORTS as readonly string[]).includes(key) && !listFields?.has(key)) {
    const known = [...SORTS, ...(listFields?.keys() ?? [])].join(', ');
    throw new TicketOpsError('invalid_input', `sort must be one of ${known} (prefix - for descending)`, { details: [{ pointer: '/query/sort', message: 'is not a sortable field' }] });
  }
  return { sort: key, descending };
}
