import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import { TicketOpsError } from '@ticketops/plugin-sdk';
import { securityHeaders } from './security-headers.ts';

/** Where the console is served; the Vite build uses the same base (`admin-ui/vite.config.ts`). */
export const CONSOLE_BASE = '/admin';

/**
 * The console's own policy: its scripts and styles come from this origin only, nothing inline, no
 * frames, no plugins. `connect-src` allows the API and the stream (same origin) and `data:`, which
 * Web Awesome's icon element fetches its built-in SVGs from.
 */
const setConsoleHeaders = securityHeaders({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      'default-src': ["'self'"],
      'base-uri': ["'self'"],
      'script-src': ["'self'"],
      'script-src-attr': ["'none'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'", 'data:'],
      'connect-src': ["'self'", 'data:'],
      'manifest-src': ["'self'"],
      'worker-src': ["'self'"],
      'object-src': ["'none'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
});

/** The built console: `config.consoleDir`, else the `dist/` of the `@ticketops/admin-ui` workspace. */
export function consoleDirectory(configured?: string): string | null {
  if (configured) return configured;
  try {
    return join(dirname(fileURLToPath(import.meta.resolve('@ticketops/admin-ui/package.json'))), 'dist');
  } catch {
    return null;
  }
}

/**
 * Serves the single-page console under `/admin`. Hashed files in `assets/` are cached for a year
 * (`immutable`); everything else, and `index.html` above all, is revalidated on every load, so a
 * new build is picked up at once. Any other path under `/admin` is a client-side route and gets
 * `index.html`; a missing file under `assets/` stays a 404. Without a build the answer is a 503
 * problem naming the command that makes one — checked per request, so building while the server
 * runs is enough.
 */
export function consoleRouter(dir: string | null): express.Router {
  const router = express.Router({ strict: false });
  const indexFile = dir ? join(dir, 'index.html') : null;

  router.use((_req: Request, res: Response, next: NextFunction) => {
    setConsoleHeaders(res);
    if (!indexFile || !existsSync(indexFile)) {
      next(
        new TicketOpsError(
          'unavailable',
          `The admin console is not built${dir ? ` (no ${indexFile})` : ' (the @ticketops/admin-ui package is not installed)'}; run "npm run build --workspace admin-ui" (npm install runs it too)`,
        ),
      );
      return;
    }
    next();
  });
  if (dir) {
    router.use(
      '/assets',
      express.static(join(dir, 'assets'), { index: false, redirect: false, immutable: true, maxAge: '365d' }),
      (req: Request, _res: Response, next: NextFunction) => {
        next(new TicketOpsError('not_found', `No console asset ${req.originalUrl.split('?')[0]}; reload the console`));
      },
    );
    router.use(
      express.static(dir, { index: false, redirect: false, cacheControl: false, setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') }),
    );
  }
  router.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      next(new TicketOpsError('not_found', `No route for ${req.method} ${req.originalUrl.split('?')[0]}`));
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexFile as string, { cacheControl: false }, (error) => {
      if (error && !res.headersSent) next(new TicketOpsError('unavailable', `The admin console could not be read: ${error.message}`));
    });
  });
  return router;
}
