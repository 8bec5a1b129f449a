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
  const [explained] = await sql<{ 'QUERY PLAN': unknown }>(
    em,
    `explain (format json) select 1 from ticket t where t.search_vector @@ websearch_to_tsquery('english', ?)
      union all select 1 from comment c where c.search_vector @@ websearch_to_tsquery('english', ?)`,
    [q, q],
  );
  const plan = (typeof explained?.['QUERY PLAN'] === 'string' ? JSON.parse(explained['QUERY PLAN']) : explained?.['QUERY PLAN']) as [{ Plan: PlanNode }];
  const [ticketRows, commentRows] = (plan[0].Plan.Plans ?? []).map((p) => p['Plan Rows']);
  const value = { tickets: share(ticketRows, rows.tickets), comments: share(commentRows, rows.comments) };
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
  const rows = await sql<{ relname: string; n: number }>(em, `select relname, reltuples::float8 as n from pg_class where relname in ('ticket', 'comment') and relkind in ('r', 'p')`);
  const of = (name: string) => Math.max(0, Number(rows.find((r) => r.relname === name)?.n ?? 0));
  tableRows = { tickets: of('ticket'), comments: of('comment'), at: Date.now() };
  return tableRows;
}

interface PlanNode {
  'Plan Rows': number;
  Plans?: PlanNode[];
}

const share = (matched: number | undefined, total: number) => (total > 0 && matched !== undefined ? Math.min(1, matched / total) : 1);
