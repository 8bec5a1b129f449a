import type { Readable } from 'node:stream';
import type { Scope } from './scope.ts';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type JsonSchema = Record<string, unknown>;

export interface RouteRequest<P = Record<string, string>, Q = Record<string, unknown>, B = unknown> {
  params: P;
  query: Q;
  body: B;
  headers: Record<string, string | string[] | undefined>;
  scope: Scope;
  ip: string;
  /**
   * The unread request body, for routes declared with `rawBody: true` only (e.g. multipart
   * uploads read as a stream). A handler that answers before reading it all leaves the kernel
   * to close the connection rather than drain the rest.
   */
  stream?: Readable;
}

/** A handler returns the body (status 200), or a full response. */
export interface RouteResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /**
   * A body streamed as is instead of JSON (downloads); `headers` must carry its Content-Type.
   * Not sent for HEAD requests; destroyed if the client goes away.
   */
  stream?: Readable;
}

export interface RouteDefinition<P = any, Q = any, B = any> {
  method: HttpMethod;
  /** Express-style path relative to the owner's prefix, e.g. `/greetings/:id`. */
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  /**
   * Permission the actor needs; `null` means any authenticated actor,
   * `'public'` means no authentication at all.
   */
  permission: string | null | 'public';
  schema?: {
    params?: JsonSchema;
    query?: JsonSchema;
    body?: JsonSchema;
    /** For `rawBody` routes: the accepted request body per content type, for the OpenAPI document only. */
    rawBody?: Record<string, JsonSchema>;
    /** Response body schemas by status code; documented in OpenAPI. */
    response?: Record<number, JsonSchema>;
  };
  /**
   * The kernel leaves the request body unread and hands it to the handler as `stream` (no JSON
   * parsing, no `schema.body`, no `Idempotency-Key` replay). Authentication, permission and
   * params/query validation still run first, before a byte of the body is read.
   */
  rawBody?: boolean;
  handler(req: RouteRequest<P, Q, B>): Promise<RouteResponse | unknown>;
}

export function defineRoute<P = any, Q = any, B = any>(route: RouteDefinition<P, Q, B>): RouteDefinition<P, Q, B> {
  return route;
}

/** Marks a handler result as a full response rather than a body. */
export function respond(status: number, body?: unknown, headers?: Record<string, string>): RouteResponse {
  return Object.assign(Object.create(RESPONSE_PROTO), { status, body, headers });
}

/** A streamed (non-JSON) response, e.g. a file download; `headers` should name the Content-Type. */
export function respondStream(status: number, stream: Readable, headers: Record<string, string>): RouteResponse {
  return Object.assign(Object.create(RESPONSE_PROTO), { status, stream, headers });
}

const RESPONSE_PROTO = Object.freeze({ [Symbol.for('ticketops.response')]: true });

export function isRouteResponse(value: unknown): value is RouteResponse {
  return typeof value === 'object' && value !== null && Symbol.for('ticketops.response') in value;
}
