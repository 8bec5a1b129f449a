import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '../../core/src/testing/index.ts';
import { helloPlugin } from '../../examples/hello-plugin/src/index.ts';
import { definePlugin } from '../../plugin-sdk/src/index.ts';
import { accessible, buildConsole, choose, launch, newContext, poll, root, screenshot, signIn, viteBuild, watchedPage } from './console-browser.ts';

/**
 * Plugin zones in Chromium: the example plugin (examples/hello-plugin) declares a panel for the
 * ticket sidebar; its admin module, built from its sources like the console, is served by the core
 * and imported by the console only when a ticket detail — the one zone with a panel — is shown.
 * (test/e2e/console.test.ts runs the whole console with no plugin enabled and checks that nothing
 * under /admin/plugins/ is ever asked for.)
 */
let node: TestKernel;
let browser: Browser;
let page: Page;
let built: string;
let pluginBuilt: string;
let agent: { id: string; email: string; password: string; token: string };
const tickets: Record<string, string> = {};
const problems: string[] = [];
/** Every request for a plugin's admin files. */
const pluginRequests: string[] = [];

beforeAll(async () => {
  built = buildConsole();
  pluginBuilt = viteBuild(join(root, 'examples/hello-plugin'), 'ticketops-hello-admin-', 'vite.admin.config.ts');
  // The example plugin as published, but with its admin module from this scratch build.
  const hello = definePlugin({ ...helloPlugin, admin: { ...helloPlugin.admin!, assets: pluginBuilt } });
  node = await startTestKernel({ workers: false, plugins: [{ definition: hello, config: { greeting: 'Howdy' } }], config: { consoleDir: built } });
  agent = await node.createUser({ role: 'agent', name: 'Ana Agent', email: 'ana@example.test' });
  for (const [key, title] of [['printer', 'Printer on the third floor'], ['vpn', 'VPN drops every hour']] as const) {
    const res = await node.request('POST', '/api/v1/tickets', { token: agent.token, body: { title, requester: { email: 'carla@example.test', name: 'Carla Customer' } } });
    expect(res.status).toBe(201);
    tickets[key] = res.body.id;
  }
  browser = await launch();
  page = await watchedPage(await newContext(browser), node.url, problems);
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/admin/plugins/')) pluginRequests.push(new URL(request.url()).pathname);
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await node?.close();
  for (const dir of [built, pluginBuilt]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('plugin panels in the console zones', () => {
  it('lists the enabled plugin panels for the user through the API', async () => {
    const res = await node.request('GET', '/api/v1/console/panels', { token: agent.token });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { plugin: 'hello', element: 'to-hello-greeting', zone: 'ticket.sidebar', title: { en: 'Greeting', de: 'Begrüßung' }, order: 0, module: '/admin/plugins/hello/panels.js' },
    ]);
    // A customer lacks the panel's permission, so the panel (and its module) is not theirs.
    const customer = await node.createUser({ role: 'customer' });
    expect((await node.request('GET', '/api/v1/console/panels', { token: customer.token })).body.items).toEqual([]);
  });

  it('loads nothing of the plugin while no zone with its panel is shown', async () => {
    await page.goto(`${node.url}/admin/tickets`);
    await signIn(page, agent);
    await poll(() => page.locator('to-ticket-table tbody tr').count()).toBe(2);
    await page.locator('to-ticket-list-page[data-live]').waitFor();
    for (const link of ['Dashboard', 'Settings']) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
      await page.getByRole('heading', { name: link, level: 1 }).waitFor();
    }
    await page.getByText('No enabled plugin has settings to show here.').waitFor();
    expect(pluginRequests).toEqual([]);
  });

  it("imports the plugin's module when the ticket detail opens, and shows its panel in the sidebar", async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tickets' }).click();
    await page.getByRole('link', { name: 'Printer on the third floor' }).click();
    await page.getByRole('heading', { name: /Printer on the third floor/ }).waitFor();
    const panel = page.locator('to-zone[zone="ticket.sidebar"] section[data-panel="to-hello-greeting"]');
    await panel.getByRole('heading', { name: 'Greeting' }).waitFor();
    expect(pluginRequests).toEqual(['/admin/plugins/hello/panels.js']);

    // The panel works with the console's API client, session and strings.
    await panel.getByRole('button', { name: 'Send greeting' }).click();
    await poll(() => panel.getByRole('status').textContent()).toBe('Sent: Howdy, Carla Customer!');
    expect((await node.request('GET', '/api/v1/hello/greetings', { token: agent.token })).body.items[0].message).toBe('Howdy, Carla Customer!');
    await accessible(page, 'detail with a plugin panel');
    await screenshot(page, 'detail-plugin-panel');

    // Its strings follow the console's language, like the console's own.
    await choose(page.getByRole('banner').locator('to-language-switch wa-select'), 'Deutsch');
    await panel.getByRole('heading', { name: 'Begrüßung' }).waitFor();
    await panel.getByRole('button', { name: 'Gruß senden' }).waitFor();
    await choose(page.getByRole('banner').locator('to-language-switch wa-select'), 'English');
    await panel.getByRole('heading', { name: 'Greeting' }).waitFor();
  });

  it('imports the module once: another ticket reuses it, with that ticket in the panel', async () => {
    await page.getByRole('link', { name: 'Tickets', exact: true }).first().click();
    await page.getByRole('link', { name: 'VPN drops every hour' }).click();
    const panel = page.locator('to-zone[zone="ticket.sidebar"] section[data-panel="to-hello-greeting"]');
    const number = (await node.request('GET', `/api/v1/tickets/${tickets.vpn}`, { token: agent.token })).body.number;
    await panel.getByText(`Send the requester of ticket #${number} a greeting`).waitFor();
    expect(pluginRequests).toEqual(['/admin/plugins/hello/panels.js']);
  });

  it('answers a plugin page no panel claims with the console\'s not-found page, loading nothing more', async () => {
    const before = pluginRequests.length;
    await page.goto(`${node.url}/admin/p/hello/nothing-here`);
    await page.getByText('This page does not exist.').waitFor();
    await page.goto(`${node.url}/admin/p/not-enabled/articles/kba_1`);
    await page.getByText('This page does not exist.').waitFor();
    expect(pluginRequests.slice(before)).toEqual([]);
  });

  it('saw no script error, CSP violation or request to another origin', () => {
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
  });
});
