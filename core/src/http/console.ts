import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ADMIN_ZONES, type AdminPanelDescriptor, type PluginDefinition, type RouteDefinition, TicketOpsError, defineRoute, hasPermission } from '@ticketops/plugin-sdk';
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
 * runs is enough. `plugins` are the enabled plugins' admin directories, served at
 * `/admin/plugins/<id>/` (revalidated; anything else under `/admin/plugins/` is a 404 problem).
 */
export function consoleRouter(dir: string | null, plugins: PluginAdminAssets[] = []): express.Router {
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
    // Each enabled plugin's built admin files. Their names carry no hash, so they are revalidated
    // (ETag) on every load; a missing file is a 404 problem, and so is any plugin not enabled.
    for (const plugin of plugins) {
      router.use(
        `/plugins/${plugin.id}`,
        express.static(plugin.dir, { index: false, redirect: false, dotfiles: 'ignore', cacheControl: false, setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') }),
      );
    }
    router.use('/plugins', (req: Request, _res: Response, next: NextFunction) => {
      next(new TicketOpsError('not_found', `No plugin admin file ${req.originalUrl.split('?')[0]} (is the plugin enabled and its admin module built?)`));
    });
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

/** Where the customer portal is served (`docs/portal.md`). */
export const PORTAL_BASE = '/portal';

/**
 * Serves the customer portal: `portal.html` of the console's build for `/portal/` and every path
 * under it (client-side routes), revalidated on every load, under the console's CSP. Its scripts
 * and styles are the build's hashed files under `/admin/assets/`, and plugin panels load from
 * `/admin/plugins/<id>/`, both served by `consoleRouter`. `/portal` redirects to `/portal/` (the
 * page's base); without a build the answer is the console's 503 problem.
 */
export function portalRouter(dir: string | null): express.Router {
  const router = express.Router({ strict: false });
  const page = dir ? join(dir, 'portal.html') : null;
  router.use((req: Request, res: Response, next: NextFunction) => {
    setConsoleHeaders(res);
    if (!page || !existsSync(page)) {
      next(new TicketOpsError('unavailable', `The customer portal is not built${page ? ` (no ${page})` : ''}; run "npm run build --workspace admin-ui" (npm install runs it too)`));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      next(new TicketOpsError('not_found', `No route for ${req.method} ${req.originalUrl.split('?')[0]}`));
      return;
    }
    const [path, query] = req.originalUrl.split('?');
    if (path === PORTAL_BASE) {
      res.redirect(301, `${PORTAL_BASE}/${query === undefined ? '' : `?${query}`}`);
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(page, { cacheControl: false }, (error) => {
      if (error && !res.headersSent) next(new TicketOpsError('unavailable', `The customer portal could not be read: ${error.message}`));
    });
  });
  return router;
}

/** Where an enabled plugin's built admin files are, served at `/admin/plugins/<id>/`. */
export interface PluginAdminAssets {
  id: string;
  dir: string;
}

type WithAdmin = Pick<PluginDefinition<any>, 'id' | 'admin'>;

export function pluginAdminAssets(plugins: { definition: WithAdmin }[]): PluginAdminAssets[] {
  return plugins.flatMap(({ definition }) => {
    const assets = definition.admin?.assets;
    if (!assets) return [];
    return [{ id: definition.id, dir: assets instanceof URL || assets.startsWith('file:') ? fileURLToPath(assets) : assets }];
  });
}

/**
 * The panels of the enabled plugins that this actor may see, in zone order: what the console
 * mounts, and the module URL it imports when a zone first shows one of them.
 */
export function consolePanels(plugins: { definition: WithAdmin }[], may: (permission: string) => boolean): AdminPanelDescriptor[] {
  const panels: AdminPanelDescriptor[] = [];
  for (const { definition } of plugins) {
    const admin = definition.admin;
    if (!admin) continue;
    for (const panel of admin.panels) {
      if (panel.permission && !may(panel.permission)) continue;
      panels.push({
        plugin: definition.id,
        element: panel.element,
        zone: panel.zone,
        title: typeof panel.title === 'string' ? { en: panel.title } : { ...panel.title },
        order: panel.order ?? 0,
        module: `${CONSOLE_BASE}/plugins/${definition.id}/${admin.module}`,
        ...(panel.path ? { path: panel.path } : {}),
      });
    }
  }
  return panels.sort((a, b) => a.zone.localeCompare(b.zone) || a.order - b.order || a.plugin.localeCompare(b.plugin));
}

/** `GET /api/v1/console/panels`: the console's plugin panels for the signed-in user. */
export const consoleRoutes = (plugins: { definition: WithAdmin }[]): RouteDefinition[] => [
  defineRoute({
    method: 'get',
    path: '/console/panels',
    summary: 'Admin console panels of the enabled plugins, for the signed-in user',
    description:
      'Each panel is a custom element (`to-<plugin>-…`) defined by its plugin\'s admin module, mounted by the console or the customer portal in a zone (`ticket.sidebar`, `ticket.toolbar`, `settings.section`, `nav.main`, `dashboard.widget`, `ticket.composer`, `comment.attachments`, `page` — at `/admin/p/<plugin>/<path>` —, `portal.home`, `portal.composer`, `portal.message.attachments`). Panels needing a permission the user lacks are left out; plugins that are not enabled contribute nothing.',
    tags: ['console'],
    permission: null,
    schema: {
      response: {
        200: {
          type: 'object',
          required: ['items'],
          properties: {
            items: {
              type: 'array',
              items: {
                type: 'object',
                required: ['plugin', 'element', 'zone', 'title', 'order', 'module'],
                properties: {
                  plugin: { type: 'string' },
                  element: { type: 'string' },
                  zone: { type: 'string', enum: [...ADMIN_ZONES] },
                  title: { type: 'object', required: ['en'], additionalProperties: { type: 'string' } },
                  order: { type: 'number' },
                  module: { type: 'string' },
                  path: { type: 'string', description: 'Zone `page`: the page is at `/admin/p/<plugin>/<path>`' },
                },
              },
            },
          },
        },
      },
    },
    async handler({ scope }) {
      return { items: consolePanels(plugins, (permission) => hasPermission(scope.actor, permission)) };
    },
  }),
];
