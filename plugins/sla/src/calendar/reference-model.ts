import { Temporal } from 'temporal-polyfill';
import { countryHolidayList } from './holidays.ts';
import { type CalendarSpec, WEEKDAYS } from './spec.ts';

/**
 * A slow, obviously-correct business-time model used to check the fast arithmetic: it walks
 * calendar days with Temporal and resolves every boundary with `toZonedDateTime(…, compatible)`.
 */
export function referenceIntervals(spec: CalendarSpec, date: Temporal.PlainDate): [number, number][] {
  const holidays = new Set(spec.holidays.map((h) => h.date));
  if (spec.country) for (const h of countryHolidayList(spec.country, spec.region, date.year)) holidays.add(h.date);
  if (holidays.has(date.toString())) return [];
  const day = WEEKDAYS[date.dayOfWeek - 1] as (typeof WEEKDAYS)[number];
  const at = (clock: string) => {
    const [h, m] = clock.split(':').map(Number) as [number, number];
    const d = h === 24 ? date.add({ days: 1 }) : date;
    return d.toPlainDateTime({ hour: h % 24, minute: m }).toZonedDateTime(spec.timeZone, { disambiguation: 'compatible' }).epochMilliseconds;
  };
  return (spec.hours[day] ?? []).map(([a, b]) => [at(a), at(b)] as [number, number]);
}

export function referenceDue(spec: CalendarSpec, startMs: number, minutes: number): number {
  if (minutes <= 0) return startMs;
  let remaining = minutes * 60_000;
  let date = Temporal.Instant.fromEpochMilliseconds(startMs).toZonedDateTimeISO(spec.timeZone).toPlainDate();
  for (let i = 0; i < 5000; i++, date = date.add({ days: 1 })) {
    for (const [a0, b] of referenceIntervals(spec, date)) {
      const a = Math.max(a0, startMs);
      if (b <= a) continue;
      if (remaining <= b - a) return a + remaining;
      remaining -= b - a;
    }
  }
  throw new Error('reference walked too far');
}

export function referenceElapsed(spec: CalendarSpec, startMs: number, endMs: number): number {
  let total = 0;
  let date = Temporal.Instant.fromEpochMilliseconds(startMs).toZonedDateTimeISO(spec.timeZone).toPlainDate();
  const last = Temporal.Instant.fromEpochMilliseconds(endMs).toZonedDateTimeISO(spec.timeZone).toPlainDate();
  for (; Temporal.PlainDate.compare(date, last) <= 0; date = date.add({ days: 1 })) {
    for (const [a, b] of referenceIntervals(spec, date)) total += Math.max(0, Math.min(b, endMs) - Math.max(a, startMs));
  }
  return total;
}
