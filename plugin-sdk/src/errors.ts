/**
 * One error type for the whole system, recognised by a brand rather than `instanceof`
 * so the check survives duplicate copies of this package in a plugin's node_modules.
 */
const BRAND = Symbol.for('ticketops.error');

export type ErrorCode =
  | 'not_found'
  | 'invalid_input'
  | 'conflict'
  | 'precondition_failed'
  | 'precondition_required'
  | 'forbidden'
  | 'unauthenticated'
  | 'rate_limited'
  | 'payload_too_large'
  | 'request_timeout'
  | 'unsupported_media_type'
  | 'unexpected_state'
  | 'unavailable'
  | 'plugin_config_invalid'
  | 'plugin_invalid'
  | 'plugin_dependency_missing'
  | 'plugin_dependency_cycle'
  | 'plugin_duplicate'
  | 'hook_failed'
  | 'sandbox_timeout'
  | 'internal';

/** One failing field or key, as listed in a problem's `errors`. */
export interface ErrorDetail {
  /** JSON pointer (`/body/email`) or dotted key naming what failed. */
  pointer: string;
  message: string;
}

export interface TicketOpsErrorOptions {
  details?: ErrorDetail[];
  cause?: unknown;
  /** Extra members copied into the problem document (must be JSON). */
  extra?: Record<string, unknown>;
}

export class TicketOpsError extends Error {
  readonly [BRAND] = true;
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];
  readonly extra: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: TicketOpsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TicketOpsError';
    this.code = code;
    this.details = options.details ?? [];
    this.extra = options.extra ?? {};
  }
}

export function isTicketOpsError(value: unknown): value is TicketOpsError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

export const notFound = (what: string) => new TicketOpsError('not_found', `${what} was not found`);
export const invalidInput = (message: string, details: ErrorDetail[] = []) =>
  new TicketOpsError('invalid_input', message, { details });
export const forbidden = (message = 'You do not have permission to do this') =>
  new TicketOpsError('forbidden', message);
export const unauthenticated = (message = 'Authentication is required') =>
  new TicketOpsError('unauthenticated', message);
export const conflict = (message: string) => new TicketOpsError('conflict', message);
