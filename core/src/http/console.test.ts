import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '@ticketops/plugin-sdk';
import { CONSOLE_BASE, consoleDirectory, consolePanels, consoleRouter, pluginAdminAssets } from './console.ts';
import { sendProblem, toTicketOpsError } from './problem.ts';

const servers: Server[] = [];
let built: string;
let dir: string;
let pluginDir: string;
let withPlugin: string;

/** The console router inside a bare express app with the kernel's problem handler, on a free port. */
async function serve(consoleDir: string | null, plugins: { id: string; dir: string }[] = []): Promise<string> {
  const app = express();
  app.use(CONSOLE_BASE, consoleRouter(consoleDir, plugins));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    sendProblem(res, toTicketOpsError(error, pino({ level: 'silent' }), '1mb'), 'test');
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ticketops-console-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title><script type="module" src="/admin/assets/index-abc123.js"></script>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'export {};');
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  built = await serve(dir);
  pluginDir = mkdtempSync(join(tmpdir(), 'ticketops-plugin-admin-'));
  writeFileSync(join(pluginDir, 'panels.js'), 'customElements.define("to-hello-greeting", class extends HTMLElement {});');
  writeFileSync(join(pluginDir, '.env'), 'SECRET=1');
  withPlugin = await serve(dir, [{ id: 'hello', dir: pluginDir }]);
});
afterAll(() => {
  for (const server of servers) server.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(pluginDir, { recursive: true, force: true });
});

describe('console serving', () => {
  it('serves index.html at /admin and for deep links, revalidated on every load, with the console CSP', async () => {
    for (const path of ['/admin', '/admin/', '/admin/tickets', '/admin/tickets/tkt_01abc?q=x']) {
      const res = await fetch(`${built}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(await res.text()).toContain('<title>console</title>');
    }
  });

  it('caches hashed assets for a year and answers a missing one with a 404 problem, not the page', async () => {
    const asset = await fetch(`${built}/admin/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    const missing = await fetch(`${built}/admin/assets/index-gone.js`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const favicon = await fetch(`${built}/admin/favicon.svg`);
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get('cache-control')).toBe('no-cache');
  });

  it('refuses other methods and paths that leave the directory', async () => {
    expect((await fetch(`${built}/admin/tickets`, { method: 'POST' })).status).toBe(404);
    const res = await fetch(`${built}/admin/%2e%2e/%2e%2e/etc/passwd`);
    expect(await res.text()).not.toContain('root:');
  });

  it('answers 503 naming the build command when the console is not built', async () => {
    for (const missing of [join(dir, 'nope'), null]) {
      const url = await serve(missing);
      const res = await fetch(`${url}/admin/tickets`);
      expect(res.status).toBe(503);
      const problem = await res.json();
      expect(problem.code).toBe('unavailable');
      expect(problem.detail).toContain('npm run build --workspace admin-ui');
    }
  });

  it('finds the admin-ui workspace build by default', () => {
    expect(consoleDirectory()).toMatch(/admin-ui[\\/]dist$/);
    expect(consoleDirectory('/srv/console')).toBe('/srv/console');
  });

  it("serves an enabled plugin's admin files, revalidated, and a 404 problem for anything else under /admin/plugins", async () => {
    const res = await fetch(`${withPlugin}/admin/plugins/hello/panels.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('to-hello-greeting');
    for (const path of ['/admin/plugins/hello/missing.js', '/admin/plugins/sla/panels.js', '/admin/plugins/hello/.env', '/admin/plugins/hello/a%2f..%2f..%2fpanels.js']) {
      const missing = await fetch(`${withPlugin}${path}`);
      expect(missing.status, path).toBe(404);
      expect(missing.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
    }
    expect(await (await fetch(`${withPlugin}/admin/plugins/hello/%2e%2e/%2e%2e/%2e%2e/etc/passwd`)).text()).not.toContain('root:');
    // Without the plugin enabled, its files are not there at all.
    expect((await fetch(`${built}/admin/plugins/hello/panels.js`)).status).toBe(404);
  });

  it('lists the panels of enabled plugins for the user, in zone order, with their module URLs', () => {
    const hello = definePlugin({
      id: 'hello', version: '1.0.0', kernel: '^0.1.0',
      admin: {
        assets: new URL('file:///srv/hello/admin/'), module: 'panels.js',
        panels: [
          { element: 'to-hello-greeting', zone: 'ticket.sidebar', title: { en: 'Greeting', de: 'Gruß' } },
          { element: 'to-hello-secret', zone: 'ticket.sidebar', title: 'Secret', permission: 'hello.greetings.write', order: -1 },
          { element: 'to-hello-link', zone: 'nav.main', title: 'Hello' },
        ],
      },
    });
    const plain = definePlugin({ id: 'plain', version: '1.0.0', kernel: '^0.1.0' });
    const plugins = [{ definition: hello }, { definition: plain }];
    expect(pluginAdminAssets(plugins)).toEqual([{ id: 'hello', dir: '/srv/hello/admin/' }]);
    const all = consolePanels(plugins, () => true);
    expect(all.map((p) => `${p.zone} ${p.element}`)).toEqual(['nav.main to-hello-link', 'ticket.sidebar to-hello-secret', 'ticket.sidebar to-hello-greeting']);
    expect(all[2]).toEqual({ plugin: 'hello', element: 'to-hello-greeting', zone: 'ticket.sidebar', title: { en: 'Greeting', de: 'Gruß' }, order: 0, module: '/admin/plugins/hello/panels.js' });
    expect(all[0]!.title).toEqual({ en: 'Hello' });
    expect(consolePanels(plugins, () => false).map((p) => p.element)).toEqual(['to-hello-link', 'to-hello-greeting']);
  });
});
