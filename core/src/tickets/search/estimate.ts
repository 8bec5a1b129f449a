import type { EntityManager } from '@mikro-orm/sql';
import { sql } from '../sql.ts';

/** The share of ticket rows and of comment rows a text query matches, as PostgreSQL's statistics estimate it. */
export interface MatchRates {
  tickets: number;
  comments: number;
}

const TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 2000;
const rates = new Map<string, { value: MatchRates; at: number }>();
let tableRows: { tickets: number; comments: number; at: number } | null = null;

/**
 * How often a query's words occur, from the planner's row estimates (the lexeme statistics ANALYZE
 * keeps for tsvector columns: AND, OR, NOT and phrases included). It tells a search whether reading
 * the recent window is worth it (common words) or the GIN index answers at once (rare ones), and how
 * much of the window a page needs. Estimates change only with ANALYZE, so they are kept a few
 * minutes per process (a bounded map, oldest dropped first).
 */
export async function matchRates(em: EntityManager, q: string): Promise<MatchRates> {
  const cached = rates.get(q);
  if (cached && Date.now() - cached.at < TTL_MS) return cached.value;
  const rows = await estimatedRows(em);
  const value = { tickets: share(await plannedRows(em, 'ticket', q), rows.tickets), comments: share(await plannedRows(em, 'comment', q), rows.comments) };
  if (rates.size >= MAX_ENTRIES) rates.delete(rates.keys().next().value as string);
  rates.set(q, { value, at: Date.now() });
  return value;
}

/** Drops the kept estimates (after an ANALYZE that should count at once, e.g. in tests). */
export function forgetEstimates(): void {
  rates.clear();
  tableRows = null;
}

/** Table sizes as the planner knows them (pg_class.reltuples; -1 before the first ANALYZE). */
export async function estimatedRows(em: EntityManager): Promise<{ tickets: number; comments: number }> {
  if (tableRows && Date.now() - tableRows.at < TTL_MS) return tableRows;
  // The tables the queries use (resolved through the search path, as the queries resolve them).
  const [row] = await sql<{ tickets: number | null; comments: number | null }>(
    em,
    `select (select reltuples::float8 from pg_class where oid = to_regclass('ticket')) as tickets, (select reltuples::float8 from pg_class where oid = to_regclass('comment')) as comments`,
  );
  tableRows = { tickets: Math.max(0, Number(row?.tickets ?? 0)), comments: Math.max(0, Number(row?.comments ?? 0)), at: Date.now() };
  return tableRows;
}

/** The planner's row estimate for a text query on one table (its top node: a scan, or a Gather over parallel ones). */
async function plannedRows(em: EntityManager, table: 'ticket' | 'comment', q: string): Promise<number | undefined> {
  const [explained] = await sql<{ 'QUERY PLAN': unknown }>(em, `explain (format json) select 1 from ${table} x where x.search_vector @@ websearch_to_tsquery('english', ?)`, [q]);
  const plan = explained?.['QUERY PLAN'];
  const parsed = (typeof plan === 'string' ? JSON.parse(plan) : plan) as [{ Plan: { 'Plan Rows': number } }] | undefined;
  return parsed?.[0]?.Plan['Plan Rows'];
}

const share = (matched: number | undefined, total: number) => (total > 0 && matched !== undefined ? Math.min(1, matched / total) : 1);
