import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parse as parseCookies } from 'cookie';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { TicketOpsError, isTicketOpsError } from '@ticketops/plugin-sdk';
import type { Kernel } from '../kernel/kernel.ts';
import { assertNoForbiddenKeys } from './forbidden-keys.ts';
import { kernelRoutes } from './kernel-routes/index.ts';
import { httpDuration, registry } from './metrics.ts';
import { buildOpenApi } from './openapi.ts';
import { sendProblem } from './problem.ts';
import { collectRoutes, mountRoutes } from './routes.ts';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The HTTP surface: security headers, request ids, logs, JSON bodies, routes, docs, health, errors. */
export function createApp(kernel: Kernel): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Handlers set ETags where they mean something (ticket versions); hashing every JSON body costs CPU on every request.
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'simple');

  app.use((req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    const started = performance.now();
    res.on('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      httpDuration.observe({ method: req.method, route: req.route?.path ?? 'unmatched', status: res.statusCode }, seconds);
      // One short line per request, written only when its level is enabled; headers (and with
      // them credentials) are never logged.
      const level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
      if (kernel.logger.isLevelEnabled(level) && req.path !== '/healthz' && req.path !== '/metrics') {
        kernel.logger[level]({ reqId: id, method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round(seconds * 10_000) / 10, ip: req.ip }, 'request completed');
      }
    });
    next();
  });
  app.use(helmet({
    contentSecurityPolicy: {
      directives: { 'script-src': ["'self'"], 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:'], 'connect-src': ["'self'"] },
    },
  }));
  app.use((req, _res, next) => {
    (req as Request & { cookies: Record<string, string> }).cookies = req.headers.cookie ? (parseCookies(req.headers.cookie) as Record<string, string>) : {};
    next();
  });
  app.use(express.json({ limit: kernel.config.bodyLimit, type: ['application/json', 'application/*+json'] }));
  app.use((req, _res, next) => {
    if (req.body !== undefined) assertNoForbiddenKeys(req.body);
    next();
  });

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

  const routes = collectRoutes(kernel, kernelRoutes(kernel));
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
  mountRoutes(app, kernel, routes);

  app.use((req, _res, next) => {
    next(new TicketOpsError('not_found', `No route for ${req.method} ${req.path}`));
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const requestId = (res.locals.requestId as string) ?? 'unknown';
    if (res.headersSent) return;
    sendProblem(res, toTicketOpsError(error, req, kernel), requestId);
  });
  return app;
}

/** Maps body-parser and unexpected errors to the problem codes clients can act on. */
function toTicketOpsError(error: unknown, req: Request, kernel: Kernel): TicketOpsError {
  if (isTicketOpsError(error)) {
    if (error.code === 'rate_limited' && typeof error.extra.retryAfter === 'number') req.res?.setHeader('Retry-After', String(error.extra.retryAfter));
    if (error.code === 'hook_failed' || error.code === 'internal') kernel.logger.error({ err: error.cause ?? error }, error.message);
    return error;
  }
  const e = error as { type?: string; status?: number; message?: string };
  if (e?.type === 'entity.parse.failed') {
    return new TicketOpsError('invalid_input', `Malformed JSON body: ${e.message}`, { details: [{ pointer: '/body', message: 'is not valid JSON' }] });
  }
  if (e?.type === 'entity.too.large') {
    return new TicketOpsError('payload_too_large', `Request body exceeds the ${kernel.config.bodyLimit} limit`);
  }
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') {
    return new TicketOpsError('unsupported_media_type', e.message ?? 'Unsupported encoding');
  }
  kernel.logger.error({ err: error }, 'unhandled error');
  return new TicketOpsError('internal', 'An unexpected error occurred; the request id identifies it in the logs');
}
