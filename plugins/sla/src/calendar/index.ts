export { addBusinessMinutes, businessMinutesBetween, dueMs, elapsedMs, localDay } from './arithmetic.ts';
export { type CompiledCalendar, compileCalendar } from './compile.ts';
export { countryHolidayList } from './holidays.ts';
export { parseIcal } from './ical.ts';
export { type CalendarSpec, type SpecError, WEEKDAYS, type Weekday, checkCalendarSpec } from './spec.ts';
export { isValidTimeZone } from './zone.ts';
