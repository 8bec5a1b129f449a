import type { EntityManager } from '@mikro-orm/sql';
import { invalidInput } from '@ticketops/plugin-sdk';
import { query } from '../engine/recompute.ts';

export type GroupBy = 'policy' | 'priority' | 'group' | 'agent' | 'period';
export type Period = 'day' | 'week' | 'month';

export interface ReportRange {
  from: string;
  to: string;
  timeZone: string;
}

/** `from`/`to` (ISO instants or dates; default the last 30 days), and the time zone periods are cut in. */
export function rangeOf(q: { from?: string; to?: string; timeZone?: string }, now = Date.now()): ReportRange {
  const details = [];
  const parse = (v: string | undefined, key: string, fallback: number) => {
    if (v === undefined) return new Date(fallback).toISOString();
    const ms = Date.parse(v);
    if (Number.isNaN(ms)) details.push({ pointer: `/query/${key}`, message: 'is not an ISO-8601 date or instant' });
    return Number.isNaN(ms) ? '' : new Date(ms).toISOString();
  };
  const to = parse(q.to, 'to', now);
  const from = parse(q.from, 'from', now - 30 * 86_400_000);
  const timeZone = q.timeZone ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    details.push({ pointer: '/query/timeZone', message: 'is not an IANA time zone' });
  }
  if (!details.length && from > to) details.push({ pointer: '/query/from', message: 'is after to' });
  if (details.length) throw invalidInput('The report parameters are not valid', details);
  return { from, to, timeZone };
}

/** SQL for the group key and its label (c = sla_metric_cycle, t = ticket). */
function keyOf(groupBy: GroupBy | undefined, period: Period, params: unknown[], tz: string): { key: string; label: string; join: string } {
  switch (groupBy) {
    case 'policy':
      return { key: 'c.policy_id', label: 'max(p.name)', join: 'left join sla_policy p on p.id = c.policy_id' };
    case 'priority':
      return { key: 't.priority', label: 't.priority', join: '' };
    case 'group':
      return { key: 't.group_id', label: 'max(g.name)', join: 'left join agent_group g on g.id = t.group_id' };
    case 'agent':
      return { key: 't.assignee_id', label: 'max(u.name)', join: 'left join app_user u on u.id = t.assignee_id' };
    case 'period':
      params.push(period, tz);
      return { key: `to_char(date_trunc(?, coalesce(c.fulfilled_at, c.breached_at) at time zone ?), 'YYYY-MM-DD')`, label: 'null', join: '' };
    default:
      return { key: `'all'`, label: 'null', join: '' };
  }
}

const pct = (n: number, total: number) => (total ? Math.round((n / total) * 10_000) / 100 : null);

export interface ComplianceRow {
  key: string | null;
  label: string | null;
  metric: string;
  total: number;
  met: number;
  breached: number;
  metPercent: number | null;
  breachedPercent: number | null;
}

/**
 * Metric cycles with an outcome in [from, to): fulfilled (met unless it breached first) or still
 * running but breached. The outcome instant is the fulfilment, or the breach for an open breach.
 */
export async function compliance(em: EntityManager, tenantId: string, range: ReportRange, groupBy: GroupBy, period: Period): Promise<ComplianceRow[]> {
  const keyParams: unknown[] = [];
  const { key, label, join } = keyOf(groupBy, period, keyParams, range.timeZone);
  const rows = await query<{ key: string | null; label: string | null; metric: string; total: number; met: number; breached: number }>(
    em,
    `select ${key} as key, ${label} as label, c.metric, count(*)::int as total,
            count(*) filter (where c.breached_at is null)::int as met, count(*) filter (where c.breached_at is not null)::int as breached
       from sla_metric_cycle c join ticket t on t.id = c.ticket_id and t.tenant_id = c.tenant_id ${join}
      where c.tenant_id = ? and (c.fulfilled_at is not null or c.breached_at is not null)
        and coalesce(c.fulfilled_at, c.breached_at) >= ? and coalesce(c.fulfilled_at, c.breached_at) < ?
      group by 1, c.metric ${groupBy === 'priority' ? ', t.priority' : ''} order by 1 nulls last, c.metric`,
    [...keyParams, tenantId, range.from, range.to],
  );
  return rows.map((r) => ({ ...r, metPercent: pct(r.met, r.total), breachedPercent: pct(r.breached, r.total) }));
}

export interface StatisticsRow {
  key: string | null;
  label: string | null;
  metric: string;
  count: number;
  average: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
}

/** Business minutes from start to fulfilment of the cycles fulfilled in [from, to). */
export async function statistics(em: EntityManager, tenantId: string, range: ReportRange, groupBy: GroupBy | undefined, period: Period): Promise<StatisticsRow[]> {
  const keyParams: unknown[] = [];
  const { key, label, join } = keyOf(groupBy, period, keyParams, range.timeZone);
  const rows = await query<{ key: string | null; label: string | null; metric: string; count: number; average: number | null; p: number[] | string | null }>(
    em,
    `select ${key} as key, ${label} as label, c.metric, count(*)::int as count, avg(c.elapsed_minutes)::float8 as average,
            percentile_cont(array[0.5, 0.9, 0.95]) within group (order by c.elapsed_minutes) as p
       from sla_metric_cycle c join ticket t on t.id = c.ticket_id and t.tenant_id = c.tenant_id ${join}
      where c.tenant_id = ? and c.fulfilled_at is not null and c.fulfilled_at >= ? and c.fulfilled_at < ?
      group by 1, c.metric ${groupBy === 'priority' ? ', t.priority' : ''} order by 1 nulls last, c.metric`,
    [...keyParams, tenantId, range.from, range.to],
  );
  const round = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100);
  return rows.map((r) => {
    const p = typeof r.p === 'string' ? r.p.replace(/[{}]/g, '').split(',').map(Number) : (r.p ?? []);
    return { key: r.key, label: r.label, metric: r.metric, count: r.count, average: round(r.average), p50: round(p[0]), p90: round(p[1]), p95: round(p[2]) };
  });
}

export interface BreachRow {
  ticketId: string;
  ticketNumber: number | null;
  title: string;
  metric: string;
  cycle: number;
  policyId: string | null;
  priority: string;
  groupId: string | null;
  assigneeId: string | null;
  state: string;
  targetMinutes: number;
  elapsedMinutes: number;
  startedAt: string;
  breachedAt: string;
  fulfilledAt: string | null;
}

type Cursor = [string, string, string, number];
export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(raw: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString()) as Cursor;
    if (Array.isArray(c) && c.length === 4 && !Number.isNaN(Date.parse(c[0])) && typeof c[1] === 'string' && typeof c[2] === 'string' && Number.isInteger(c[3])) return c;
  } catch {}
  throw invalidInput('The cursor is not valid', [{ pointer: '/query/cursor', message: 'is not a cursor from this list' }]);
}

/** Breached metric cycles, latest breach first, keyset-paginated (the cursor is the last row's key). */
export async function breaches(em: EntityManager, tenantId: string, range: ReportRange, filter: { metric?: string; policyId?: string; cursor?: string; limit: number }): Promise<{ items: BreachRow[]; nextCursor: string | null }> {
  const where = ['c.tenant_id = ?', 'c.breached_at is not null', 'c.breached_at >= ?', 'c.breached_at < ?'];
  const params: unknown[] = [tenantId, range.from, range.to];
  if (filter.metric) {
    where.push('c.metric = ?');
    params.push(filter.metric);
  }
  if (filter.policyId) {
    where.push('c.policy_id = ?');
    params.push(filter.policyId);
  }
  if (filter.cursor) {
    const [at, ticketId, metric, cycle] = decodeCursor(filter.cursor);
    where.push('(c.breached_at, c.ticket_id, c.metric, c.cycle) < (?::timestamptz, ?, ?, ?)');
    params.push(at, ticketId, metric, cycle);
  }
  const rows = await query<Record<string, any>>(
    em,
    `select c.ticket_id, t.number, t.title, c.metric, c.cycle, c.policy_id, t.priority, t.group_id, t.assignee_id, c.state, c.target_minutes,
            c.elapsed_minutes, c.started_at, c.breached_at, c.fulfilled_at
       from sla_metric_cycle c join ticket t on t.id = c.ticket_id and t.tenant_id = c.tenant_id
      where ${where.join(' and ')}
      order by c.breached_at desc, c.ticket_id desc, c.metric desc, c.cycle desc limit ?`,
    [...params, filter.limit + 1],
  );
  const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
  const items: BreachRow[] = rows.slice(0, filter.limit).map((r) => ({
    ticketId: r.ticket_id, ticketNumber: r.number === null ? null : Number(r.number), title: r.title, metric: r.metric, cycle: r.cycle, policyId: r.policy_id,
    priority: r.priority, groupId: r.group_id, assigneeId: r.assignee_id, state: r.state, targetMinutes: r.target_minutes,
    elapsedMinutes: Math.round(Number(r.elapsed_minutes) * 100) / 100, startedAt: iso(r.started_at)!, breachedAt: iso(r.breached_at)!, fulfilledAt: iso(r.fulfilled_at),
  }));
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > filter.limit && last ? encodeCursor([last.breachedAt, last.ticketId, last.metric, last.cycle]) : null };
}
