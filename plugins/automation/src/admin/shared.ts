/** What the automation panels share: API shapes, problem details in words, and the form styles. */
import { ApiError, css } from '@ticketops/admin-ui/plugin-api';

export interface Rule {
  id: string;
  name: string;
  kind: 'trigger' | 'automation' | 'scheduled' | 'macro';
  active: boolean;
  status: string;
  publishedVersion: number | null;
  latestVersion: number;
  disabledReason: string | null;
  events?: string[];
  conditions?: unknown;
  actions?: unknown[];
  script?: string;
  [key: string]: unknown;
}

export interface TraceEntry {
  pointer: string;
  field: string;
  operator: string;
  result: boolean;
}

export interface Run {
  id: string;
  ruleVersion: number;
  eventType: string;
  ticketId: string | null;
  outcome: string;
  wallMs: number;
  trace: TraceEntry[];
  eventId?: string;
  cause?: string[];
  logs?: string[];
  applied: { type: string; applied: boolean; detail?: string }[];
  error: { name: string; message: string } | null;
  createdAt: string;
}

/** A problem's message with each failing field (`/body/conditions/all/0/operator: …`). */
export function problemText(error: unknown): string {
  if (error instanceof ApiError) return [error.message, ...error.errors.map((e) => `${e.pointer}: ${e.message}`)].join('\n');
  return String(error);
}

export const styles = css`
  :host {
    display: grid;
    gap: var(--wa-space-m);
  }
  p {
    margin: 0;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: start;
    padding: var(--wa-space-2xs) var(--wa-space-xs);
    border-bottom: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    vertical-align: top;
  }
  textarea {
    font-family: var(--wa-font-family-code, monospace);
    font-size: var(--wa-font-size-s);
    width: 100%;
    min-height: 16rem;
    box-sizing: border-box;
    color: inherit;
    background: var(--wa-color-surface-default);
    border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    border-radius: var(--wa-border-radius-s);
    padding: var(--wa-space-xs);
  }
  input {
    color: inherit;
    background: var(--wa-color-surface-default);
    border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    border-radius: var(--wa-border-radius-s);
    padding: var(--wa-space-2xs) var(--wa-space-xs);
  }
  .row {
    display: flex;
    gap: var(--wa-space-xs);
    flex-wrap: wrap;
    align-items: center;
  }
  .quiet {
    color: var(--wa-color-text-quiet);
    font-size: var(--wa-font-size-s);
  }
  .problem {
    color: var(--wa-color-danger-on-quiet, #b00020);
    white-space: pre-wrap;
  }
  .true {
    color: var(--wa-color-success-on-quiet, #0a7a2f);
  }
  .false {
    color: var(--wa-color-danger-on-quiet, #b00020);
  }
  .card {
    display: grid;
    gap: var(--wa-space-s);
    padding: var(--wa-space-m);
    border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
    border-radius: var(--wa-border-radius-m);
  }
`;
