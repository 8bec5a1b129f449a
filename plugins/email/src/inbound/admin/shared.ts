/**
 * What the inbound panels share: the API shapes they read, field errors from RFC 9457 problems,
 * dates and sizes in words, and the styles (native controls drawn with Web Awesome's tokens, so
 * both themes keep their contrast).
 */
import { ApiError, css, formStyles, i18n } from '@ticketops/admin-ui/plugin-api';

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

/**
 * The console's form styles (exported to plugins) with what the inbound panels add: rows aligned
 * at the top, tighter actions, long addresses and Message-IDs that may break anywhere.
 */
export const panelStyles = [
  formStyles,
  css`
    .row {
      align-items: start;
    }
    .actions {
      gap: var(--wa-space-xs);
    }
    a {
      overflow-wrap: anywhere;
    }
    input::placeholder {
      color: var(--wa-color-text-quiet);
    }
    input[type='checkbox'] {
      margin: 0;
    }
    .table-wrap {
      overflow-x: auto;
    }
    /* Addresses and Message-IDs may break anywhere; dates, sizes and links keep to one line. */
    td.long {
      overflow-wrap: anywhere;
      min-width: 8rem;
    }
    .nowrap {
      white-space: nowrap;
    }
  `,
];
