import { rmSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '../../core/src/testing/index.ts';
import { buildConsole, launch, newContext, poll, signIn, watchedPage } from './console-browser.ts';

/**
 * The console as a Progressive Web App in Chromium: a manifest with installable icons, a service
 * worker that registers on the first visit and caches the shell (never an API answer), and the
 * shell loading again with the server gone.
 */
let node: TestKernel | null = null;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let built: string;
let url: string;
let agent: { id: string; email: string; password: string; token: string };
const problems: string[] = [];

beforeAll(async () => {
  built = buildConsole();
  node = await startTestKernel({ workers: false, config: { consoleDir: built } });
  url = node.url;
  agent = await node.createUser({ role: 'agent', name: 'Ana Agent', email: 'ana@example.test' });
  browser = await launch();
  context = await newContext(browser);
  page = await watchedPage(context, url, problems);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await node?.close();
  if (built) rmSync(built, { recursive: true, force: true });
});

describe('the console as a Progressive Web App', () => {
  it('links a web manifest with icons an installed app can use', async () => {
    await page.goto(`${url}/admin/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).toBe('/admin/manifest.webmanifest');
    const res = await fetch(`${url}${href}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    const manifest = await res.json();
    expect(manifest).toMatchObject({ name: 'TicketOps', start_url: '/admin/', scope: '/admin/', display: 'standalone' });
    const sizes = manifest.icons.map((icon: { sizes: string; purpose: string }) => `${icon.sizes} ${icon.purpose}`);
    expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
    for (const icon of manifest.icons) {
      const image = await fetch(`${url}${icon.src}`);
      expect(image.status, icon.src).toBe(200);
      expect(image.headers.get('content-type'), icon.src).toBe(icon.type === 'image/svg+xml' ? 'image/svg+xml' : 'image/png');
    }
    // What Chromium itself makes of it (the DevTools protocol's view of the manifest).
    const cdp = await context.newCDPSession(page);
    const { errors } = await cdp.send('Page.getAppManifest');
    expect(errors).toEqual([]);
  });

  it('registers its service worker on the first visit, which caches the shell', async () => {
    const registration = await page.evaluate(async () => {
      const ready = await navigator.serviceWorker.ready;
      return { scope: ready.scope, script: ready.active?.scriptURL };
    });
    expect(registration).toEqual({ scope: `${url}/admin/`, script: `${url}/admin/sw.js` });
    await poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const requests = (await Promise.all(names.map(async (name) => (await caches.open(name)).keys()))).flat();
      return { names, paths: requests.map((r) => new URL(r.url).pathname) };
    });
    expect(cached.names).toHaveLength(1);
    expect(cached.names[0]).toMatch(/^ticketops-shell-[0-9a-f]{16}$/);
    expect(cached.paths).toContain('/admin/');
    expect(cached.paths).toContain('/admin/manifest.webmanifest');
    // The entry script of the page is among them.
    const entry = await page.locator('script[type="module"]').getAttribute('src');
    expect(cached.paths).toContain(entry);
    // With manifest and service worker, Chromium finds nothing that stops installing the app — but
    // that a test's browser context is private ("incognito"), where nothing is ever installed.
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors.map((e) => e.errorId)).toEqual(['in-incognito']);
  });

  it('never caches API answers, signed in and working', async () => {
    await signIn(page, agent);
    await page.getByRole('heading', { name: 'Tickets', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    const paths = await page.evaluate(async () => {
      const requests = (await Promise.all((await caches.keys()).map(async (name) => (await caches.open(name)).keys()))).flat();
      return requests.map((r) => new URL(r.url).pathname);
    });
    expect(paths.filter((path) => !path.startsWith('/admin/'))).toEqual([]);
  });

  it('loads the shell with the server gone, says it is offline, and deep links still route', async () => {
    await node!.close();
    node = null;
    for (const path of ['/admin/tickets', '/admin/tickets/tkt_01offline']) {
      const response = await page.goto(`${url}${path}`);
      expect(response?.status(), path).toBe(200);
      expect(response?.fromServiceWorker(), path).toBe(true);
      await page.getByRole('alert').filter({ hasText: 'You are offline' }).waitFor();
      expect(await page.locator('to-app').evaluate((el) => el.shadowRoot !== null)).toBe(true);
      expect(new URL(page.url()).pathname).toBe(path);
    }
    expect(await page.getByRole('button', { name: 'Try again' }).isVisible()).toBe(true);
  });

  it('saw no script error or request to another origin', () => {
    // The 401 is `GET /auth/session` before signing in; with the server gone, Chromium logs each
    // refused API call as a failed resource load, and — when the signed-in page's stream tried to
    // reconnect before the next page load — each refused WebSocket connection to the stream.
    const expected = /status of 401|Failed to load resource: net::ERR_CONNECTION_REFUSED|WebSocket connection to 'ws:\/\/[^']+\/api\/v1\/stream' failed: .*ERR_CONNECTION_REFUSED/;
    expect(problems.filter((p) => !expected.test(p))).toEqual([]);
  });
});
