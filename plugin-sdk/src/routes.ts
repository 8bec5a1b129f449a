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
}

/** A handler returns the body (status 200), or a full response. */
export interface RouteResponse {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
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
    /** Response body schemas by status code; documented in OpenAPI. */
    response?: Record<number, JsonSchema>;
  };
  handler(req: RouteRequest<P, Q, B>): Promise<RouteResponse | unknown>;
}

export function defineRoute<P = any, Q = any, B = any>(route: RouteDefinition<P, Q, B>): RouteDefinition<P, Q, B> {
  return route;
}

/** Marks a handler result as a full response rather than a body. */
export function respond(status: number, body?: unknown, headers?: Record<string, string>): RouteResponse {
  return Object.assign(Object.create(RESPONSE_PROTO), { status, body, headers });
}

const RESPONSE_PROTO = Object.freeze({ [Symbol.for('ticketops.response')]: true });

export function isRouteResponse(value: unknown): value is RouteResponse {
  return typeof value === 'object' && value !== null && Symbol.for('ticketops.response') in value;
}
