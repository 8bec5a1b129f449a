import ICAL from 'ical.js';
import { formatDate, parseDate } from './days.ts';

/** An all-day iCal event: its first day, length in days, and its recurrence (expanded per year). */
export interface IcalHoliday {
  name: string;
  /** First occurrence, `YYYY-MM-DD`. */
  start: string;
  days: number;
  /** The event, kept to expand its recurrence rule (RRULE, RDATE, EXDATE) lazily. */
  event: ICAL.Event | null;
}

/**
 * Reads the all-day events (`DTSTART;VALUE=DATE`) of an iCalendar text; timed events are not
 * holidays and are skipped. Throws with a readable message when the text is not iCalendar.
 */
export function parseIcal(text: string): IcalHoliday[] {
  const root = new ICAL.Component(ICAL.parse(text));
  if (root.name !== 'vcalendar') throw new Error('the text is not a VCALENDAR');
  const holidays: IcalHoliday[] = [];
  for (const component of root.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(component);
    if (!event.startDate?.isDate) continue;
    const start = event.startDate.toString();
    const first = parseDate(start);
    if (first === null) continue;
    const end = event.endDate?.isDate ? parseDate(event.endDate.toString()) : null;
    const days = end !== null && end > first ? Math.min(end - first, 366) : 1;
    holidays.push({ name: event.summary || 'Holiday', start, days, event: event.isRecurring() ? event : null });
  }
  return holidays;
}

/** The epoch days an iCal holiday covers within `[fromDay, toDay)`. */
export function icalDays(holiday: IcalHoliday, fromDay: number, toDay: number): number[] {
  const first = parseDate(holiday.start) as number;
  const out: number[] = [];
  const add = (start: number) => {
    for (let d = start; d < start + holiday.days; d++) if (d >= fromDay && d < toDay) out.push(d);
  };
  if (!holiday.event) {
    add(first);
    return out;
  }
  const iterator = holiday.event.iterator();
  // Occurrences come in order; stop after the window (bounded, in case a rule never reaches it).
  for (let i = 0; i < 100_000; i++) {
    const next = iterator.next();
    if (!next) break;
    const day = parseDate(next.toString().slice(0, 10));
    if (day === null) break;
    if (day >= toDay) break;
    if (day + holiday.days > fromDay) add(day);
  }
  return out;
}

export { formatDate };
