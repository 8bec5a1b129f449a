import { type RouteDefinition, type Scope, TicketOpsError, conflict, defineRoute, hasPermission, notFound, respond } from '@ticketops/plugin-sdk';
import { newId } from '../../kernel-data/ids.ts';
import { sql } from '../sql.ts';
import { getTicket } from '../ticket-service.ts';
import { ticketIdParams } from './schemas.ts';

const entryView = (r: Record<string, any>) => ({
  id: r.id, ticketId: r.ticket_id, userId: r.user_id, minutes: r.minutes, date: typeof r.work_date === 'string' ? r.work_date.slice(0, 10) : (r.work_date as Date).toISOString().slice(0, 10),
  activity: r.activity, billable: r.billable, note: r.note, createdAt: new Date(r.created_at).toISOString(),
});
const entryProps = {
  minutes: { type: 'integer', minimum: 1, maximum: 1440 }, date: { type: 'string', format: 'date' }, activity: { type: 'string', minLength: 1, maxLength: 50 },
  billable: { type: 'boolean' }, note: { type: 'string', maxLength: 2000 },
};
const today = () => new Date().toISOString().slice(0, 10);

async function addEntry(scope: Scope, em: Parameters<typeof sql>[0], ticketId: string, e: { minutes: number; date?: string; activity?: string; billable?: boolean; note?: string }) {
  const [row] = await sql(em, 'insert into time_entry (id, tenant_id, ticket_id, user_id, minutes, work_date, activity, billable, note) values (?, ?, ?, ?, ?, ?::date, ?, ?, ?) returning *', [
    newId('tim'), scope.tenantId, ticketId, scope.actor.userId, e.minutes, e.date ?? today(), e.activity ?? 'work', e.billable ?? false, e.note ?? '',
  ]);
  return entryView(row as Record<string, unknown>);
}

/** An agent changes their own entries; admins (`*`) anyone's. */
async function ownEntry(scope: Scope, id: string) {
  const [row] = await sql(scope.em, 'select * from time_entry where tenant_id = ? and id = ?', [scope.tenantId, id]);
  if (!row) throw notFound('Time entry');
  if (row.user_id !== scope.actor.userId && !scope.actor.permissions.has('*')) throw new TicketOpsError('forbidden', 'You can only change your own time entries');
  return row;
}

const GROUPS = { agent: 'e.user_id', ticket: 'e.ticket_id', organization: 't.organization_id', day: `to_char(e.work_date, 'YYYY-MM-DD')`, week: `to_char(e.work_date, 'IYYY-"W"IW')`, month: `to_char(e.work_date, 'YYYY-MM')` } as const;

export const timeRoutes = (): RouteDefinition[] => [
  defineRoute<{ id: string }, unknown, { minutes: number; date?: string; activity?: string; billable?: boolean; note?: string }>({
    method: 'post', path: '/tickets/:id/time-entries', summary: 'Log work time on a ticket', tags: ['time'], permission: 'time.write',
    schema: { params: ticketIdParams, body: { type: 'object', additionalProperties: false, required: ['minutes'], properties: entryProps } },
    async handler({ scope, params, body }) {
      await getTicket(scope, scope.em, params.id);
      return respond(201, await addEntry(scope, scope.em, params.id, body));
    },
  }),
  defineRoute<{ id: string }>({
    method: 'get', path: '/tickets/:id/time-entries', summary: 'Work logged on a ticket, with totals', tags: ['time'], permission: 'time.read', schema: { params: ticketIdParams },
    async handler({ scope, params }) {
      await getTicket(scope, scope.em, params.id);
      const rows = await sql(scope.em, 'select * from time_entry where tenant_id = ? and ticket_id = ? order by work_date, id', [scope.tenantId, params.id]);
      const items = rows.map(entryView);
      return { items, totalMinutes: items.reduce((n, e) => n + e.minutes, 0), billableMinutes: items.filter((e) => e.billable).reduce((n, e) => n + e.minutes, 0) };
    },
  }),
  defineRoute<{ id: string }, unknown, Record<string, unknown>>({
    method: 'patch', path: '/time-entries/:id', summary: 'Change a time entry', tags: ['time'], permission: 'time.write',
    schema: { params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^tim_[a-z0-9]+$' } } }, body: { type: 'object', additionalProperties: false, minProperties: 1, properties: entryProps } },
    async handler({ scope, params, body }) {
      const current = entryView(await ownEntry(scope, params.id));
      const next = { ...current, ...body } as ReturnType<typeof entryView>;
      await sql(scope.em, 'update time_entry set minutes = ?, work_date = ?::date, activity = ?, billable = ?, note = ? where id = ?', [next.minutes, next.date, next.activity, next.billable, next.note, params.id]);
      return next;
    },
  }),
  defineRoute<{ id: string }>({
    method: 'delete', path: '/time-entries/:id', summary: 'Delete a time entry (audited)', tags: ['time'], permission: 'time.write',
    schema: { params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^tim_[a-z0-9]+$' } } } },
    async handler({ scope, params }) {
      const row = await ownEntry(scope, params.id);
      await sql(scope.em, 'delete from time_entry where id = ?', [params.id]);
      await scope.audit({ action: 'time_entry.deleted', targetType: 'time_entry', targetId: params.id, data: { ticketId: row.ticket_id, minutes: row.minutes, userId: row.user_id } });
      return respond(204);
    },
  }),
  defineRoute<{ id: string }>({
    method: 'post', path: '/tickets/:id/timer/start', summary: 'Start my timer on a ticket (kept in the database, survives restarts)', tags: ['time'], permission: 'time.write', schema: { params: ticketIdParams },
    async handler({ scope, params }) {
      await getTicket(scope, scope.em, params.id);
      const started = await sql(scope.em, 'insert into time_timer (tenant_id, user_id, ticket_id) values (?, ?, ?) on conflict do nothing returning started_at', [scope.tenantId, scope.actor.userId, params.id]);
      if (!started.length) throw conflict('Your timer on this ticket is already running');
      return respond(201, { ticketId: params.id, startedAt: new Date(started[0]?.started_at).toISOString() });
    },
  }),
  defineRoute<{ id: string }, unknown, { activity?: string; billable?: boolean; note?: string }>({
    method: 'post', path: '/tickets/:id/timer/stop', summary: 'Stop my timer: logs the elapsed minutes (rounded up)', tags: ['time'], permission: 'time.write',
    schema: { params: ticketIdParams, body: { type: 'object', additionalProperties: false, properties: { activity: entryProps.activity, billable: entryProps.billable, note: entryProps.note } } },
    async handler({ scope, params, body }) {
      return scope.transactional(async (tx) => {
        const [timer] = await sql(tx.em, 'delete from time_timer where tenant_id = ? and user_id = ? and ticket_id = ? returning started_at, now() as stopped_at', [scope.tenantId, scope.actor.userId, params.id]);
        if (!timer) throw notFound('Running timer');
        const minutes = Math.min(1440, Math.max(1, Math.ceil((new Date(timer.stopped_at).getTime() - new Date(timer.started_at).getTime()) / 60_000)));
        return respond(201, await addEntry(scope, tx.em, params.id, { minutes, ...(body ?? {}) }));
      });
    },
  }),
  defineRoute({
    method: 'get', path: '/me/timers', summary: 'My running timers', tags: ['time'], permission: 'time.write',
    async handler({ scope }) {
      const rows = await sql(scope.em, 'select ticket_id, started_at from time_timer where tenant_id = ? and user_id = ? order by started_at', [scope.tenantId, scope.actor.userId]);
      return { items: rows.map((r) => ({ ticketId: r.ticket_id, startedAt: new Date(r.started_at).toISOString() })) };
    },
  }),
  defineRoute<unknown, { groupBy: keyof typeof GROUPS; from?: string; to?: string; billable?: boolean }>({
    method: 'get', path: '/time/report', summary: 'Minutes logged, grouped by agent, ticket, organization, day, week or month', tags: ['time'], permission: 'time.read',
    schema: {
      query: {
        type: 'object', additionalProperties: false, required: ['groupBy'],
        properties: { groupBy: { enum: Object.keys(GROUPS) }, from: { type: 'string', format: 'date' }, to: { type: 'string', format: 'date' }, billable: { type: 'boolean' } },
      },
    },
    async handler({ scope, query }) {
      if (!hasPermission(scope.actor, 'time.read')) throw new TicketOpsError('forbidden', 'Needs time.read');
      const where = ['e.tenant_id = ?'];
      const values: unknown[] = [scope.tenantId];
      const add = (clause: string, value: unknown) => {
        where.push(clause);
        values.push(value);
      };
      if (query.from) add('e.work_date >= ?::date', query.from);
      if (query.to) add('e.work_date <= ?::date', query.to);
      if (query.billable !== undefined) add('e.billable = ?', query.billable);
      const key = GROUPS[query.groupBy];
      const rows = await sql<{ key: string | null; minutes: number; billable: number; entries: number }>(
        scope.em,
        `select ${key} as key, sum(e.minutes)::int as minutes, coalesce(sum(e.minutes) filter (where e.billable), 0)::int as billable, count(*)::int as entries
           from time_entry e join ticket t on t.id = e.ticket_id where ${where.join(' and ')} group by 1 order by 1 nulls last`,
        values,
      );
      return { groupBy: query.groupBy, items: rows.map((r) => ({ key: r.key, minutes: r.minutes, billableMinutes: r.billable, entries: r.entries })) };
    },
  }),
];
