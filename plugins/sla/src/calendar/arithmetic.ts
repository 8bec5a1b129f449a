import { Temporal } from 'temporal-polyfill';
import { DAY_MS, MINUTE_MS, weekdayIndex } from './days.ts';
import type { CompiledCalendar } from './compile.ts';
import type { ZoneOffsets } from './zone.ts';

/** How far the arithmetic walks before giving up (a calendar whose every day is a holiday). */
const MAX_DAYS = 366 * 100;
/** How far ahead a run of same-offset days is looked for. */
const RUN_LOOKAHEAD_DAYS = 400;
const NOON_MS = 43_200_000;

/** The local calendar day (epoch days) of an instant in the zone. */
export function localDay(zone: ZoneOffsets, ms: number): number {
  return Math.floor((ms + zone.offsetAt(ms)) / DAY_MS);
}

/**
 * The run of local days from `day` that keep one UTC offset all day long — their interval
 * boundaries are `day * DAY + clock - off`, no look-up — or null when a transition touches `day`
 * (then each boundary goes through `wallToInstant`).
 */
function runAt(zone: ZoneOffsets, day: number): { off: number; end: number } | null {
  const limit = (day + RUN_LOOKAHEAD_DAYS) * DAY_MS;
  let tr = zone.nextTransition((day - 3) * DAY_MS, limit);
  while (tr && tr.lastDay < day) tr = zone.nextTransition(tr.at, limit);
  if (tr && tr.firstDay <= day) return null;
  const noon = day * DAY_MS + NOON_MS;
  return { off: noon - zone.wallToInstant(noon), end: tr ? tr.firstDay : day + RUN_LOOKAHEAD_DAYS };
}

/**
 * The instant (epoch ms) at which `minutes` business minutes have elapsed since `startMs`.
 * Counting is in real elapsed time inside the calendar's wall-clock intervals; a due time that
 * lands exactly on an interval's end is that end, not the next opening. `minutes <= 0` is `startMs`.
 */
export function dueMs(cal: CompiledCalendar, startMs: number, minutes: number): number {
  if (!(minutes > 0)) return startMs;
  let remaining = Math.round(minutes * MINUTE_MS);
  if (cal.alwaysOpen) return startMs + remaining;
  const { zone, holidays, starts, ends, weekMs } = cal;
  let day = localDay(zone, startMs);
  const lastDay = day + MAX_DAYS;
  while (day < lastDay) {
    const run = runAt(zone, day);
    if (run === null) {
      if (!holidays.isHoliday(day)) {
        const w = weekdayIndex(day);
        const s = starts[w] as Float64Array;
        const e = ends[w] as Float64Array;
        for (let i = 0; i < s.length; i++) {
          let a = zone.wallToInstant(day * DAY_MS + (s[i] as number));
          const b = zone.wallToInstant(day * DAY_MS + (e[i] as number));
          if (a < startMs) a = startMs;
          if (b > a) {
            if (remaining <= b - a) return a + remaining;
            remaining -= b - a;
          }
        }
      }
      day++;
      continue;
    }
    const { off, end } = run;
    while (day < end) {
      const base = day * DAY_MS - off;
      // Whole weeks with one offset and no holiday add exactly weekMs: skip them arithmetically,
      // keeping at least 1 ms so the landing instant is found by the interval walk below.
      if (remaining > weekMs && base >= startMs) {
        const special = Math.min(end, holidays.nextOnOrAfter(day));
        const weeks = Math.min(Math.floor((special - day) / 7), Math.floor((remaining - 1) / weekMs));
        if (weeks > 0) {
          remaining -= weeks * weekMs;
          day += weeks * 7;
          continue;
        }
      }
      if (!holidays.isHoliday(day)) {
        const w = weekdayIndex(day);
        const s = starts[w] as Float64Array;
        const e = ends[w] as Float64Array;
        for (let i = 0; i < s.length; i++) {
          let a = base + (s[i] as number);
          const b = base + (e[i] as number);
          if (a < startMs) a = startMs;
          if (b > a) {
            if (remaining <= b - a) return a + remaining;
            remaining -= b - a;
          }
        }
      }
      day++;
    }
  }
  throw new RangeError(`No business time within ${MAX_DAYS} days of ${new Date(startMs).toISOString()}`);
}

/** Business ms between two instants; negative when `endMs` is before `startMs`. */
export function elapsedMs(cal: CompiledCalendar, startMs: number, endMs: number): number {
  if (endMs < startMs) return -elapsedMs(cal, endMs, startMs);
  if (cal.alwaysOpen || endMs === startMs) return endMs - startMs;
  const { zone, holidays, starts, ends, weekMs } = cal;
  let day = localDay(zone, startMs);
  const endDay = localDay(zone, endMs);
  let total = 0;
  while (day <= endDay) {
    const run = runAt(zone, day);
    if (run === null) {
      if (!holidays.isHoliday(day)) {
        const w = weekdayIndex(day);
        const s = starts[w] as Float64Array;
        const e = ends[w] as Float64Array;
        for (let i = 0; i < s.length; i++) {
          const a = Math.max(startMs, zone.wallToInstant(day * DAY_MS + (s[i] as number)));
          const b = Math.min(endMs, zone.wallToInstant(day * DAY_MS + (e[i] as number)));
          if (b > a) total += b - a;
        }
      }
      day++;
      continue;
    }
    const { off, end } = run;
    const stop = Math.min(end, endDay + 1);
    while (day < stop) {
      const base = day * DAY_MS - off;
      if (base >= startMs) {
        // Whole clean weeks that end before the end's day count weekMs each.
        const special = Math.min(end, endDay, holidays.nextOnOrAfter(day));
        const weeks = Math.floor((special - day) / 7);
        if (weeks > 0) {
          total += weeks * weekMs;
          day += weeks * 7;
          continue;
        }
      }
      if (!holidays.isHoliday(day)) {
        const w = weekdayIndex(day);
        const s = starts[w] as Float64Array;
        const e = ends[w] as Float64Array;
        for (let i = 0; i < s.length; i++) {
          const a = Math.max(startMs, base + (s[i] as number));
          const b = Math.min(endMs, base + (e[i] as number));
          if (b > a) total += b - a;
        }
      }
      day++;
    }
  }
  return total;
}

type InstantLike = Temporal.ZonedDateTime | Temporal.Instant;

/** `start` plus `minutes` business minutes, in the calendar's zone (millisecond precision). */
export function addBusinessMinutes(cal: CompiledCalendar, start: InstantLike, minutes: number): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(dueMs(cal, start.epochMilliseconds, minutes)).toZonedDateTimeISO(cal.timeZone);
}

/** Business minutes from `start` to `end` (fractional below a minute; negative if `end` is earlier). */
export function businessMinutesBetween(cal: CompiledCalendar, start: InstantLike, end: InstantLike): number {
  return elapsedMs(cal, start.epochMilliseconds, end.epochMilliseconds) / MINUTE_MS;
}
