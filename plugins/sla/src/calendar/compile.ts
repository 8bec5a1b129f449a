import { parseClock } from './days.ts';
import { HolidayIndex } from './holidays.ts';
import { type IcalHoliday, parseIcal } from './ical.ts';
import { type CalendarSpec, WEEKDAYS } from './spec.ts';
import { type ZoneOffsets, zoneOffsets } from './zone.ts';

/**
 * A calendar turned into numbers once, for the arithmetic's inner loop: per ISO weekday
 * (0 = Monday) the interval starts and ends in ms after local midnight, the business ms of each
 * weekday and of the whole week, the zone's offset table and the holiday index.
 */
export interface CompiledCalendar {
  readonly timeZone: string;
  readonly zone: ZoneOffsets;
  readonly starts: readonly Float64Array[];
  readonly ends: readonly Float64Array[];
  readonly weekMs: number;
  /** Every day 00:00–24:00 and no holidays: business time is elapsed time. */
  readonly alwaysOpen: boolean;
  readonly holidays: HolidayIndex;
}

/** Compiles a spec that `checkCalendarSpec` accepted. `ical` may be given pre-parsed. */
export function compileCalendar(spec: CalendarSpec, parsedIcal?: IcalHoliday[]): CompiledCalendar {
  const starts: Float64Array[] = [];
  const ends: Float64Array[] = [];
  let weekMs = 0;
  let fullDays = 0;
  for (const day of WEEKDAYS) {
    // Touching intervals (09–12, 12–17) are merged: one boundary fewer, same arithmetic.
    const merged: [number, number][] = [];
    for (const [from, to] of spec.hours[day] ?? []) {
      const s = (parseClock(from) as number) * 60_000;
      const e = (parseClock(to) as number) * 60_000;
      const last = merged[merged.length - 1];
      if (last && last[1] === s) last[1] = e;
      else merged.push([s, e]);
    }
    starts.push(Float64Array.from(merged.map((m) => m[0])));
    ends.push(Float64Array.from(merged.map((m) => m[1])));
    for (const [s, e] of merged) weekMs += e - s;
    if (merged.length === 1 && merged[0]?.[0] === 0 && merged[0][1] === 86_400_000) fullDays++;
  }
  const holidays = new HolidayIndex({
    dates: spec.holidays.map((h) => h.date),
    country: spec.country ?? null,
    region: spec.region ?? null,
    ical: parsedIcal ?? (spec.ical ? parseIcal(spec.ical) : []),
  });
  return {
    timeZone: spec.timeZone,
    zone: zoneOffsets(spec.timeZone),
    starts,
    ends,
    weekMs,
    alwaysOpen: fullDays === 7 && holidays.empty,
    holidays,
  };
}
