/**
 * What the SLA panels share: the API shapes they read, field errors from RFC 9457 problems,
 * durations and instants in words, and the form styles (native controls drawn with Web Awesome's
 * tokens, so both themes keep their contrast).
 */
import { ApiError, css, i18n, sharedStyles, t } from '@ticketops/admin-ui/plugin-api';

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

/** The console's shared styles (box sizing, focus ring, links, visually hidden), then the forms'. */
export const formStyles = [
  sharedStyles,
  css`
  :host {
    display: grid;
    gap: var(--wa-space-m);
  }
  p {
    margin: 0;
  }
  .quiet,
  .hint {
    color: var(--wa-color-text-quiet);
    font-size: var(--wa-font-size-s);
  }
  form,
  .card {
    display: grid;
    gap: var(--wa-space-m);
    padding: var(--wa-space-m);
    border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    border-radius: var(--wa-border-radius-m);
    background: var(--wa-color-surface-raised);
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--wa-space-m);
    align-items: end;
  }
  .row > .field {
    flex: 1 1 12rem;
  }
  .field {
    display: grid;
    gap: var(--wa-space-2xs);
    min-width: 0;
  }
  label,
  legend {
    font-weight: var(--wa-font-weight-semibold);
    font-size: var(--wa-font-size-s);
  }
  .check {
    display: flex;
    gap: var(--wa-space-xs);
    align-items: center;
  }
  .check label {
    font-weight: var(--wa-font-weight-normal);
    font-size: var(--wa-font-size-m);
  }
  .field-error {
    margin: 0;
    font-size: var(--wa-font-size-s);
    color: var(--wa-color-danger-on-quiet);
    font-weight: var(--wa-font-weight-semibold);
  }
  /* Zero-specificity base, so the size classes below (.clock, .minutes, .date) win. */
  input:where(:not([type='checkbox'], [type='radio'])),
  select,
  textarea {
    font: inherit;
    color: var(--wa-color-text-normal);
    background: var(--wa-color-surface-default);
    border: var(--wa-border-width-s) solid var(--wa-color-neutral-border-loud);
    border-radius: var(--wa-border-radius-s);
    padding: var(--wa-space-2xs) var(--wa-space-xs);
    min-height: 2.25rem;
    width: 100%;
  }
  .actions select,
  td select {
    width: auto;
  }
  td .actions {
    flex-wrap: nowrap;
    gap: var(--wa-space-2xs);
  }
  input[type='radio'] {
    width: 1.1rem;
    height: 1.1rem;
    margin: 0;
    accent-color: var(--wa-color-brand-fill-loud);
  }
  input.clock {
    width: 5.5rem;
  }
  input.minutes {
    width: 5.5rem;
  }
  input.date {
    width: auto;
  }
  input.grow {
    width: auto;
    flex: 1 1 10rem;
  }
  [aria-invalid='true'] {
    border-color: var(--wa-color-danger-border-loud) !important;
    border-width: 2px !important;
  }
  input[type='checkbox'] {
    width: 1.1rem;
    height: 1.1rem;
    accent-color: var(--wa-color-brand-fill-loud);
  }
  fieldset {
    margin: 0;
    padding: var(--wa-space-s) var(--wa-space-m);
    border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    border-radius: var(--wa-border-radius-s);
    display: grid;
    gap: var(--wa-space-xs);
    min-width: 0;
  }
  button {
    font: inherit;
    cursor: pointer;
    padding: var(--wa-space-2xs) var(--wa-space-s);
    min-height: 2.25rem;
    border-radius: var(--wa-border-radius-s);
    border: var(--wa-border-width-s) solid var(--wa-color-neutral-border-loud);
    background: var(--wa-color-surface-default);
    color: var(--wa-color-text-normal);
  }
  button.primary {
    background: var(--wa-color-brand-fill-loud);
    border-color: var(--wa-color-brand-fill-loud);
    color: var(--wa-color-brand-on-loud);
    font-weight: var(--wa-font-weight-semibold);
  }
  button.danger {
    color: var(--wa-color-danger-on-quiet);
    border-color: var(--wa-color-danger-border-loud);
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.75;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--wa-space-s);
    align-items: center;
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    text-align: left;
    padding: var(--wa-space-2xs) var(--wa-space-xs);
    border-bottom: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    vertical-align: top;
  }
  th {
    font-size: var(--wa-font-size-s);
    color: var(--wa-color-text-quiet);
    font-weight: var(--wa-font-weight-semibold);
  }
  .problem,
  .notice {
    margin: 0;
    padding: var(--wa-space-s) var(--wa-space-m);
    border-radius: var(--wa-border-radius-s);
    border: var(--wa-border-width-s) solid var(--wa-color-danger-border-loud);
    background: var(--wa-color-danger-fill-quiet);
    color: var(--wa-color-danger-on-quiet);
  }
  .notice {
    border-color: var(--wa-color-success-border-loud);
    background: var(--wa-color-success-fill-quiet);
    color: var(--wa-color-success-on-quiet);
  }
  .preview {
    color: var(--wa-color-text-normal);
    font-size: var(--wa-font-size-s);
  }
`,
];
