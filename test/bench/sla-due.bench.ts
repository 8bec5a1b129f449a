/**
 * SLA due-time computations per minute, in process, through the engine's calendar API (`dueMs`),
 * beside a baseline of the same loop doing plain epoch addition, and the Temporal wrapper
 * (`addBusinessMinutes`, one ZonedDateTime in and out). Run: node test/bench/sla-due.bench.ts
 * (env BENCH_SECONDS per measurement, default 5). Issue 5 asks for 1,000,000 per minute.
 */
import { Temporal } from 'temporal-polyfill';
import { addBusinessMinutes, compileCalendar, dueMs } from '../../plugins/sla/src/calendar/index.ts';
import type { CalendarSpec } from '../../plugins/sla/src/calendar/spec.ts';
import { machine, round, save } from './lib.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const weekdays = (h: [string, string][]) => ({ mon: h, tue: h, wed: h, thu: h, fri: h, sat: [], sun: [] });
const specs: CalendarSpec[] = [
  { timeZone: 'Europe/Berlin', hours: weekdays([['08:00', '12:00'], ['13:00', '17:00']]), holidays: [{ date: '2025-12-24', name: 'Eve' }], country: 'DE', region: 'BY' },
  { timeZone: 'America/New_York', hours: weekdays([['09:00', '17:00']]), holidays: [], country: 'US' },
  { timeZone: 'Asia/Kolkata', hours: { ...weekdays([['09:30', '18:30']]), sat: [['10:00', '14:00']] }, holidays: [] },
];
const calendars = specs.map((s) => compileCalendar(s));
/** Typical SLA targets: 30 min … one business week, and a 30-day resolution target. */
const targets = [30, 60, 120, 240, 480, 960, 1440, 2400, 4800, 14_400];
// 4096 arrivals spread over two years (DST days, nights and weekends included), fixed seed.
let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const from = Date.parse('2025-01-01T00:00:00Z');
const starts = Array.from({ length: 4096 }, () => from + Math.floor(random() * 730 * 86_400_000));

function measure(label: string, step: (i: number) => number): { label: string; perMinute: number; nsPerOp: number } {
  let sink = 0;
  for (let i = 0; i < 200_000; i++) sink += step(i); // warm-up: JIT, zone tables, holiday years
  let ops = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  while (performance.now() < end) {
    for (let k = 0; k < 10_000; k++, ops++) sink += step(ops);
  }
  const ms = performance.now() - t0;
  if (sink === 42) console.log('');
  const perMinute = (ops / ms) * 60_000;
  console.log(`${label}: ${Math.round(perMinute).toLocaleString('en')} per minute (${round((ms * 1e6) / ops)} ns each)`);
  return { label, perMinute: Math.round(perMinute), nsPerOp: round((ms * 1e6) / ops) };
}

const baseline = measure('baseline: start + minutes × 60000', (i) => (starts[i & 4095] as number) + (targets[i % 10] as number) * 60_000);
const engine = measure('dueMs (business calendars)', (i) => dueMs(calendars[i % 3]!, starts[i & 4095] as number, targets[i % 10] as number));
const zoned = starts.map((s) => Temporal.Instant.fromEpochMilliseconds(s).toZonedDateTimeISO('UTC'));
const temporal = measure('addBusinessMinutes (Temporal in and out)', (i) => addBusinessMinutes(calendars[i % 3]!, zoned[i & 4095]!, targets[i % 10] as number).epochMilliseconds);

save('sla-due', { machine: machine(), seconds, calendars: specs.map((s) => s.timeZone), targets, baseline, engine, temporal, goalPerMinute: 1_000_000 });
