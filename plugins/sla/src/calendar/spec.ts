import { parseClock, parseDate } from './days.ts';
import { isKnownCountry, isKnownRegion } from './holidays.ts';
import { parseIcal } from './ical.ts';
import { isValidTimeZone } from './zone.ts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A business calendar as stored and as the API takes it. */
export interface CalendarSpec {
  timeZone: string;
  /** Wall-clock intervals per weekday, `[["09:00","12:00"],["13:00","17:00"]]`; `24:00` ends a day. */
  hours: Record<Weekday, [string, string][]>;
  holidays: { date: string; name: string }[];
  country?: string | null;
  region?: string | null;
  /** iCalendar text; its all-day events are holidays. */
  ical?: string | null;
}

export interface SpecError {
  /** Path below the calendar object, e.g. `/hours/mon/1` (prefix with `/body`). */
  pointer: string;
  message: string;
}

/** Every rule JSON Schema cannot say: real zone, real dates, ordered and disjoint intervals, parsable iCal. */
export function checkCalendarSpec(spec: Partial<CalendarSpec>): SpecError[] {
  const errors: SpecError[] = [];
  if (spec.timeZone !== undefined && !isValidTimeZone(spec.timeZone)) {
    errors.push({ pointer: '/timeZone', message: `"${spec.timeZone}" is not a known IANA time zone` });
  }
  if (spec.hours !== undefined) {
    let total = 0;
    for (const day of WEEKDAYS) {
      const intervals = spec.hours[day] ?? [];
      let previousEnd = -1;
      intervals.forEach(([from, to], i) => {
        const start = parseClock(from);
        const end = parseClock(to);
        const at = `/hours/${day}/${i}`;
        if (start === null || start === 24 * 60) errors.push({ pointer: `${at}/0`, message: 'must be a time HH:MM from 00:00 to 23:59' });
        if (end === null) errors.push({ pointer: `${at}/1`, message: 'must be a time HH:MM from 00:01 to 24:00' });
        if (start === null || end === null) return;
        if (end <= start) {
          errors.push({ pointer: at, message: `ends (${to}) before or when it starts (${from})` });
          return;
        }
        if (start < previousEnd) errors.push({ pointer: at, message: `overlaps or precedes the interval before it (${day} intervals must be in order and disjoint)` });
        previousEnd = Math.max(previousEnd, end);
        total += end - start;
      });
    }
    if (total === 0 && errors.length === 0) errors.push({ pointer: '/hours', message: 'must have at least one business interval in the week' });
  }
  spec.holidays?.forEach((h, i) => {
    if (parseDate(h.date) === null) errors.push({ pointer: `/holidays/${i}/date`, message: `"${h.date}" is not a calendar date YYYY-MM-DD` });
  });
  if (spec.country) {
    if (!isKnownCountry(spec.country)) errors.push({ pointer: '/country', message: `"${spec.country}" is not a country known to date-holidays` });
    else if (spec.region && !isKnownRegion(spec.country, spec.region)) errors.push({ pointer: '/region', message: `"${spec.region}" is not a region of ${spec.country}` });
  } else if (spec.region) errors.push({ pointer: '/region', message: 'needs a country' });
  if (spec.ical) {
    try {
      parseIcal(spec.ical);
    } catch (error) {
      errors.push({ pointer: '/ical', message: `is not valid iCalendar: ${(error as Error).message}` });
    }
  }
  return errors;
}
