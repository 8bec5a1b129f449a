import Holidays from 'date-holidays';
import { civilFromDays, parseDate, yearStartDay } from './days.ts';
import { type IcalHoliday, icalDays } from './ical.ts';

export interface HolidaySources {
  /** Custom dates, `YYYY-MM-DD`. */
  dates: string[];
  /** `date-holidays` country (ISO 3166-1 alpha-2) and optional region; public holidays only. */
  country?: string | null;
  region?: string | null;
  ical?: IcalHoliday[];
}

/** One year of holidays: a day-of-year bitmap and, for each day, the next holiday on or after it. */
interface Year {
  start: number;
  end: number;
  /** `next[i]` = day offset of the first holiday on or after offset `i`, or `end - start` if none. */
  next: Int16Array;
}

const countryCache = new Map<string, Holidays>();

/** `date-holidays` for a country and region (one instance per process; building one parses its data). */
function countryHolidays(country: string, region: string | null | undefined): Holidays {
  const key = `${country}/${region ?? ''}`;
  let hd = countryCache.get(key);
  if (!hd) {
    hd = region ? new Holidays(country, region) : new Holidays(country);
    countryCache.set(key, hd);
  }
  return hd;
}

export function isKnownCountry(country: string): boolean {
  return Object.hasOwn(new Holidays().getCountries(), country);
}

export function isKnownRegion(country: string, region: string): boolean {
  return Object.hasOwn(new Holidays().getStates(country) ?? {}, region);
}

/** Public holidays of a country (and region) in a year, as `YYYY-MM-DD` with their names. */
export function countryHolidayList(country: string, region: string | null | undefined, year: number): { date: string; name: string }[] {
  const list = countryHolidays(country, region).getHolidays(year) || [];
  return list.filter((h) => h.type === 'public').map((h) => ({ date: h.date.slice(0, 10), name: h.name }));
}

/**
 * Answers "is this local day a holiday?" and "when is the next one?" in constant time, computing a
 * year's holidays (custom + country + iCal) the first time a day of that year is asked about.
 */
export class HolidayIndex {
  readonly #sources: HolidaySources;
  readonly #custom: number[];
  readonly #years = new Map<number, Year>();
  #last: Year | null = null;
  readonly empty: boolean;

  constructor(sources: HolidaySources) {
    this.#sources = sources;
    this.#custom = sources.dates.map((d) => parseDate(d)).filter((d): d is number => d !== null);
    this.empty = this.#custom.length === 0 && !sources.country && !sources.ical?.length;
  }

  #year(day: number): Year {
    const last = this.#last;
    if (last && day >= last.start && day < last.end) return last;
    const { year } = civilFromDays(day);
    let y = this.#years.get(year);
    if (!y) {
      y = this.#build(year);
      this.#years.set(year, y);
    }
    this.#last = y;
    return y;
  }

  #build(year: number): Year {
    const start = yearStartDay(year);
    const end = yearStartDay(year + 1);
    const length = end - start;
    const flags = new Uint8Array(length);
    const mark = (day: number | null) => {
      if (day !== null && day >= start && day < end) flags[day - start] = 1;
    };
    for (const d of this.#custom) mark(d);
    if (this.#sources.country) {
      for (const h of countryHolidayList(this.#sources.country, this.#sources.region, year)) mark(parseDate(h.date));
    }
    for (const h of this.#sources.ical ?? []) for (const d of icalDays(h, start, end)) mark(d);
    const next = new Int16Array(length + 1);
    next[length] = length;
    for (let i = length - 1; i >= 0; i--) next[i] = flags[i] ? i : (next[i + 1] as number);
    return { start, end, next };
  }

  isHoliday(day: number): boolean {
    if (this.empty) return false;
    const y = this.#year(day);
    return y.next[day - y.start] === day - y.start;
  }

  /** The first holiday on or after `day` within its year, or the first day of the next year. */
  nextOnOrAfter(day: number): number {
    if (this.empty) return Number.POSITIVE_INFINITY;
    const y = this.#year(day);
    return y.start + (y.next[day - y.start] as number);
  }
}
