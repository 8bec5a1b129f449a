import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileCalendar, dueMs, elapsedMs } from './index.ts';
import { referenceDue, referenceElapsed } from './reference-model.ts';
import { type CalendarSpec, WEEKDAYS } from './spec.ts';

const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC'];
/** Instants near DST changes are where arithmetic goes wrong; half the starts are drawn there. */
const DST_DAYS = ['2025-03-09', '2025-03-30', '2025-10-05', '2025-10-26', '2025-11-02', '2026-03-29', '2025-04-06'].map((d) => Date.parse(`${d}T00:00:00Z`));
const HOUR = 3_600_000;

const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** A day's intervals: sorted distinct cut points in 15-minute steps, paired up; many fall between 00:45 and 03:45, where clocks change. */
const cut = fc.oneof(fc.integer({ min: 0, max: 96 }), fc.integer({ min: 3, max: 15 }));
const dayHours = fc.uniqueArray(cut, { maxLength: 6 }).map((cuts) => {
  const sorted = [...cuts].sort((a, b) => a - b);
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < sorted.length; i += 2) out.push([clock((sorted[i] as number) * 15), clock((sorted[i + 1] as number) * 15)]);
  return out;
});

const calendarSpec: fc.Arbitrary<CalendarSpec> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    days: fc.array(dayHours, { minLength: 7, maxLength: 7 }),
    holidays: fc.uniqueArray(fc.integer({ min: 0, max: 800 }), { maxLength: 12 }),
  })
  .filter((r) => r.days.some((d) => d.length > 0))
  .map((r) => ({
    timeZone: r.timeZone,
    hours: Object.fromEntries(WEEKDAYS.map((w, i) => [w, r.days[i] as [string, string][]])) as CalendarSpec['hours'],
    holidays: r.holidays.map((d) => ({ date: new Date(Date.parse('2024-12-01') + d * 86_400_000).toISOString().slice(0, 10), name: 'h' })),
  }));

const startMs = fc.oneof(
  fc.integer({ min: Date.parse('2024-12-01'), max: Date.parse('2026-06-01') }),
  fc.tuple(fc.constantFrom(...DST_DAYS), fc.integer({ min: -36 * HOUR, max: 36 * HOUR })).map(([d, o]) => d + o),
);

describe('business calendar arithmetic (properties)', () => {
  it('elapsed(start, due(start, n)) == n and due is monotonic in n', () => {
    fc.assert(
      fc.property(calendarSpec, startMs, fc.integer({ min: 0, max: 50_000 }), fc.integer({ min: 0, max: 50_000 }), (spec, start, n1, n2) => {
        const cal = compileCalendar(spec);
        const d1 = dueMs(cal, start, n1);
        const d2 = dueMs(cal, start, n2);
        expect(elapsedMs(cal, start, d1)).toBe(n1 * 60_000);
        expect(elapsedMs(cal, start, d2)).toBe(n2 * 60_000);
        if (n1 <= n2) expect(d1).toBeLessThanOrEqual(d2);
        else expect(d1).toBeGreaterThanOrEqual(d2);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with a slow day-by-day Temporal model, DST days included', () => {
    fc.assert(
      fc.property(calendarSpec, startMs, fc.integer({ min: 0, max: 6_000 }), fc.integer({ min: 0, max: 20 * 24 * 60 }), (spec, start, n, span) => {
        const cal = compileCalendar(spec);
        expect(dueMs(cal, start, n)).toBe(referenceDue(spec, start, n));
        const end = start + span * 60_000;
        expect(elapsedMs(cal, start, end)).toBe(referenceElapsed(spec, start, end));
      }),
      { numRuns: 500 },
    );
  });
});
