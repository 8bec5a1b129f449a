import { type RouteDefinition, defineRoute } from '@ticketops/plugin-sdk';
import { runView } from '../engine/runs.ts';
import { PERMISSIONS } from '../permissions.ts';
import { sql } from '../sql.ts';

interface RunsQuery {
  ruleId?: string;
  ticketId?: string;
  outcome?: string;
  limit?: number;
  before?: string;
}

export const runRoutes = (): RouteDefinition[] => [
  defineRoute<unknown, RunsQuery>({
    method: 'get',
    path: '/runs',
    summary: 'The execution log, newest first (filter by rule, ticket or outcome; `before` = the last id of the previous page)',
    permission: PERMISSIONS.runsRead,
    schema: {
      query: {
        type: 'object',
        additionalProperties: false,
        properties: {
          ruleId: { type: 'string', maxLength: 100 },
          ticketId: { type: 'string', maxLength: 100 },
          outcome: { type: 'string', enum: ['matched', 'no_match', 'error', 'timeout', 'memory', 'crashed', 'throttled', 'loop_stopped'] },
          limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
          before: { type: 'string', maxLength: 100 },
        },
      },
    },
    async handler({ scope, query }) {
      const where = ['tenant_id = ?'];
      const params: unknown[] = [scope.tenantId];
      for (const [key, column] of [['ruleId', 'rule_id'], ['ticketId', 'ticket_id'], ['outcome', 'outcome']] as const) {
        if (query[key] !== undefined) {
          where.push(`${column} = ?`);
          params.push(query[key]);
        }
      }
      // Run ids sort by creation time, so the id is the cursor.
      if (query.before) {
        where.push('id < ?');
        params.push(query.before);
      }
      const limit = query.limit ?? 50;
      const rows = await sql(scope.em, `select * from automation_run where ${where.join(' and ')} order by id desc limit ${limit + 1}`, params);
      const items = rows.slice(0, limit).map(runView);
      return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
    },
  }),
];
