import { type RouteDefinition, TicketOpsError, defineRoute, invalidInput, respond } from '@ticketops/plugin-sdk';
import { Temporal } from 'temporal-polyfill';
import { dueMs, elapsedMs } from '../calendar/arithmetic.ts';
import { compileCalendar } from '../calendar/compile.ts';
import { checkCalendarSpec } from '../calendar/spec.ts';
import { type CalendarInput, assertValidCalendar, calendarView, compiledCalendar, findCalendar, normalizeHours } from '../calendar/store.ts';
import { SlaCalendar, SlaPolicy } from '../entities.ts';
import { newId } from '../ids.ts';
import { PERMISSIONS } from '../permissions.ts';
import { uniqueName } from './problems.ts';
import { calendarProperties, calendarSchema, idParams } from './schemas.ts';

const instant = { type: 'string', format: 'date-time', description: 'ISO-8601 instant with an offset or Z' };
const toMs = (text: string) => Temporal.Instant.from(text).epochMilliseconds;
const iso = (ms: number) => new Date(ms).toISOString();

/** The change of one config object makes the engine re-derive every open ticket (see engine/recompute). */
export const CONFIG_CHANGED = 'sla.config.changed';

export const calendarRoutes = (): RouteDefinition[] => [
  defineRoute<unknown, unknown, CalendarInput & { name: string; timeZone: string }>({
    method: 'post',
    path: '/calendars',
    summary: 'Create a business calendar',
    permission: PERMISSIONS.calendarsWrite,
    schema: {
      body: { type: 'object', additionalProperties: false, required: ['name', 'timeZone', 'hours'], properties: { ...calendarProperties, holidays: { ...calendarProperties.holidays, default: [] } } },
      response: { 201: calendarSchema },
    },
    async handler({ scope, body }) {
      assertValidCalendar(body);
      return scope.transactional(async (tx) => {
        const row = tx.em.create(SlaCalendar, {
          id: newId('slc'), tenantId: scope.tenantId, name: body.name, timeZone: body.timeZone, hours: normalizeHours(body.hours ?? {}),
          holidays: body.holidays ?? [], country: body.country ?? null, region: body.region ?? null, ical: body.ical ?? null, version: 1,
        });
        await uniqueName(() => tx.em.flush(), 'calendar');
        await tx.audit({ action: 'sla.calendar.created', targetType: 'sla_calendar', targetId: row.id, data: { name: row.name } });
        return respond(201, calendarView(row), { location: `/api/v1/sla/calendars/${row.id}` });
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/calendars',
    summary: 'Business calendars of this tenant',
    permission: PERMISSIONS.calendarsRead,
    schema: { response: { 200: { type: 'object', properties: { items: { type: 'array', items: calendarSchema } } } } },
    async handler({ scope }) {
      const rows = await scope.em.find(SlaCalendar, {}, { orderBy: { name: 'asc' }, limit: 1000 });
      return { items: rows.map(calendarView) };
    },
  }),
  defineRoute<{ id: string }>({
    method: 'get',
    path: '/calendars/:id',
    summary: 'One business calendar',
    permission: PERMISSIONS.calendarsRead,
    schema: { params: idParams, response: { 200: calendarSchema } },
    async handler({ scope, params }) {
      return calendarView(await findCalendar(scope.em, params.id));
    },
  }),
  defineRoute<{ id: string }, unknown, CalendarInput>({
    method: 'patch',
    path: '/calendars/:id',
    summary: 'Change a calendar; open tickets using it are re-derived',
    permission: PERMISSIONS.calendarsWrite,
    schema: { params: idParams, body: { type: 'object', additionalProperties: false, minProperties: 1, properties: calendarProperties }, response: { 200: calendarSchema } },
    async handler({ scope, params, body }) {
      assertValidCalendar(body);
      return scope.transactional(async (tx) => {
        const row = await findCalendar(tx.em, params.id);
        if (body.name !== undefined) row.name = body.name;
        if (body.timeZone !== undefined) row.timeZone = body.timeZone;
        if (body.hours !== undefined) row.hours = normalizeHours(body.hours);
        if (body.holidays !== undefined) row.holidays = body.holidays;
        if (body.country !== undefined) row.country = body.country;
        if (body.region !== undefined) row.region = body.region;
        if (body.ical !== undefined) row.ical = body.ical;
        // A region alone is checked against the stored country.
        assertValidCalendar({ country: row.country, region: row.region });
        row.version += 1;
        await uniqueName(() => tx.em.flush(), 'calendar');
        await tx.audit({ action: 'sla.calendar.updated', targetType: 'sla_calendar', targetId: row.id, data: { fields: Object.keys(body) } });
        await tx.emit(CONFIG_CHANGED, { calendarId: row.id });
        return calendarView(row);
      });
    },
  }),
  defineRoute<{ id: string }>({
    method: 'delete',
    path: '/calendars/:id',
    summary: 'Delete a calendar no policy uses',
    permission: PERMISSIONS.calendarsWrite,
    schema: { params: idParams },
    async handler({ scope, params }) {
      return scope.transactional(async (tx) => {
        const row = await findCalendar(tx.em, params.id);
        const users = await tx.em.count(SlaPolicy, { calendarId: row.id });
        if (users > 0) throw new TicketOpsError('conflict', `The calendar is used by ${users} polic${users === 1 ? 'y' : 'ies'}; change them first`);
        tx.em.remove(row);
        await tx.em.flush();
        await tx.audit({ action: 'sla.calendar.deleted', targetType: 'sla_calendar', targetId: row.id, data: { name: row.name } });
        return respond(204);
      });
    },
  }),
  defineRoute<{ id: string }, unknown, { start: string; minutes: number }>({
    method: 'post',
    path: '/calendars/:id/due',
    summary: 'When N business minutes after an instant fall due in this calendar',
    permission: PERMISSIONS.calendarsRead,
    schema: {
      params: idParams,
      body: { type: 'object', additionalProperties: false, required: ['start', 'minutes'], properties: { start: instant, minutes: { type: 'integer', minimum: 0, maximum: 10_000_000 } } },
      response: { 200: { type: 'object', required: ['due'], properties: { due: instant, dueLocal: { type: 'string' } } } },
    },
    async handler({ scope, params, body }) {
      const row = await findCalendar(scope.em, params.id);
      const calendar = compiledCalendar(row);
      let due: number;
      try {
        due = dueMs(calendar, toMs(body.start), body.minutes);
      } catch (error) {
        if (error instanceof RangeError) throw invalidInput(error.message, [{ pointer: '/body/minutes', message: 'cannot be reached in this calendar' }]);
        throw error;
      }
      return { due: iso(due), dueLocal: Temporal.Instant.fromEpochMilliseconds(due).toZonedDateTimeISO(row.timeZone).toString() };
    },
  }),
  defineRoute<unknown, unknown, { calendar: CalendarInput & { timeZone: string }; start: string; minutes: number[] }>({
    method: 'post',
    path: '/calendars/preview-due',
    summary: 'Due times in a calendar that is not saved (the editor\'s live preview)',
    description: 'The same arithmetic as `/calendars/{id}/due`, for a calendar given in the body as it would be created; nothing is stored. Several targets at once: `minutes` is a list.',
    permission: PERMISSIONS.calendarsRead,
    schema: {
      body: {
        type: 'object', additionalProperties: false, required: ['calendar', 'start', 'minutes'],
        properties: {
          calendar: { type: 'object', additionalProperties: false, required: ['timeZone', 'hours'], properties: { ...calendarProperties, holidays: { ...calendarProperties.holidays, default: [] } } },
          start: instant,
          minutes: { type: 'array', minItems: 1, maxItems: 20, items: { type: 'integer', minimum: 0, maximum: 10_000_000 } },
        },
      },
      response: { 200: { type: 'object', required: ['due'], properties: { due: { type: 'array', items: instant } } } },
    },
    async handler({ body }) {
      const { name: _, ...spec } = body.calendar as CalendarInput & { timeZone: string; name?: string };
      const errors = checkCalendarSpec(spec);
      if (errors.length) throw invalidInput('The calendar is not valid', errors.map((e) => ({ pointer: `/body/calendar${e.pointer}`, message: e.message })));
      const calendar = compileCalendar({ ...spec, hours: normalizeHours(spec.hours ?? {}), holidays: spec.holidays ?? [], country: spec.country ?? null, region: spec.region ?? null, ical: spec.ical ?? null });
      const start = toMs(body.start);
      try {
        return { due: body.minutes.map((m) => iso(dueMs(calendar, start, m))) };
      } catch (error) {
        if (error instanceof RangeError) throw invalidInput(error.message, [{ pointer: '/body/minutes', message: 'cannot be reached in this calendar' }]);
        throw error;
      }
    },
  }),
  defineRoute<{ id: string }, unknown, { start: string; end: string }>({
    method: 'post',
    path: '/calendars/:id/elapsed',
    summary: 'Business minutes between two instants in this calendar',
    permission: PERMISSIONS.calendarsRead,
    schema: {
      params: idParams,
      body: { type: 'object', additionalProperties: false, required: ['start', 'end'], properties: { start: instant, end: instant } },
      response: { 200: { type: 'object', required: ['minutes'], properties: { minutes: { type: 'number' } } } },
    },
    async handler({ scope, params, body }) {
      const start = toMs(body.start);
      const end = toMs(body.end);
      if (end < start) throw invalidInput('end is before start', [{ pointer: '/body/end', message: 'must not be before start' }]);
      const row = await findCalendar(scope.em, params.id);
      return { minutes: elapsedMs(compiledCalendar(row), start, end) / 60_000 };
    },
  }),
];
