import type { InferEntity } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { invalidInput, notFound } from '@ticketops/plugin-sdk';
import { SlaCalendar } from '../entities.ts';
import { type CompiledCalendar, compileCalendar } from './compile.ts';
import { type CalendarSpec, WEEKDAYS, checkCalendarSpec } from './spec.ts';

export type CalendarRow = InferEntity<typeof SlaCalendar>;

export interface CalendarInput extends Partial<CalendarSpec> {
  name?: string;
}

/** What the API answers for a calendar. */
export function calendarView(row: CalendarRow) {
  return {
    id: row.id,
    name: row.name,
    timeZone: row.timeZone,
    hours: row.hours,
    holidays: row.holidays,
    country: row.country ?? null,
    region: row.region ?? null,
    ical: row.ical ?? null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export const specOf = (row: CalendarRow): CalendarSpec => ({
  timeZone: row.timeZone, hours: row.hours, holidays: row.holidays, country: row.country, region: row.region, ical: row.ical,
});

/** Every weekday present (missing ones are closed), so stored calendars always have seven keys. */
export function normalizeHours(hours: Partial<CalendarSpec['hours']>): CalendarSpec['hours'] {
  return Object.fromEntries(WEEKDAYS.map((d) => [d, hours[d] ?? []])) as CalendarSpec['hours'];
}

/** Throws a 400 naming each bad field (`/body/hours/mon/1`), before anything is written. */
export function assertValidCalendar(input: CalendarInput): void {
  const errors = checkCalendarSpec(input);
  if (errors.length) throw invalidInput('The calendar is not valid', errors.map((e) => ({ pointer: `/body${e.pointer}`, message: e.message })));
}

export async function findCalendar(em: EntityManager, id: string): Promise<CalendarRow> {
  const row = await em.findOne(SlaCalendar, { id });
  if (!row) throw notFound('Calendar');
  return row;
}

const compiled = new Map<string, { version: number; calendar: CompiledCalendar }>();

/** The compiled form of a stored calendar, kept per process until the row's version changes. */
export function compiledCalendar(row: CalendarRow): CompiledCalendar {
  const hit = compiled.get(row.id);
  if (hit && hit.version === row.version) return hit.calendar;
  const calendar = compileCalendar(specOf(row));
  if (compiled.size > 5_000) compiled.clear();
  compiled.set(row.id, { version: row.version, calendar });
  return calendar;
}
