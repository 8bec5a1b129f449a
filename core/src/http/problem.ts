import type { ServerResponse } from 'node:http';
import { type ErrorCode, TicketOpsError, isTicketOpsError } from '@ticketops/plugin-sdk';
import type { Logger } from 'pino';

const STATUS: Record<ErrorCode, number> = {
  not_found: 404,
  invalid_input: 400,
  conflict: 409,
  precondition_failed: 412,
  precondition_required: 428,
  forbidden: 403,
  unauthenticated: 401,
  rate_limited: 429,
  payload_too_large: 413,
  request_timeout: 408,
  unsupported_media_type: 415,
  unexpected_state: 409,
  unavailable: 503,
  plugin_config_invalid: 500,
  plugin_invalid: 500,
  plugin_dependency_missing: 500,
  plugin_dependency_cycle: 500,
  plugin_duplicate: 500,
  hook_failed: 500,
  sandbox_timeout: 504,
  internal: 500,
};

const TITLE: Partial<Record<ErrorCode, string>> = {
  not_found: 'Not found',
  invalid_input: 'Invalid input',
  conflict: 'Conflict',
  precondition_failed: 'Precondition failed',
  precondition_required: 'Precondition required',
  forbidden: 'Forbidden',
  unauthenticated: 'Authentication required',
  rate_limited: 'Too many requests',
  payload_too_large: 'Payload too large',
  request_timeout: 'Request timeout',
  unsupported_media_type: 'Unsupported media type',
  unavailable: 'Service unavailable',
};

export const statusOf = (code: ErrorCode) => STATUS[code] ?? 500;

/** RFC 9457 problem document; `code` is stable and meant for programs, `detail` for people. */
export function sendProblem(res: ServerResponse, error: TicketOpsError, requestId: string): void {
  const status = statusOf(error.code);
  const body: Record<string, unknown> = {
    type: `urn:ticketops:problem:${error.code}`,
    title: TITLE[error.code] ?? 'Server error',
    status,
    detail: error.message,
    code: error.code,
    instance: `urn:ticketops:request:${requestId}`,
    ...error.extra,
  };
  if (error.details.length > 0) body.errors = error.details;
  if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="ticketops"');
  if (error.code === 'rate_limited' && typeof error.extra.retryAfter === 'number') res.setHeader('Retry-After', String(error.extra.retryAfter));
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/problem+json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/** Maps body-parser and unexpected errors to the problem codes clients can act on; logs what is ours to fix. */
export function toTicketOpsError(error: unknown, logger: Logger, bodyLimit: string): TicketOpsError {
  if (isTicketOpsError(error)) {
    if (error.code === 'hook_failed' || error.code === 'internal') logger.error({ err: error.cause ?? error }, error.message);
    return error;
  }
  const e = error as { type?: string; status?: number; message?: string };
  if (e?.type === 'entity.parse.failed') {
    return new TicketOpsError('invalid_input', `Malformed JSON body: ${e.message}`, { details: [{ pointer: '/body', message: 'is not valid JSON' }] });
  }
  if (e?.type === 'entity.too.large') {
    return new TicketOpsError('payload_too_large', `Request body exceeds the ${bodyLimit} limit`);
  }
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new TicketOpsError('unsupported_media_type', e.message ?? 'Unsupported encoding');
  }
  logger.error({ err: error }, 'unhandled error');
  return new TicketOpsError('internal', 'An unexpected error occurred; the request id identifies it in the logs');
}

export { isTicketOpsError };
