import type { Express, NextFunction, Request, Response } from 'express';
import { type RouteDefinition, TicketOpsError, hasPermission, isRouteResponse } from '@ticketops/plugin-sdk';
import { authenticate } from '../auth/authenticate.ts';
import { type Ajv, createAjv, toDetails } from '../config/ajv.ts';
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

/** Mounts each route with, in order: authentication, permission, schema validation, a fresh scope. */
export function mountRoutes(app: Express, kernel: Kernel, routes: MountedRoute[]): void {
  const bodyAjv = createAjv({ useDefaults: true });
  // Path and query values arrive as strings; let the schema's types coerce them.
  const paramAjv = createAjv({ useDefaults: true, coerceTypes: true });
  for (const mounted of routes) {
    const { route } = mounted;
    const checks = {
      params: compile(paramAjv, route.schema?.params),
      query: compile(paramAjv, route.schema?.query),
      body: compile(bodyAjv, route.schema?.body),
    };
    const pluginId = mounted.owner === 'kernel' ? null : mounted.owner;
    app[route.method](mounted.path, async (req: Request, res: Response, next: NextFunction) => {
      try {
        const principal = route.permission === 'public' ? null : await authenticate(kernel, req as never);
        if (route.permission !== 'public') {
          if (!principal) throw new TicketOpsError('unauthenticated', 'Authentication is required: send a Bearer token or sign in');
          if (route.permission !== null && !hasPermission(principal.actor, route.permission)) {
            throw new TicketOpsError('forbidden', `This needs the "${route.permission}" permission`);
          }
        }
        const params = { ...req.params };
        const query = { ...(req.query as Record<string, unknown>) };
        validate(checks.params, params, '/params');
        validate(checks.query, query, '/query');
        // A body whose schema requires nothing may be left out entirely.
        const bodyOptional = !(route.schema?.body as { required?: string[] } | undefined)?.required?.length;
        const body: unknown = req.body === undefined && checks.body && bodyOptional && !req.headers['content-type'] ? {} : req.body;
        if (checks.body) {
          if (body === undefined) {
            if (req.headers['content-type'] && !req.is('application/json')) {
              throw new TicketOpsError('unsupported_media_type', 'Request bodies must be application/json');
            }
            throw new TicketOpsError('invalid_input', 'A JSON request body is required', { details: [{ pointer: '/body', message: 'is required' }] });
          }
          validate(checks.body, body, '/body');
        }
        const requestId = res.locals.requestId as string;
        const scope = kernel.createScope({
          tenantId: principal?.tenantId ?? 'ten_default',
          actor: principal?.actor ?? { kind: 'user', userId: null, role: 'anonymous', permissions: new Set(), via: 'session' },
          requestId,
          pluginId,
          ip: req.ip,
        });
        res.locals.principal = principal;
        const key = req.headers['idempotency-key'];
        const idempotent = route.method === 'post' && typeof key === 'string' && principal
          ? await beginIdempotent(kernel.db, { tenantId: principal.tenantId, principal: principal.actor.userId ?? 'system', key, method: req.method, path: req.path, body })
          : undefined;
        if (idempotent && 'replay' in idempotent) {
          res.setHeader('Idempotent-Replayed', 'true');
          return send(res, idempotent.replay);
        }
        let response: StoredResponse;
        try {
          response = toResponse(await route.handler({ params, query, body, headers: req.headers, scope, ip: req.ip ?? '' }));
        } catch (error) {
          await idempotent?.abandon();
          throw error;
        }
        await idempotent?.finish(response);
        send(res, response);
      } catch (error) {
        next(error);
      }
    });
  }
}

function toResponse(result: unknown): StoredResponse {
  if (isRouteResponse(result)) return { status: result.status ?? (result.body === undefined ? 204 : 200), headers: result.headers ?? {}, body: result.body };
  return result === undefined ? { status: 204, headers: {}, body: undefined } : { status: 200, headers: {}, body: result };
}

function send(res: Response, response: StoredResponse): void {
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  if (response.status === 204 || response.body === undefined) res.status(response.status).end();
  else res.status(response.status).json(response.body);
}

function compile(ajv: Ajv, schema: object | undefined): Check | undefined {
  return schema ? (ajv.compile(schema) as Check) : undefined;
}

function validate(check: Check | undefined, value: unknown, pointer: string): void {
  if (!check || check(value)) return;
  const details = toDetails(check.errors, pointer);
  throw new TicketOpsError('invalid_input', `Invalid ${pointer.slice(1)}: ${details.map((d) => `${d.pointer} ${d.message}`).join('; ')}`, { details });
}
