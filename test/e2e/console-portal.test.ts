import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '../../core/src/testing/index.ts';
import { definePlugin } from '../../plugin-sdk/src/index.ts';
import { attachmentsPlugin } from '../../plugins/attachments/src/index.ts';
import { textImage } from '../../plugins/attachments/src/testing/images.ts';
import { buildConsole, launch, newContext, poll, root, screenshot, viteBuild, watchedPage } from './console-browser.ts';
import { bothThemes, dropFile, fitsWidth, signInToPortal } from './console-portal-browser.ts';

/**
 * The customer portal at /portal, in Chromium against a real server on PostgreSQL with the
 * attachments plugin enabled (disk storage in a temp directory; its admin module built from its
 * sources) and the console built from its sources: a customer signs in, sees only their own
 * requests (open/closed, search), opens a request with a file dropped onto the form (progress to
 * done, then listed under the message as a thumbnail), replies with a file, sees a support reply
 * arrive live but never an internal note, cannot open another customer's request, and gets the
 * sign-in form back when the session ends. axe-core on every page in light and dark; a phone width;
 * German. The portal loads none of the console's own code.
 */
let node: TestKernel;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let built: string;
let pluginBuilt: string;
let storage: string;
let ana: { id: string; email: string; password: string; token: string };
let carla: { id: string; email: string; password: string; token: string };
let dave: { id: string; email: string; password: string; token: string };
const tickets: Record<string, string> = {};
const problems: string[] = [];
const requested: string[] = [];
let screenPng: Buffer;

const asAgent = (method: string, path: string, body?: unknown) => node.request(method, path, { token: ana.token, body });
const message = (id: string) => page.locator(`article[data-message="${id}"]`);

/**
 * A plugin with two `portal.home` panels, its module written by hand (plain JavaScript importing the
 * console's `/admin/plugin-api.js`, as a built module does): one for everyone, which reads the API
 * client and the session from the shared contexts and adds its own strings, and one needing
 * `tickets.read.all` that a customer must not get.
 */
function faqPlugin(dir: string) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'panels.js'),
    `import { ContextConsumer, I18nController, LitElement, addStrings, apiContext, html, sessionContext, t } from '/admin/plugin-api.js';
addStrings('faq', { en: { hello: 'Articles for {{name}}' }, de: { hello: 'Artikel für {{name}}' } });
customElements.define('to-faq-search', class extends LitElement {
  static properties = { panel: { attribute: false }, me: { state: true } };
  #api = new ContextConsumer(this, { context: apiContext });
  #session = new ContextConsumer(this, { context: sessionContext });
  constructor() { super(); new I18nController(this); }
  connectedCallback() { super.connectedCallback(); this.#api.value.me().then((me) => { this.me = me; }); }
  render() {
    return html\`<p data-faq data-zone=\${this.panel?.zone} data-session=\${this.#session.value?.email ?? ''}>\${this.me ? t('faq:hello', { name: this.me.name }) : ''}</p>\`;
  }
});
customElements.define('to-faq-staff', class extends LitElement { render() { return html\`<p data-faq-staff>staff</p>\`; } });
`,
  );
  return definePlugin({
    id: 'faq',
    version: '1.0.0',
    kernel: '^0.1.0',
    admin: {
      assets: dir,
      module: 'panels.js',
      panels: [
        { element: 'to-faq-search', zone: 'portal.home', title: { en: 'Help articles', de: 'Hilfeartikel' } },
        { element: 'to-faq-staff', zone: 'portal.home', title: 'Staff only', permission: 'tickets.read.all' },
      ],
    },
  });
}

beforeAll(async () => {
  built = buildConsole();
  pluginBuilt = viteBuild(join(root, 'plugins/attachments'), 'ticketops-attachments-admin-', 'vite.admin.config.ts');
  storage = mkdtempSync(join(tmpdir(), 'ticketops-portal-'));
  screenPng = await textImage('Error 41: paper jam in tray 2');
  // No clamd here: `flag` keeps files as "unscanned" (the console test covers scanning).
  const plugin = definePlugin({ ...attachmentsPlugin, admin: { ...attachmentsPlugin.admin!, assets: pluginBuilt } });
  const config = { storage: { driver: 'disk', dir: join(storage, 'blobs') }, limits: { maxFileBytes: 200_000 }, scanner: { driver: 'clamav', socket: join(storage, 'no-clamd.sock'), whenUnavailable: 'flag' } };
  node = await startTestKernel({ plugins: [{ definition: plugin, config }, { definition: faqPlugin(join(storage, 'faq')), config: {} }], config: { consoleDir: built } });
  ana = await node.createUser({ role: 'agent', name: 'Ana Agent', email: 'ana@example.test' });
  carla = await node.createUser({ role: 'customer', name: 'Carla Customer', email: 'carla@example.test' });
  dave = await node.createUser({ role: 'customer', name: 'Dave Other', email: 'dave@example.test' });
  for (const [key, title, requester] of [
    ['printer', 'Printer shows error 41', carla.id],
    ['laptop', 'New laptop for onboarding', carla.id],
    ['vpn', 'VPN drops every hour', dave.id],
  ] as const) {
    const res = await asAgent('POST', '/api/v1/tickets', { title, description: `About: ${title}`, requester });
    expect(res.status).toBe(201);
    tickets[key] = res.body.id;
  }
  expect((await asAgent('PATCH', `/api/v1/tickets/${tickets.laptop}`, { status: 'solved', version: 1 })).status).toBe(200);
  browser = await launch();
  context = await newContext(browser);
  page = await watchedPage(context, node.url, problems);
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  await page.goto(`${node.url}/portal/requests`);
  await signInToPortal(page, carla);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await node?.close();
  for (const dir of [built, pluginBuilt, storage]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('customer portal', () => {
  it('is served at /portal under the console CSP, deep links included, and loads none of the console code', async () => {
    const deep = await fetch(`${node.url}/portal/requests/${tickets.printer}`);
    expect(deep.status).toBe(200);
    expect(deep.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(deep.headers.get('cache-control')).toBe('no-cache');
    expect(await deep.text()).toContain('<to-portal>');
    const bare = await fetch(`${node.url}/portal`, { redirect: 'manual' });
    expect([bare.status, bare.headers.get('location')]).toEqual([301, '/portal/']);
    expect((await fetch(`${node.url}/portal/`, { method: 'POST' })).status).toBe(404);
    // The console's service worker precaches the console, not the portal's page or its own chunks.
    const worker = await (await fetch(`${node.url}/admin/sw.js`)).text();
    expect(worker).toContain('/admin/assets/index-');
    expect(worker).not.toMatch(/portal/);

    // The page signed in and drew the list; nothing of the console's shell or pages came along.
    await page.locator('to-portal-requests [data-ticket]').first().waitFor();
    const scripts = requested.filter((path) => path.endsWith('.js'));
    expect(scripts.some((path) => path.includes('/assets/portal-'))).toBe(true);
    expect(scripts.filter((path) => /\/assets\/(index|app-root|app-shell|ticket-|dashboard|settings)[-.]/.test(path))).toEqual([]);
    // From /admin only the shared build files, plugin panels and the icon: never the console's page or service worker.
    const shared = /^\/admin\/(assets\/|plugins\/|plugin-api\.js$|favicon\.svg$)/;
    expect(requested.filter((path) => path.startsWith('/admin/') && !shared.test(path))).toEqual([]);
    // Before signing in, the page asks for a session and gets the API's 401, which Chromium logs.
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
  });

  it("lists only the customer's own requests, open or closed, and searches them", async () => {
    const list = page.locator('to-portal-requests');
    await poll(() => list.locator('[data-ticket]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-ticket')))).toEqual([tickets.printer]);
    await list.getByRole('link', { name: 'Closed', exact: true }).click();
    await poll(() => list.locator('[data-ticket]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-ticket')))).toEqual([tickets.laptop]);
    expect(await list.locator(`[data-ticket="${tickets.laptop}"] .status`).textContent()).toBe('Solved');
    await list.getByRole('link', { name: 'All', exact: true }).click();
    await poll(() => list.locator('[data-ticket]').count()).toBe(2);
    expect(page.url()).toContain('show=all');

    await list.getByLabel('Search your requests').fill('laptop');
    await list.getByRole('button', { name: 'Search' }).click();
    await poll(() => list.locator('[data-ticket]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-ticket')))).toEqual([tickets.laptop]);
    // Another customer's request is not found by its words either.
    await list.getByLabel('Search your requests').fill('VPN');
    await list.getByRole('button', { name: 'Search' }).click();
    await list.locator('[data-empty]').waitFor();
    expect(await list.locator('[data-ticket]').count()).toBe(0);
    await bothThemes(page, 'requests');
  });

  it('opens a request with a file dropped onto the form: progress to done, then the file under the message as a thumbnail', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'New request' }).click();
    const form = page.locator('to-portal-new-request form');
    await form.getByLabel('Subject').fill('Scanner makes a noise');
    await form.getByLabel('Description').fill('It grinds when it starts. Photo attached.');
    await form.locator('to-attachments-composer').getByRole('button', { name: 'Attach files' }).waitFor();
    await bothThemes(page, 'new-request');

    await dropFile(page, form, { name: 'noise.png', mimeType: 'image/png', buffer: screenPng });
    const item = form.locator('to-attachments-composer li[data-file="noise.png"]');
    await item.and(page.locator('[data-state="done"]')).waitFor();
    // The progress came from the upload's own progress events.
    expect(await item.getAttribute('data-progress')).toBe('100');
    // The portal shows messages as plain text: nothing to insert into the description.
    expect(await item.getByRole('button', { name: /Insert/ }).count()).toBe(0);

    await form.getByRole('button', { name: 'Submit request' }).click();
    const heading = page.locator('to-portal-request h1');
    await poll(() => heading.textContent()).toMatch(/^Request #\d+: Scanner makes a noise$/);
    const id = new URL(page.url()).pathname.split('/').at(-1)!;
    tickets.scanner = id;
    const created = (await asAgent('GET', `/api/v1/tickets/${id}`)).body;
    expect([created.requesterId, created.channel, created.description]).toEqual([carla.id, 'portal', 'It grinds when it starts. Photo attached.']);
    // The file is on the ticket itself (the description is not a comment), listed under the description.
    const files = (await asAgent('GET', `/api/v1/attachments?ticketId=${id}`)).body.items;
    expect(files.map((f: any) => [f.name, f.commentId])).toEqual([['noise.png', null]]);
    const thumbnail = message(id).locator(`li[data-attachment="${files[0].id}"] img`);
    await thumbnail.waitFor();
    expect(await thumbnail.getAttribute('src')).toBe(`/api/v1/attachments/${files[0].id}/thumbnail?size=64`);
    await poll(() => thumbnail.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBeGreaterThan(0);
    expect(await message(id).getByRole('link', { name: /Download noise\.png/ }).count()).toBe(1);
  });

  it("replies with a file; the support team's public reply arrives live, an internal note never", async () => {
    const id = tickets.scanner!;
    await page.locator('to-portal-request[data-live]').waitFor();
    const reply = page.locator('to-portal-reply-form form');
    await reply.getByLabel('Message').fill('Here is the log as well.');
    await reply.locator('to-attachments-composer input[type=file]').setInputFiles({ name: 'scanner.log', mimeType: 'text/plain', buffer: Buffer.from('motor stall at 00:12\n'.repeat(200)) });
    await reply.locator('to-attachments-composer li[data-file="scanner.log"][data-state="done"]').waitFor();
    await reply.getByRole('button', { name: 'Send reply' }).click();
    await reply.getByText('Your reply was sent.').waitFor();

    const comments = (await asAgent('GET', `/api/v1/tickets/${id}/comments`)).body.items;
    expect(comments.map((c: any) => [c.body, c.internal, c.authorId])).toEqual([['Here is the log as well.', false, carla.id]]);
    const log = (await asAgent('GET', `/api/v1/attachments?ticketId=${id}`)).body.items.find((f: any) => f.name === 'scanner.log');
    expect(log.commentId).toBe(comments[0].id);
    await message(comments[0].id).locator(`li[data-attachment="${log.id}"]`).waitFor();
    expect(await message(comments[0].id).locator('h3').textContent()).toMatch(/^You, /);

    // The note is written first, then the reply: had the note been sent to the customer, it would be here before the reply.
    expect((await asAgent('POST', `/api/v1/tickets/${id}/comments`, { body: 'Internal: probably the roller, order a spare.', internal: true })).status).toBe(201);
    expect((await asAgent('POST', `/api/v1/tickets/${id}/comments`, { body: 'Thanks! A technician comes tomorrow.' })).status).toBe(201);
    await page.getByText('Thanks! A technician comes tomorrow.').waitFor();
    expect(await page.getByText('order a spare').count()).toBe(0);
    expect(await page.locator('article[data-message]').count()).toBe(3);
    await bothThemes(page, 'request');

    // After a reload, from the API: the same public conversation, and the note is not in what the customer may read.
    const own = (await node.request('GET', `/api/v1/tickets/${id}/comments`, { token: carla.token })).body.items;
    expect(own.map((c: any) => c.body)).toEqual(['Here is the log as well.', 'Thanks! A technician comes tomorrow.']);
    await page.reload();
    await page.getByText('Thanks! A technician comes tomorrow.').waitFor();
    expect(await page.getByText('order a spare').count()).toBe(0);
    expect(await message(own[1].id).locator('h3').textContent()).toMatch(/^Support team, /);
  });

  it('marks the request solved, and a later reply opens it again (seen live from the stream)', async () => {
    const id = tickets.scanner!;
    await page.goto(`${node.url}/portal/requests/${id}`);
    await page.locator('to-portal-request[data-live]').waitFor();
    await page.getByRole('button', { name: 'Mark as solved' }).click();
    await page.locator('[data-said]').filter({ hasText: 'Marked as solved. Thank you!' }).waitFor();
    expect(await page.locator('to-portal-request .facts [data-status]').getAttribute('data-category')).toBe('solved');
    expect((await asAgent('GET', `/api/v1/tickets/${id}`)).body.statusCategory).toBe('solved');
    await page.locator('[data-solved]').waitFor();
    expect(await page.getByRole('button', { name: 'Mark as solved' }).count()).toBe(0);

    const reply = page.locator('to-portal-reply-form form');
    await reply.getByLabel('Message').fill('Sorry, it jams again.');
    await reply.getByRole('button', { name: 'Send reply' }).click();
    await reply.getByText('Your reply was sent.').waitFor();
    await poll(() => page.locator('to-portal-request .facts [data-status]').getAttribute('data-category')).toBe('open');
    expect((await asAgent('GET', `/api/v1/tickets/${id}`)).body.status).toBe('open');
    await page.getByRole('button', { name: 'Mark as solved' }).waitFor();
  });

  it("shows another customer's request as not found, like an unknown one", async () => {
    await page.goto(`${node.url}/portal/requests/${tickets.vpn}`);
    await page.getByRole('heading', { name: 'Request not found' }).waitFor();
    expect(await page.getByText('VPN drops every hour').count()).toBe(0);
    await bothThemes(page, 'not-found');
    await page.goto(`${node.url}/portal/requests/tkt_doesnotexist0`);
    await page.getByRole('heading', { name: 'Request not found' }).waitFor();
    await page.goto(`${node.url}/portal/nothing-here`);
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  });

  it("shows the portal.home zone's panels the customer may see, with the portal's API client, session and strings", async () => {
    await page.goto(`${node.url}/portal/`);
    await page.locator('to-portal-home [data-ticket]').first().waitFor();
    const section = page.getByRole('region', { name: 'Help articles' });
    await section.getByText('Articles for Carla Customer').waitFor();
    expect(await section.locator('[data-faq]').getAttribute('data-zone')).toBe('portal.home');
    expect(await section.locator('[data-faq]').getAttribute('data-session')).toBe(carla.email);
    expect(await page.locator('[data-faq-staff]').count()).toBe(0);
    const panels = (await node.request('GET', '/api/v1/console/panels', { token: carla.token })).body.items;
    expect(panels.map((p: any) => `${p.zone} ${p.element}`).sort()).toEqual([
      'portal.composer to-attachments-composer',
      'portal.home to-faq-search',
      'portal.message.attachments to-attachments-comment',
      'ticket.composer to-attachments-composer',
      'comment.attachments to-attachments-comment',
    ].sort());
    await bothThemes(page, 'home');
  });

  it("lists the organization's requests when it shares them, marked as a colleague's, and opens them", async () => {
    const admin = await node.createUser({ role: 'admin', name: 'Ada Admin', email: 'ada@example.test' });
    const erin = await node.createUser({ role: 'customer', name: 'Erin Colleague', email: 'erin@example.test' });
    const org = await node.request('POST', '/api/v1/organizations', { token: admin.token, body: { name: 'Acme', sharedTickets: true } });
    expect(org.status).toBe(201);
    for (const user of [carla, erin]) {
      expect((await node.request('PATCH', `/api/v1/users/${user.id}`, { token: admin.token, body: { organizationId: org.body.id } })).status).toBe(200);
    }
    const toner = await asAgent('POST', '/api/v1/tickets', { title: 'Office printer needs toner', description: 'Cyan is empty.', requester: erin.id });
    expect(toner.body.organizationId).toBe(org.body.id);

    await page.goto(`${node.url}/portal/requests`);
    const row = page.locator(`to-portal-requests [data-ticket="${toner.body.id}"]`);
    await row.locator('[data-colleague]').filter({ hasText: 'Opened by a colleague' }).waitFor();
    expect(await page.locator(`to-portal-requests [data-ticket="${tickets.printer}"] [data-colleague]`).count()).toBe(0);
    await row.getByRole('link', { name: 'Office printer needs toner' }).click();
    expect(await message(toner.body.id).locator('h3').textContent()).toMatch(/^Requester, /);
    // Dave is not in the organization: still not his to see.
    expect((await node.request('GET', `/api/v1/tickets/${toner.body.id}`, { token: dave.token })).status).toBe(404);
  });

  it('fits a phone, speaks German, and is usable by keyboard from the skip link', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ['/portal/', '/portal/requests?show=all', `/portal/requests/${tickets.scanner}`, '/portal/requests/new']) {
      await page.goto(`${node.url}${path}`);
      await page.locator('main#main').waitFor();
      await page.locator('main#main wa-spinner').first().waitFor({ state: 'detached' }).catch(() => {});
      await fitsWidth(page);
    }
    await screenshot(page, 'portal-new-request-phone');
    await page.setViewportSize({ width: 1280, height: 860 });

    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      let active = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      return active?.textContent ?? '';
    });
    expect(focused).toContain('Skip to content');
    await page.getByLabel('Language').selectOption('de');
    await page.getByRole('navigation').getByRole('link', { name: 'Meine Anfragen' }).click();
    await page.getByRole('heading', { name: 'Meine Anfragen' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    await page.getByLabel('Sprache').selectOption('en');
  });

  it('brings the sign-in form back when the session ends, and returns to the same page after signing in', async () => {
    await page.goto(`${node.url}/portal/requests/${tickets.printer}`);
    await page.locator('to-portal-request h1').waitFor();
    await bothThemes(page, 'request-printer');
    await context.clearCookies();
    await page.getByRole('navigation').getByRole('link', { name: 'My requests' }).click();
    await page.getByText(/Your session ended/).waitFor();
    await bothThemes(page, 'sign-in');
    await signInToPortal(page, carla);
    await page.locator('to-portal-requests [data-ticket]').first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/portal/requests');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    expect((await node.request('GET', '/api/v1/auth/session')).status).not.toBe(200);
    // The API's 401 after the cookies went, and the 404s of the requests not found, are logged by Chromium; nothing else.
    expect(problems.filter((p) => !/status of (401|404)/.test(p))).toEqual([]);
  });
});
