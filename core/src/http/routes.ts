import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { parse as parseQuery } from 'node:querystring';
import express from 'express';
import FindMyWay from 'find-my-way';
import proxyAddr from 'proxy-addr';
import typeIs from 'type-is';
import { type RouteDefinition, TicketOpsError, hasPermission, isRouteResponse } from '@ticketops/plugin-sdk';
import { authenticate } from '../auth/authenticate.ts';
import { type Ajv, createAjv, toDetails } from '../config/ajv.ts';
import { watchStall } from './body-deadlines.ts';
import { assertNoForbiddenKeys } from './forbidden-keys.ts';
import { type StoredResponse, beginIdempotent } from './idempotency.ts';
import type { Kernel } from '../kernel/kernel.ts';

export interface MountedRoute {
  owner: string;
  /** Express path, e.g. `/api/v1/hello/greetings/:id`. */
  path: string;
  route: RouteDefinition;
}

type Check = ((value: unknown) => boolean) & { errors?: Parameters<typeof toDetails>[0] };

/** Kernel routes live under `/api/v1`; a plugin's under `/api/v1/<plugin-id>`. */
export function collectRoutes(kernel: Kernel, kernelRoutes: RouteDefinition[]): MountedRoute[] {
  const routes: MountedRoute[] = kernelRoutes.map((route) => ({ owner: 'kernel', path: `/api/v1${route.path}`, route }));
  for (const { owner, route } of kernel.declarations.routes) routes.push({ owner, path: `/api/v1/${owner}${route.path}`, route });
  const seen = new Set<string>();
  for (const r of routes) {
    const key = `${r.route.method} ${r.path}`;
    if (seen.has(key)) throw new TicketOpsError('plugin_invalid', `Route ${key} is declared twice (by ${r.owner})`);
    seen.add(key);
  }
  return routes;
}

/** What the front listener knows of a request before the route runs. */
export interface ApiRequest {
  req: IncomingMessage & { cookies?: Record<string, string>; body?: unknown };
  res: ServerResponse;
  requestId: string;
  path: string;
  search: string;
}

type Handle = (request: ApiRequest, params: Record<string, string | undefined>) => Promise<void>;

export interface ApiRouter {
  /** The matched route's handler and declared path, or null when no API route matches. */
  find(method: string, path: string): { run: (request: ApiRequest) => Promise<void>; path: string } | null;
}

/**
 * The API's own dispatcher, on plain node requests: routes are looked up in a radix tree
 * (find-my-way) rather than walked as express layers, one regular expression each. Each route runs,
 * in order: body parsing, authentication, permission, schema validation, a fresh scope, the handler.
 * Errors reach `fail`, which answers with a problem document.
 */
export function createApiRouter(kernel: Kernel, routes: MountedRoute[], fail: (request: ApiRequest, error: unknown) => void): ApiRouter {
  const bodyAjv = createAjv({ useDefaults: true });
  // Path and query values arrive as strings; let the schema's types coerce them.
  const paramAjv = createAjv({ useDefaults: true, coerceTypes: true });
  const context: HandlerContext = {
    kernel,
    bodyAjv,
    paramAjv,
    fail,
    parseJson: express.json({ limit: kernel.config.bodyLimit, type: ['application/json', 'application/*+json'] }) as unknown as BodyParser,
    // Behind a proxy on this host, the client's address comes from X-Forwarded-For.
    trustProxy: proxyAddr.compile('loopback'),
  };
  const router = FindMyWay({ ignoreTrailingSlash: true, maxParamLength: 500 });
  for (const mounted of routes) {
    router.on(mounted.route.method.toUpperCase() as 'GET', mounted.path, routeHandler(context, mounted) as never, { path: mounted.path });
  }
  return {
    find(method, path) {
      const found = router.find(method === 'HEAD' ? 'GET' : (method as 'GET'), path);
      if (!found) return null;
      const handle = found.handler as unknown as Handle;
      const params = found.params;
      return { run: (request) => handle(request, params), path: (found.store as { path: string }).path };
    },
  };
}

type BodyParser = (req: IncomingMessage, res: ServerResponse, done: (error?: unknown) => void) => void;

interface HandlerContext {
  kernel: Kernel;
  bodyAjv: Ajv;
  paramAjv: Ajv;
  fail: (request: ApiRequest, error: unknown) => void;
  parseJson: BodyParser;
  trustProxy: (address: string, index: number) => boolean;
}

/** Reads and parses a JSON body (size limit, charset, malformed JSON) and refuses prototype-polluting keys. */
function readBody(context: HandlerContext, req: ApiRequest['req'], res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    // A body dripping in slower than the deadline is answered 408 and its connection closed.
    const seconds = context.kernel.config.jsonBodySeconds;
    const deadline = setTimeout(() => {
      closeIfUnread(req, res);
      reject(new TicketOpsError('request_timeout', `The request body did not arrive within ${seconds} s`));
    }, seconds * 1000);
    context.parseJson(req, res, (error) => {
      clearTimeout(deadline);
      if (error) return reject(error);
      try {
        if (req.body !== undefined) assertNoForbiddenKeys(req.body);
        resolve();
      } catch (rejected) {
        reject(rejected);
      }
    });
  });
}

function routeHandler(context: HandlerContext, mounted: MountedRoute): Handle {
  const { kernel } = context;
  const { route } = mounted;
  const checks = {
    params: compile(context.paramAjv, route.schema?.params),
    query: compile(context.paramAjv, route.schema?.query),
    body: compile(context.bodyAjv, route.schema?.body),
  };
  // A body whose schema requires nothing may be left out entirely.
  const bodyOptional = !(route.schema?.body as { required?: string[] } | undefined)?.required?.length;
  const pluginId = mounted.owner === 'kernel' ? null : mounted.owner;
  return async (request, rawParams) => {
    const { req, res } = request;
    try {
      if (route.rawBody) {
        closeIfUnread(req, res);
        // A streamed body may take long, but not stand still: the route sees the stream fail.
        const stall = kernel.config.streamStallSeconds;
        watchStall(req, stall * 1000, () => req.destroy(new Error(`The request body stalled for ${stall} s`)));
      }
      else if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) await readBody(context, req, res);
      const principal = route.permission === 'public' ? null : await authenticate(kernel, req as never);
      if (route.permission !== 'public') {
        if (!principal) throw new TicketOpsError('unauthenticated', 'Authentication is required: send a Bearer token or sign in');
        if (route.permission !== null && !hasPermission(principal.actor, route.permission)) {
          throw new TicketOpsError('forbidden', `This needs the "${route.permission}" permission`);
        }
      }
      const params: Record<string, unknown> = { ...rawParams };
      const query: Record<string, unknown> = request.search ? { ...parseQuery(request.search) } : {};
      validate(checks.params, params, '/params');
      validate(checks.query, query, '/query');
      const body: unknown = req.body === undefined && checks.body && bodyOptional && !req.headers['content-type'] ? {} : req.body;
      if (checks.body) {
        if (body === undefined) {
          if (req.headers['content-type'] && !typeIs(req, ['application/json'])) {
            throw new TicketOpsError('unsupported_media_type', 'Request bodies must be application/json');
          }
          throw new TicketOpsError('invalid_input', 'A JSON request body is required', { details: [{ pointer: '/body', message: 'is required' }] });
        }
        validate(checks.body, body, '/body');
      }
      const ip = proxyAddr(req, context.trustProxy);
      const scope = kernel.createScope({
        tenantId: principal?.tenantId ?? 'ten_default',
        actor: principal?.actor ?? { kind: 'user', userId: null, role: 'anonymous', permissions: new Set(), via: 'session' },
        requestId: request.requestId,
        pluginId,
        ip,
      });
      const key = req.headers['idempotency-key'];
      const idempotent = route.method === 'post' && typeof key === 'string' && principal && !route.rawBody
        ? await beginIdempotent(kernel.db, { tenantId: principal.tenantId, principal: principal.actor.userId ?? 'system', key, method: req.method ?? 'POST', path: request.path, body })
        : undefined;
      if (idempotent && 'replay' in idempotent) {
        res.setHeader('Idempotent-Replayed', 'true');
        return send(res, idempotent.replay);
      }
      let response: StoredResponse & { stream?: Readable };
      try {
        response = toResponse(await route.handler({ params: params as Record<string, string>, query, body, headers: req.headers, scope, ip, ...(route.rawBody ? { stream: req } : {}) }));
      } catch (error) {
        await idempotent?.abandon();
        throw error;
      }
      if (response.stream) return sendStream(req, res, response, response.stream);
      await idempotent?.finish(response);
      send(res, response);
    } catch (error) {
      context.fail(request, error);
    }
  };
}

/**
 * A route reading its own body may answer before reading it all (a 413 on an oversized upload):
 * then the connection is closed after the response instead of draining the rest of the body.
 */
function closeIfUnread(req: IncomingMessage, res: ServerResponse): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
    if (!req.complete && !req.destroyed) {
      this.setHeader('Connection', 'close');
      this.once('finish', () => req.socket?.end());
    }
    return writeHead.apply(this, args);
  } as ServerResponse['writeHead'];
}

function toResponse(result: unknown): StoredResponse & { stream?: Readable } {
  if (isRouteResponse(result) && result.stream) return { status: result.status ?? 200, headers: result.headers ?? {}, body: undefined, stream: result.stream };
  if (isRouteResponse(result)) return { status: result.status ?? (result.body === undefined ? 204 : 200), headers: result.headers ?? {}, body: result.body };
  return result === undefined ? { status: 204, headers: {}, body: undefined } : { status: 200, headers: {}, body: result };
}

/** Writes straight to node's response: express's `res.json` re-parses the content type on every call. */
function send(res: ServerResponse, response: StoredResponse): void {
  for (const name in response.headers) res.setHeader(name, response.headers[name] as string);
  res.statusCode = response.status;
  if (response.status === 204 || response.body === undefined) {
    res.end();
    return;
  }
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(response.body));
}

/** Pipes a streamed body (a download); HEAD gets the headers only. A client that goes away destroys the source. */
function sendStream(req: IncomingMessage, res: ServerResponse, response: StoredResponse, stream: Readable): void {
  for (const name in response.headers) res.setHeader(name, response.headers[name] as string);
  res.statusCode = response.status;
  if (req.method === 'HEAD') {
    stream.destroy();
    res.end();
    return;
  }
  res.once('close', () => stream.destroy());
  stream.once('error', () => res.destroy());
  stream.pipe(res);
}

function compile(ajv: Ajv, schema: object | undefined): Check | undefined {
  return schema ? (ajv.compile(schema) as Check) : undefined;
}

function validate(check: Check | undefined, value: unknown, pointer: string): void {
  if (!check || check(value)) return;
  const details = toDetails(check.errors, pointer);
  throw new TicketOpsError('invalid_input', `Invalid ${pointer.slice(1)}: ${details.map((d) => `${d.pointer} ${d.message}`).join('; ')}`, { details });
}
