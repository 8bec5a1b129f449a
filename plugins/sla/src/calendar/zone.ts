import { Temporal } from 'temporal-polyfill';
import { DAY_MS } from './days.ts';

const YEAR_MS = 365.2425 * DAY_MS;
/** How far each extension of a zone's transition table reaches (asking Temporal costs ~0.3 ms a transition). */
const CHUNK_MS = 20 * YEAR_MS;

/** True when `name` is a time zone name Temporal knows (IANA names and `UTC`; not bare offsets). */
export function isValidTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    Temporal.Now.zonedDateTimeISO(name);
    return true;
  } catch {
    return false;
  }
}

/**
 * A zone's UTC offsets as plain numbers: the transition instants Temporal reports, fetched once per
 * zone and range, so converting between instants and wall-clock times is a binary search instead of
 * a Temporal object per boundary. The table grows on demand, 20 years at a time, in either direction.
 */
export class ZoneOffsets {
  readonly timeZone: string;
  /** Transition instants (epoch ms), ascending; `after[i]` is the offset (ms) from `at[i]` on. */
  #at: number[] = [];
  #after: number[] = [];
  /** Offset before the first known transition (valid from `#from`). */
  #base = 0;
  #from = 0;
  #to = 0;
  /** The one offset of a zone with no transition in the covered range (Asia/Kolkata): no look-up needed. */
  #fixed: number | null = null;

  constructor(timeZone: string, around = Date.now()) {
    this.timeZone = timeZone;
    this.#from = around - CHUNK_MS;
    this.#to = this.#from;
    this.#base = this.#offsetByTemporal(this.#from);
    this.#extendTo(around + CHUNK_MS);
  }

  #offsetByTemporal(ms: number): number {
    return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(this.timeZone).offsetNanoseconds / 1e6;
  }

  #extendTo(to: number): void {
    let z = Temporal.Instant.fromEpochMilliseconds(this.#to).toZonedDateTimeISO(this.timeZone);
    for (;;) {
      const next = z.getTimeZoneTransition('next');
      if (!next || next.epochMilliseconds > to) break;
      this.#at.push(next.epochMilliseconds);
      this.#after.push(next.offsetNanoseconds / 1e6);
      z = next;
    }
    this.#to = to;
    this.#updateFixed();
  }

  #extendFrom(from: number): void {
    const at: number[] = [];
    const after: number[] = [];
    let z = Temporal.Instant.fromEpochMilliseconds(this.#from).toZonedDateTimeISO(this.timeZone);
    for (;;) {
      const previous = z.getTimeZoneTransition('previous');
      if (!previous || previous.epochMilliseconds < from) break;
      at.unshift(previous.epochMilliseconds);
      after.unshift(previous.offsetNanoseconds / 1e6);
      z = previous;
    }
    this.#at = [...at, ...this.#at];
    this.#after = [...after, ...this.#after];
    this.#from = from;
    this.#base = this.#offsetByTemporal(from);
    this.#updateFixed();
  }

  #updateFixed(): void {
    this.#fixed = this.#at.length === 0 ? this.#base : null;
  }

  /** Makes sure the table covers `ms` (with two days to spare either side). */
  cover(ms: number): void {
    while (ms + DAY_MS * 2 > this.#to) this.#extendTo(this.#to + CHUNK_MS);
    while (ms - DAY_MS * 2 < this.#from) this.#extendFrom(this.#from - CHUNK_MS);
  }

  #covered(ms: number): boolean {
    return ms + DAY_MS * 2 <= this.#to && ms - DAY_MS * 2 >= this.#from;
  }

  /** Index of the last transition at or before `ms`, or -1. */
  #index(ms: number): number {
    const at = this.#at;
    let lo = 0;
    let hi = at.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((at[mid] as number) <= ms) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** UTC offset (ms) in force at instant `ms`. */
  offsetAt(ms: number): number {
    if (!this.#covered(ms)) this.cover(ms);
    if (this.#fixed !== null) return this.#fixed;
    const i = this.#index(ms);
    return i < 0 ? this.#base : (this.#after[i] as number);
  }

  /**
   * The instant of wall-clock time `wall` (local ms since the epoch), disambiguated like Temporal's
   * `compatible`: a time repeated by a fall-back is its earlier occurrence; a time skipped by a
   * spring-forward is read with the offset before the jump, i.e. moved later by the gap
   * (02:30 on a 02:00→03:00 day is 03:30).
   */
  wallToInstant(wall: number): number {
    const before = this.offsetAt(wall - DAY_MS);
    const after = this.offsetAt(wall + DAY_MS);
    if (before === after) return wall - before;
    const a = wall - before;
    const b = wall - after;
    const aValid = this.offsetAt(a) === before;
    const bValid = this.offsetAt(b) === after;
    if (aValid && bValid) return Math.min(a, b);
    if (aValid) return a;
    if (bValid) return b;
    return a;
  }

  /**
   * The next transition after `ms` as `{ at, firstDay, lastDay }`: the local days whose wall clock
   * it touches (a day before the earlier reading, to cover boundaries at 24:00). Days outside that
   * range keep one offset all day, so their boundaries are plain subtraction. Null when none is
   * known within the table (extended as needed up to `limit`).
   */
  nextTransition(ms: number, limit: number): { at: number; firstDay: number; lastDay: number } | null {
    this.cover(ms);
    let i = this.#index(ms) + 1;
    while (i >= this.#at.length) {
      if (this.#to >= limit) return null;
      this.#extendTo(this.#to + CHUNK_MS);
      i = this.#index(ms) + 1;
    }
    const at = this.#at[i] as number;
    const before = i === 0 ? this.#base : (this.#after[i - 1] as number);
    const after = this.#after[i] as number;
    const low = at + Math.min(before, after);
    const high = at + Math.max(before, after);
    return { at, firstDay: Math.floor((low - 1) / DAY_MS), lastDay: Math.floor(high / DAY_MS) };
  }
}

const zones = new Map<string, ZoneOffsets>();

/** One offset table per zone and process. */
export function zoneOffsets(timeZone: string): ZoneOffsets {
  let zone = zones.get(timeZone);
  if (!zone) {
    zone = new ZoneOffsets(timeZone);
    zones.set(timeZone, zone);
  }
  return zone;
}
