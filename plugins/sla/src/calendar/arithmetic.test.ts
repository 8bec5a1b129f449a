import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { addBusinessMinutes, businessMinutesBetween, compileCalendar } from './index.ts';
import type { CalendarSpec } from './spec.ts';

type Hours = [string, string][];
const week = (weekday: Hours, saturday: Hours = [], sunday: Hours = []): CalendarSpec['hours'] => ({
  mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: saturday, sun: sunday,
});
const nights: Hours = [['00:00', '06:00'], ['22:00', '24:00']];

const calendars: Record<string, CalendarSpec> = {
  // Two intervals a day, Bavarian public holidays and one custom date.
  berlin: { timeZone: 'Europe/Berlin', hours: week([['09:00', '12:00'], ['13:00', '17:00']]), holidays: [{ date: '2025-03-05', name: 'Company day' }], country: 'DE', region: 'BY' },
  berlinNights: { timeZone: 'Europe/Berlin', hours: week(nights, nights, nights), holidays: [] },
  berlinOddSunday: { timeZone: 'Europe/Berlin', hours: week([], [], [['02:30', '04:00']]), holidays: [] },
  berlinAmbiguous: { timeZone: 'Europe/Berlin', hours: week([], [], [['02:30', '03:30']]), holidays: [] },
  newYork: { timeZone: 'America/New_York', hours: week([['09:00', '17:00']]), holidays: [], country: 'US' },
  newYorkNights: { timeZone: 'America/New_York', hours: week(nights, nights, nights), holidays: [] },
  newYork247: { timeZone: 'America/New_York', hours: week([['00:00', '24:00']], [['00:00', '24:00']], [['00:00', '24:00']]), holidays: [] },
  kolkata: { timeZone: 'Asia/Kolkata', hours: week([['09:30', '18:30']], [['10:00', '14:00']]), holidays: [{ date: '2025-08-15', name: 'Independence Day' }] },
};

/** [calendar, start (local, with zone), minutes, expected due (local, with offset)] */
const dueCases: [string, string, number, string][] = [
  // Inside hours, across lunch, landing on an interval's end (that instant, not the next opening).
  ['berlin', '2025-03-03T10:00', 60, '2025-03-03T11:00+01:00'],
  ['berlin', '2025-03-03T11:30', 60, '2025-03-03T13:30+01:00'],
  ['berlin', '2025-03-03T11:00', 60, '2025-03-03T12:00+01:00'],
  ['berlin', '2025-03-03T16:00', 60, '2025-03-03T17:00+01:00'],
  ['berlin', '2025-03-03T16:00', 61, '2025-03-04T09:01+01:00'],
  // Arrival at night, at lunch, on a weekend, on the custom holiday (Wed 5 March).
  ['berlin', '2025-03-03T22:00', 30, '2025-03-04T09:30+01:00'],
  ['berlin', '2025-03-03T12:15', 30, '2025-03-03T13:30+01:00'],
  ['berlin', '2025-03-08T10:00', 30, '2025-03-10T09:30+01:00'],
  ['berlin', '2025-03-04T16:30', 60, '2025-03-06T09:30+01:00'],
  // Friday evening before the spring-forward weekend; due Monday in CEST.
  ['berlin', '2025-03-28T16:30', 60, '2025-03-31T09:30+02:00'],
  // Good Friday and Easter Monday (DE), Epiphany (Bavaria only).
  ['berlin', '2025-04-17T16:30', 60, '2025-04-22T09:30+02:00'],
  ['berlin', '2025-01-03T16:30', 60, '2025-01-07T09:30+01:00'],
  // Nights across spring-forward (00:00–06:00 holds 5 real hours) and fall-back (7 hours).
  ['berlinNights', '2025-03-29T23:00', 60, '2025-03-30T00:00+01:00'],
  ['berlinNights', '2025-03-29T23:00', 60 + 300, '2025-03-30T06:00+02:00'],
  ['berlinNights', '2025-03-29T23:00', 60 + 301, '2025-03-30T22:01+02:00'],
  ['berlinNights', '2025-10-25T23:00', 60 + 420, '2025-10-26T06:00+01:00'],
  ['berlinNights', '2025-10-25T23:00', 60 + 150, '2025-10-26T02:30+02:00'],
  ['berlinNights', '2025-10-25T23:00', 60 + 210, '2025-10-26T02:30+01:00'],
  // 02:30 does not exist on 30 March: the interval opens at 03:30 CEST (compatible reading).
  ['berlinOddSunday', '2025-03-29T12:00', 30, '2025-03-30T04:00+02:00'],
  ['berlinOddSunday', '2025-03-29T12:00', 31, '2025-04-06T02:31+02:00'],
  // 02:30 happens twice on 26 October: the interval opens at the first, closes at 03:30 CET (2 h).
  ['berlinAmbiguous', '2025-10-25T12:00', 120, '2025-10-26T03:30+01:00'],
  ['berlinAmbiguous', '2025-10-25T12:00', 60, '2025-10-26T02:30+01:00'],
  // New York: weekend, Thanksgiving, spring-forward and fall-back nights.
  ['newYork', '2025-03-07T16:30', 60, '2025-03-10T09:30-04:00'],
  ['newYork', '2025-11-26T16:30', 60, '2025-11-28T09:30-05:00'],
  ['newYork', '2025-07-03T17:00', 1, '2025-07-07T09:01-04:00'],
  ['newYorkNights', '2025-03-08T22:00', 120 + 300, '2025-03-09T06:00-04:00'],
  ['newYorkNights', '2025-11-01T22:00', 120 + 420, '2025-11-02T06:00-05:00'],
  ['newYorkNights', '2025-11-01T22:00', 120 + 90, '2025-11-02T01:30-04:00'],
  ['newYorkNights', '2025-11-01T22:00', 120 + 150, '2025-11-02T01:30-05:00'],
  // 24×7 counts real minutes, so an hour after 01:30 on spring-forward day is 03:30 EDT.
  ['newYork247', '2025-03-09T01:30', 60, '2025-03-09T03:30-04:00'],
  ['newYork247', '2025-11-02T00:30', 120, '2025-11-02T01:30-05:00'],
  // Kolkata: no DST, half-hour offset, Saturday half day, a holiday, arrival before hours.
  ['kolkata', '2025-03-03T07:00', 30, '2025-03-03T10:00+05:30'],
  ['kolkata', '2025-03-07T18:00', 60, '2025-03-08T10:30+05:30'],
  ['kolkata', '2025-03-08T13:00', 120, '2025-03-10T10:30+05:30'],
  ['kolkata', '2025-08-14T18:00', 60, '2025-08-16T10:30+05:30'],
  ['kolkata', '2025-03-03T09:30', 540 * 5 + 240, '2025-03-08T14:00+05:30'],
];

const compiled = Object.fromEntries(Object.entries(calendars).map(([k, v]) => [k, compileCalendar(v)]));
const zdt = (cal: string, local: string) => Temporal.PlainDateTime.from(local).toZonedDateTime((calendars[cal] as CalendarSpec).timeZone);

describe('business calendar arithmetic (table)', () => {
  it.each(dueCases)('%s: %s + %i min → %s', (cal, start, minutes, expected) => {
    const c = compiled[cal]!;
    const due = addBusinessMinutes(c, zdt(cal, start), minutes);
    expect(due.toString({ timeZoneName: 'never', smallestUnit: 'minute' })).toBe(expected);
    expect(businessMinutesBetween(c, zdt(cal, start), due)).toBe(minutes);
  });

  const elapsedCases: [string, string, string, number][] = [
    ['berlin', '2025-03-03T08:00', '2025-03-03T18:00', 420],
    ['berlin', '2025-03-03T11:59', '2025-03-03T13:01', 2],
    ['berlin', '2025-03-03T10:00', '2025-03-10T10:00', 420 * 4],
    ['berlinNights', '2025-03-30T00:00', '2025-03-30T06:00', 300],
    ['berlinNights', '2025-10-26T00:00', '2025-10-26T06:00', 420],
    ['newYork', '2025-01-01T00:00', '2026-01-01T00:00', (261 - 11) * 480],
    ['kolkata', '2025-03-09T00:00', '2025-03-09T23:59', 0],
  ];
  it.each(elapsedCases)('%s: elapsed %s → %s = %i min', (cal, a, b, minutes) => {
    expect(businessMinutesBetween(compiled[cal]!, zdt(cal, a), zdt(cal, b))).toBe(minutes);
    expect(businessMinutesBetween(compiled[cal]!, zdt(cal, b), zdt(cal, a))).toBe(-minutes);
  });

  it('a zero target is due at once; sub-minute elapsed time is fractional', () => {
    const c = compiled.berlin!;
    expect(addBusinessMinutes(c, zdt('berlin', '2025-03-03T22:00'), 0).toString()).toBe(zdt('berlin', '2025-03-03T22:00').toString());
    expect(businessMinutesBetween(c, zdt('berlin', '2025-03-03T10:00'), zdt('berlin', '2025-03-03T10:00:30'))).toBe(0.5);
  });

  it('long targets skip whole weeks and still agree with the elapsed count', () => {
    const c = compiled.berlin!;
    const start = zdt('berlin', '2024-01-02T10:00');
    for (const n of [420 * 5, 420 * 50, 420 * 500 + 17]) expect(businessMinutesBetween(c, start, addBusinessMinutes(c, start, n))).toBe(n);
  });

  it('holidays from an iCal file: recurring all-day events, timed events ignored', () => {
    const ical = [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN',
      'BEGIN:VEVENT', 'UID:a', 'DTSTART;VALUE=DATE:20201224', 'DTEND;VALUE=DATE:20201227', 'RRULE:FREQ=YEARLY', 'SUMMARY:Winter break', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:b', 'DTSTART:20251222T100000Z', 'DTEND:20251222T110000Z', 'SUMMARY:Meeting', 'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const c = compileCalendar({ timeZone: 'Europe/Berlin', hours: week([['09:00', '17:00']]), holidays: [], ical });
    // Tue 23 Dec 2025 16:00 + 120 min: Wed–Fri 24–26 are the break; due Mon 29th 10:00.
    expect(addBusinessMinutes(c, zdt('berlin', '2025-12-23T16:00'), 120).toString({ timeZoneName: 'never' })).toBe('2025-12-29T10:00:00+01:00');
    expect(addBusinessMinutes(c, zdt('berlin', '2025-12-22T10:00'), 60).toString({ timeZoneName: 'never' })).toBe('2025-12-22T11:00:00+01:00');
  });
});
