import { Readable } from 'node:stream';
import { type RouteDefinition, type Scope, defineRoute, respondStream } from '@ticketops/plugin-sdk';
import { PERMISSIONS } from '../permissions.ts';
import { toCsv } from '../reports/csv.ts';
import { type GroupBy, type Period, breaches, compliance, rangeOf, statistics } from '../reports/queries.ts';

const common = {
  from: { type: 'string', description: 'ISO-8601 date or instant (inclusive); default 30 days ago' },
  to: { type: 'string', description: 'ISO-8601 date or instant (exclusive); default now' },
  timeZone: { type: 'string', maxLength: 64, description: 'Zone in which periods are cut (groupBy=period); default UTC' },
  format: { type: 'string', enum: ['json', 'csv'], description: 'csv = text/csv download (also with Accept: text/csv)' },
};
const grouping = {
  groupBy: { type: 'string', enum: ['policy', 'priority', 'group', 'agent', 'period'] },
  period: { type: 'string', enum: ['day', 'week', 'month'], default: 'day' },
};

type Common = { from?: string; to?: string; timeZone?: string; format?: 'json' | 'csv' };

function wantsCsv(query: Common, headers: Record<string, string | string[] | undefined>): boolean {
  if (query.format) return query.format === 'csv';
  const accept = [headers.accept ?? ''].flat().join(',');
  return /\btext\/csv\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept.split('text/csv')[0] ?? '');
}

/** A CSV download, recorded in the kernel audit log (who exported what, with which parameters, how many rows). */
async function csvResponse(scope: Scope, report: string, params: Record<string, unknown>, header: string[], rows: unknown[][], extraHeaders: Record<string, string> = {}) {
  await scope.audit({ action: 'sla.report.exported', targetType: 'sla_report', targetId: report, data: { format: 'csv', params, rows: rows.length } });
  const day = new Date().toISOString().slice(0, 10);
  return respondStream(200, Readable.from([toCsv(header, rows)]), {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="sla-${report}-${day}.csv"`,
    ...extraHeaders,
  });
}

export const reportRoutes = (): RouteDefinition[] => [
  defineRoute<unknown, Common & { groupBy: GroupBy; period: Period }>({
    method: 'get',
    path: '/reports/compliance',
    summary: 'SLA compliance: met and breached metric cycles (counts and percentages) per policy, priority, group, agent or period',
    permission: PERMISSIONS.reportsRead,
    schema: { query: { type: 'object', additionalProperties: false, required: ['groupBy'], properties: { ...common, ...grouping } } },
    async handler({ scope, query, headers }) {
      const range = rangeOf(query);
      const rows = await compliance(scope.em, scope.tenantId, range, query.groupBy, query.period ?? 'day');
      if (wantsCsv(query, headers)) {
        return csvResponse(scope, 'compliance', { ...range, groupBy: query.groupBy, period: query.period }, ['key', 'label', 'metric', 'total', 'met', 'breached', 'metPercent', 'breachedPercent'],
          rows.map((r) => [r.key, r.label, r.metric, r.total, r.met, r.breached, r.metPercent, r.breachedPercent]));
      }
      // One item per group, its metrics side by side.
      const groups = new Map<string, { key: string | null; label: string | null; metrics: Record<string, object> }>();
      for (const r of rows) {
        const id = String(r.key);
        if (!groups.has(id)) groups.set(id, { key: r.key, label: r.label, metrics: {} });
        groups.get(id)!.metrics[r.metric] = { total: r.total, met: r.met, breached: r.breached, metPercent: r.metPercent, breachedPercent: r.breachedPercent };
      }
      return { groupBy: query.groupBy, period: query.groupBy === 'period' ? (query.period ?? 'day') : undefined, ...range, items: [...groups.values()] };
    },
  }),
  defineRoute<unknown, Common & { groupBy?: GroupBy; period: Period }>({
    method: 'get',
    path: '/reports/statistics',
    summary: 'Response and resolution times in business minutes (average, p50, p90, p95) of the metric cycles fulfilled in the range',
    permission: PERMISSIONS.reportsRead,
    schema: { query: { type: 'object', additionalProperties: false, properties: { ...common, ...grouping } } },
    async handler({ scope, query, headers }) {
      const range = rangeOf(query);
      const rows = await statistics(scope.em, scope.tenantId, range, query.groupBy, query.period ?? 'day');
      if (wantsCsv(query, headers)) {
        return csvResponse(scope, 'statistics', { ...range, groupBy: query.groupBy ?? null, period: query.period }, ['key', 'label', 'metric', 'count', 'averageMinutes', 'p50Minutes', 'p90Minutes', 'p95Minutes'],
          rows.map((r) => [r.key, r.label, r.metric, r.count, r.average, r.p50, r.p90, r.p95]));
      }
      return { groupBy: query.groupBy ?? null, unit: 'business minutes', ...range, items: rows };
    },
  }),
  defineRoute<unknown, Common & { metric?: string; policyId?: string; cursor?: string; limit?: number }>({
    method: 'get',
    path: '/reports/breaches',
    summary: 'Breached metric cycles, latest breach first (cursor-paginated)',
    permission: PERMISSIONS.reportsRead,
    schema: {
      query: {
        type: 'object',
        additionalProperties: false,
        properties: {
          ...common,
          metric: { type: 'string', enum: ['firstResponse', 'nextResponse', 'resolution'] },
          policyId: { type: 'string', maxLength: 100 },
          cursor: { type: 'string', maxLength: 500 },
          limit: { type: 'integer', minimum: 1, maximum: 50_000, description: 'default 50; above 500 only for CSV' },
        },
      },
    },
    async handler({ scope, query, headers }) {
      const range = rangeOf(query);
      const csv = wantsCsv(query, headers);
      const limit = Math.min(query.limit ?? (csv ? 10_000 : 50), csv ? 50_000 : 500);
      const page = await breaches(scope.em, scope.tenantId, range, { metric: query.metric, policyId: query.policyId, cursor: query.cursor, limit });
      if (csv) {
        const cols = ['ticketId', 'ticketNumber', 'title', 'metric', 'cycle', 'policyId', 'priority', 'groupId', 'assigneeId', 'state', 'targetMinutes', 'elapsedMinutes', 'startedAt', 'breachedAt', 'fulfilledAt'] as const;
        return csvResponse(scope, 'breaches', { ...range, metric: query.metric, policyId: query.policyId, limit }, [...cols], page.items.map((r) => cols.map((c) => r[c])),
          page.nextCursor ? { 'x-next-cursor': page.nextCursor } : {});
      }
      return { ...range, items: page.items, nextCursor: page.nextCursor };
    },
  }),
];
