import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parse as parseCookies } from 'cookie';
import express, { type NextFunction, type Request, type Response } from 'express';
import { TicketOpsError, isTicketOpsError } from '@ticketops/plugin-sdk';
import type { Kernel } from '../kernel/kernel.ts';
import { CONSOLE_BASE, PORTAL_BASE, consoleDirectory, consoleRouter, pluginAdminAssets, portalRouter } from './console.ts';
import { kernelRoutes } from './kernel-routes/index.ts';
import { httpDuration, registry } from './metrics.ts';
import { buildOpenApi } from './openapi.ts';
import { sendProblem, toTicketOpsError } from './problem.ts';
import { type ApiRequest, type MountedRoute, collectRoutes, createApiRouter } from './routes.ts';
import { apiSecurityHeaders, securityHeaders } from './security-headers.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The HTTP surface. Every request gets a request id, the security headers, a log line and a latency
 * sample here; API routes then go to the API's own dispatcher, and the rest (health, metrics, API
 * reference) to a small express app. The API is the hot path, so it does not pay for express's
 * middleware chain and request decoration.
 */
export function createApp(kernel: Kernel): RequestListener {
  const routes = collectRoutes(kernel, kernelRoutes(kernel));
  const fail = (request: ApiRequest, error: unknown) => {
    if (request.res.headersSent) {
      request.res.destroy();
      return;
    }
    sendProblem(request.res, toTicketOpsError(error, kernel.logger, kernel.config.bodyLimit), request.requestId);
  };
  const api = createApiRouter(kernel, routes, fail);
  const web = createWebApp(kernel, routes);
  const setSecurityHeaders = securityHeaders({
    contentSecurityPolicy: {
      directives: { 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'], 'connect-src': ["'self'"] },
    },
  });

  return (req: IncomingMessage & { cookies?: Record<string, string> }, res: ServerResponse & { locals?: Record<string, unknown> }) => {
    const incoming = req.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    req.cookies = req.headers.cookie ? (parseCookies(req.headers.cookie) as Record<string, string>) : {};
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const found = url.startsWith('/') ? api.find(req.method ?? 'GET', path) : null;
    if (found) apiSecurityHeaders(res);
    else setSecurityHeaders(res);
    const started = performance.now();
    res.on('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      const route = found?.path ?? (req as Request).route?.path ?? 'unmatched';
      httpDuration.observe({ method: req.method, route, status: res.statusCode }, seconds);
      // One short line per request, written only when its level is enabled; headers (and with
      // them credentials) are never logged.
      const level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
      if (kernel.logger.isLevelEnabled(level) && path !== '/healthz' && path !== '/metrics') {
        kernel.logger[level]({ reqId: requestId, method: req.method, url, status: res.statusCode, ms: Math.round(seconds * 10_000) / 10, ip: req.socket.remoteAddress }, 'request completed');
      }
    });
    if (found) {
      void found.run({ req, res, requestId, path, search: q < 0 ? '' : url.slice(q + 1) });
      return;
    }
    res.locals = { requestId };
    web(req, res);
  };
}

/** Health, readiness, metrics, the OpenAPI document and its rendered reference, the console, and the 404 answer. */
function createWebApp(kernel: Kernel, routes: MountedRoute[]): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'simple');

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res, next) => {
    try {
      await kernel.db.query('select 1');
      const pending = await kernel.pendingMigrations();
      if (pending.length > 0) throw new TicketOpsError('unavailable', `${pending.length} migrations are not applied; run "ticketops migrate"`, { extra: { pending } });
      res.json({ status: 'ready', database: kernel.db.mode });
    } catch (error) {
      next(isTicketOpsError(error) ? error : new TicketOpsError('unavailable', `Database is not reachable: ${(error as Error).message}`));
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });

  const openapi = buildOpenApi(routes);
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  // The API reference is served from our own origin: no CDN, works offline.
  const scalarBundle = fileURLToPath(new URL('./browser/standalone.js', import.meta.resolve('@scalar/api-reference')));
  app.get('/api/docs/scalar.js', (_req, res) => {
    res.sendFile(scalarBundle, { maxAge: '1d' });
  });
  app.get('/api/docs', (_req, res) => {
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>TicketOps API</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<script id="api-reference" data-url="/api/v1/openapi.json" data-configuration='{"withDefaultFonts":false,"hideClientButton":true}'></script>
<script src="/api/docs/scalar.js"></script></body></html>`);
  });
  // The admin console (admin-ui/dist) and the enabled plugins' admin files, with the console's own cache and content-security headers.
  app.use(CONSOLE_BASE, consoleRouter(consoleDirectory(kernel.config.consoleDir), pluginAdminAssets(kernel.plugins)));
  // The customer portal: its own page of the same build, same headers (docs/portal.md).
  app.use(PORTAL_BASE, portalRouter(consoleDirectory(kernel.config.consoleDir)));
  app.get('/', (_req, res) => {
    res.redirect(302, `${CONSOLE_BASE}/`);
  });
  app.use((req, _res, next) => {
    next(new TicketOpsError('not_found', `No route for ${req.method} ${req.path}`));
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const requestId = (res.locals.requestId as string) ?? 'unknown';
    if (res.headersSent) return;
    sendProblem(res, toTicketOpsError(error, kernel.logger, kernel.config.bodyLimit), requestId);
  });
  return app;
}
