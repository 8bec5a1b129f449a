/**
 * What the inbound panels share: the API shapes they read, field errors from RFC 9457 problems,
 * dates and sizes in words, and the styles (native controls drawn with Web Awesome's tokens, so
 * both themes keep their contrast).
 */
import { ApiError, css, i18n } from '@ticketops/admin-ui/plugin-api';

export interface Mailbox {
  id: string;
  name: string;
  address: string;
  host: string;
  port: number;
  secure: boolean;
  username: string;
  folder: string;
  moveTo: string | null;
  active: boolean;
  lastError: string | null;
  lastPolledAt: string | null;
}

export type ThreadReason =
  | { by: 'references'; messageId: string }
  | { by: 'token'; address: string }
  | { by: 'subject'; number: number }
  | { by: 'new'; notParticipant?: ThreadReason }
  | { by: 'bounce'; messageId: string }
  | { by: 'ignored'; why: string };

export interface InboundMessage {
  id: string;
  messageId: string;
  commentId: string | null;
  ticketId: string | null;
  sender: string | null;
  subject: string | null;
  to: { name: string; address: string }[];
  cc: { name: string; address: string }[];
  /** The mail's Date header, when it is a date. */
  sentAt: string | null;
  thread: ThreadReason;
  automatic: string[] | null;
  authentication: { checked: boolean; dkim: string; spf: string; dmarc: string; error?: string } | null;
  createdAt: string;
  /** Null once the raw source was dropped (`rawRetentionDays`). */
  rawUrl: string | null;
  fullText?: string | null;
}

export interface Quarantined {
  id: string;
  messageId: string | null;
  sender: string | null;
  /** Null when the mail was kept aside before it could be parsed (size, structure). */
  subject: string | null;
  reason: string;
  size: number;
  rawUrl: string | null;
  createdAt: string;
}

/** Field errors by body path (`/body/host` → `host`); a request that failed otherwise is the `''` entry. */
export function fieldErrors(error: unknown): Map<string, string[]> {
  const errors = new Map<string, string[]>();
  const add = (path: string, message: string) => errors.set(path, [...(errors.get(path) ?? []), message]);
  if (error instanceof ApiError && error.errors.length) {
    for (const e of error.errors) add(e.pointer.replace(/^\/(body|query|params)\/?/, '').split('/')[0] ?? '', e.message);
  } else add('', error instanceof Error ? error.message : String(error));
  return errors;
}

export const formatInstant = (iso: string) => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

export function formatSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${new Intl.NumberFormat(i18n.language, { maximumFractionDigits: unit ? 1 : 0 }).format(value)} ${units[unit]}`;
}

export const panelStyles = css`
  :host {
    display: grid;
    gap: var(--wa-space-m);
  }
  :focus-visible {
    outline: var(--wa-focus-ring, 3px solid var(--wa-color-focus, #0071ec));
    outline-offset: var(--wa-focus-ring-offset, 2px);
  }
  p {
    margin: 0;
  }
  .quiet,
  .hint {
    color: var(--wa-color-text-quiet);
    font-size: var(--wa-font-size-s);
  }
  form {
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
    align-items: start;
  }
  .row > .field {
    flex: 1 1 12rem;
  }
  .field {
    display: grid;
    gap: var(--wa-space-2xs);
    min-width: 0;
  }
  label {
    font-weight: var(--wa-font-weight-semibold);
    font-size: var(--wa-font-size-s);
  }
  .check {
    display: flex;
    gap: var(--wa-space-xs);
    align-items: center;
  }
  .field-error {
    font-size: var(--wa-font-size-s);
    color: var(--wa-color-danger-on-quiet);
    font-weight: var(--wa-font-weight-semibold);
  }
  input:where(:not([type='checkbox'])) {
    font: inherit;
    color: var(--wa-color-text-normal);
    background: var(--wa-color-surface-default);
    border: var(--wa-border-width-s) solid var(--wa-color-neutral-border-loud);
    border-radius: var(--wa-border-radius-s);
    padding: var(--wa-space-2xs) var(--wa-space-xs);
    min-height: 2.25rem;
    width: 100%;
    box-sizing: border-box;
  }
  input::placeholder {
    color: var(--wa-color-text-quiet);
  }
  input[type='checkbox'] {
    width: 1.1rem;
    height: 1.1rem;
    margin: 0;
    accent-color: var(--wa-color-brand-fill-loud);
  }
  [aria-invalid='true'] {
    border-color: var(--wa-color-danger-border-loud) !important;
    border-width: 2px !important;
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
  a {
    color: var(--wa-color-text-link, var(--wa-color-brand-on-quiet));
    overflow-wrap: anywhere;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: var(--wa-space-xs);
    align-items: center;
  }
  .table-wrap {
    overflow-x: auto;
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
  /* Addresses and Message-IDs may break anywhere; dates, sizes and links keep to one line. */
  td.long {
    overflow-wrap: anywhere;
    min-width: 8rem;
  }
  .nowrap {
    white-space: nowrap;
  }
  th {
    font-size: var(--wa-font-size-s);
    color: var(--wa-color-text-quiet);
    font-weight: var(--wa-font-weight-semibold);
  }
  .problem,
  .notice {
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
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0, 0, 0, 0);
    white-space: nowrap;
    border: 0;
  }
`;
