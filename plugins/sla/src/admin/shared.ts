/**
 * What the SLA panels share: the API shapes they read, field errors from RFC 9457 problems,
 * durations and instants in words, and the form styles (native controls drawn with Web Awesome's
 * tokens, so both themes keep their contrast).
 */
import { ApiError, i18n, t } from '@ticketops/admin-ui/plugin-api';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export type Interval = [string, string];

export interface Calendar {
  id: string;
  name: string;
  timeZone: string;
  hours: Partial<Record<Weekday, Interval[]>>;
  holidays: { date: string; name: string }[];
  country?: string | null;
  region?: string | null;
  ical?: string | null;
  version?: number;
}

export const METRICS = ['firstResponse', 'nextResponse', 'resolution'] as const;
export type Metric = (typeof METRICS)[number];
export type Targets = Record<string, Partial<Record<Metric, number | null>>>;

export type EscalationAction =
  | { type: 'notify'; userIds?: string[]; groupIds?: string[]; assignee?: boolean }
  | { type: 'reassign'; groupId?: string; userId?: string }
  | { type: 'raise_priority'; to?: string };
export interface EscalationLevel {
  at: 'warning' | 'breached' | { minutesAfterBreach: number };
  metric: Metric | '*';
  actions: EscalationAction[];
}

export interface Policy {
  id: string;
  name: string;
  position: number;
  active: boolean;
  calendarId: string;
  conditions: Record<string, unknown>;
  targets: Targets;
  pauseStatuses: string[] | null;
  warningPercent: number | null;
  escalations: EscalationLevel[];
}

export interface MetricState {
  metric: Metric;
  cycle: number;
  state: 'running' | 'paused' | 'fulfilled';
  targetMinutes: number;
  startedAt: string;
  dueAt: string | null;
  elapsedMinutes: number;
  remainingMinutes: number;
  breached: boolean;
  breachedAt: string | null;
  warningAt: string | null;
  fulfilledAt: string | null;
}

export interface TimelineEntry {
  metric: Metric;
  cycle: number;
  type: 'started' | 'paused' | 'resumed' | 'fulfilled' | 'warning' | 'breached' | 'escalated';
  at: string;
  level?: number;
  cause: { factId: string; kind: 'created' | 'updated' | 'comment'; ref: string | null } | null;
}

export interface TicketSla {
  ticketId: string;
  policy: { id: string; name: string } | null;
  calendarId: string | null;
  metrics: MetricState[];
  timeline: TimelineEntry[];
}

/** Field errors by body path (`/body/hours/mon/1` → `hours/mon/1`); a request that failed otherwise is the `''` entry. */
export function fieldErrors(error: unknown): Map<string, string[]> {
  const errors = new Map<string, string[]>();
  const add = (path: string, message: string) => errors.set(path, [...(errors.get(path) ?? []), message]);
  if (error instanceof ApiError && error.errors.length) {
    for (const e of error.errors) add(e.pointer.replace(/^\/(body|query|params)\/?/, ''), e.message);
  } else add('', error instanceof Error ? error.message : String(error));
  return errors;
}

/** The messages for a field and anything under it (`hours/mon/0` also gets `hours/mon/0/1`). */
export function errorsUnder(errors: Map<string, string[]>, path: string): string[] {
  return [...errors].filter(([key]) => key === path || key.startsWith(`${path}/`)).flatMap(([, messages]) => messages);
}

/** Business or wall-clock minutes in words: "45 min", "3 h 5 min", "2 d 4 h". */
export function formatMinutes(minutes: number): string {
  const total = Math.round(Math.abs(minutes));
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const mins = total % 60;
  if (days) return t('sla:durationDays', { days, hours });
  if (hours) return mins ? t('sla:durationHours', { hours, minutes: mins }) : t('sla:durationHoursOnly', { hours });
  return t('sla:durationMinutes', { minutes: mins });
}

export function formatInstant(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
}

/** IANA zones the browser knows (plus UTC), for the time-zone picker and its check. */
export function timeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

/** Runs `work` once input has rested for `ms`; a newer call replaces a pending one. */
export function debounced(ms: number): (work: () => void) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (work) => {
    clearTimeout(timer);
    timer = setTimeout(work, ms);
  };
}

/** The console's form styles (`@ticketops/admin-ui/plugin-api`). */
export { formStyles } from '@ticketops/admin-ui/plugin-api';
