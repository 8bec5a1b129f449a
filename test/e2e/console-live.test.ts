import { rmSync } from 'node:fs';
import type { Browser, BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '../../core/src/testing/index.ts';
import { accessible, buildConsole, choose, launch, newContext, poll, screenshot, signIn, watchedPage } from './console-browser.ts';

/**
 * The console live, in Chromium against a real server on PostgreSQL: a second agent (Ben) changes
 * tickets through the REST API and with his own console, and Ana's open console shows it without
 * a reload — rows, view counts, the ticket, its conversation, Ben's presence — plus notifications
 * (assignment, mention, bulk progress) and the stream reconnecting after the connection drops.
 */
type Agent = { id: string; email: string; password: string; token: string };

let node: TestKernel;
let browser: Browser;
let anaContext: BrowserContext;
let benContext: BrowserContext;
let page: Page;
let ben: Page;
let built: string;
let ana: Agent;
let benAgent: Agent;
const tickets: Record<string, { id: string; number: number; version: number }> = {};
const problems: string[] = [];
/** Ana's stream sockets as routed through Playwright (the last one is the live one). */
const anaSockets: WebSocketRoute[] = [];

const row = (id: string) => page.locator(`to-ticket-table tr[data-ticket="${id}"]`);
const api = (method: string, path: string, body?: unknown, token = benAgent.token) => node.request(method, `/api/v1${path}`, { token, body });
/** Marks the document; a reload would lose the mark. */
const markDocument = (p: Page) => p.evaluate(() => Object.assign(window, { sameDocument: true }));
const sameDocument = (p: Page) => p.evaluate(() => (window as any).sameDocument === true);

beforeAll(async () => {
  built = buildConsole();
  // Bulk changes above two tickets run as background jobs, whose progress travels on the stream.
  node = await startTestKernel({ workers: true, config: { consoleDir: built, tickets: { bulkInlineLimit: 2 } } });
  ana = await node.createUser({ role: 'agent', name: 'Ana Agent', email: 'ana@example.test' });
  benAgent = await node.createUser({ role: 'agent', name: 'Ben Agent', email: 'ben@example.test' });
  const create = async (key: string, title: string, priority = 'normal') => {
    const res = await api('POST', '/tickets', { title, description: `About: ${title}`, priority, requester: { email: 'carla@example.test', name: 'Carla Customer' } }, ana.token);
    expect(res.status).toBe(201);
    tickets[key] = { id: res.body.id, number: res.body.number, version: res.body.version };
  };
  await create('printer', 'Printer on the third floor', 'high');
  await create('vpn', 'VPN drops every hour');
  await create('mail', 'Mailbox almost full', 'low');
  await create('laptop', 'New laptop for Ben');
  expect((await api('POST', '/views', { name: 'Normal priority', filter: { priority: ['normal'] } }, ana.token)).status).toBe(201);

  browser = await launch();
  anaContext = await newContext(browser);
  benContext = await newContext(browser);
  // Ana's stream goes through Playwright, which can cut it like a dropped connection.
  await anaContext.routeWebSocket(/\/api\/v1\/stream$/, (ws) => {
    anaSockets.push(ws);
    ws.connectToServer();
  });
  page = await watchedPage(anaContext, node.url, problems, 'ana ');
  ben = await watchedPage(benContext, node.url, problems, 'ben ');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await node?.close();
  if (built) rmSync(built, { recursive: true, force: true });
});

describe('the console live from the stream', () => {
  it('shows a change another agent makes through the API in the open list, without reload', async () => {
    await page.goto(`${node.url}/admin/tickets`);
    await signIn(page, ana);
    await poll(() => page.locator('to-ticket-table tbody tr').count()).toBe(4);
    await page.locator('to-ticket-list-page[data-live]').waitFor();
    await markDocument(page);

    const res = await api('PATCH', `/tickets/${tickets.printer!.id}`, { priority: 'urgent', status: 'open' });
    expect(res.status).toBe(200);
    await poll(() => row(tickets.printer!.id).locator('[data-field="priority"]').textContent()).toBe('urgent');
    await poll(() => row(tickets.printer!.id).locator('[data-field="status"]').textContent()).toContain('open');
    // Highlighted as changed by someone else, and no reload happened.
    expect(await row(tickets.printer!.id).getAttribute('class')).toContain('changed');
    expect(await sameDocument(page)).toBe(true);
  });

  it('keeps the saved view counts live from view.count', async () => {
    await page.locator('to-view-list[data-live]').waitFor();
    await poll(() => page.locator('to-view-list a[data-view]').textContent()).toMatch(/Normal priority\s*2/);
    expect((await api('PATCH', `/tickets/${tickets.vpn!.id}`, { priority: 'high' })).status).toBe(200);
    await poll(() => page.locator('to-view-list a[data-view]').textContent()).toMatch(/Normal priority\s*1/);
    expect(await sameDocument(page)).toBe(true);
  });

  it('offers a ticket created meanwhile, and shows it on request', async () => {
    // New tickets are heard through the "mine" subscription and the saved views: this one is assigned to Ana.
    const res = await api('POST', '/tickets', { title: 'Projector in room 2 flickers', priority: 'normal', assigneeId: ana.id, requester: { email: 'carla@example.test' } });
    expect(res.status).toBe(201);
    tickets.projector = { id: res.body.id, number: res.body.number, version: res.body.version };
    const offer = page.locator('to-ticket-list-page .fresh');
    await poll(() => offer.textContent()).toContain('1 new or changed ticket');
    await offer.getByRole('button', { name: 'Show' }).click();
    await poll(() => page.locator('to-ticket-table tbody tr').count()).toBe(5);
    await page.getByRole('link', { name: 'Projector in room 2 flickers' }).waitFor();
    // Assigned to Ana by someone else: that is a notification too.
    await poll(() => page.locator('to-notifications button.toggle').getAttribute('aria-label')).toBe('Notifications, 1 unread');
    expect(await sameDocument(page)).toBe(true);
  });

  it('updates the open ticket and its conversation when another agent changes it', async () => {
    await page.getByRole('link', { name: 'Printer on the third floor' }).click();
    await page.getByRole('heading', { name: /Printer on the third floor/ }).waitFor();
    await page.locator('to-ticket-detail-page[data-live]').waitFor();

    expect((await api('PATCH', `/tickets/${tickets.printer!.id}`, { status: 'pending' })).status).toBe(200);
    await poll(() => page.locator('to-ticket-detail-page .title [data-field="status"]').textContent()).toContain('pending');
    await poll(() => page.locator('to-ticket-fields wa-select[name="status"]').evaluate((el) => (el as HTMLSelectElement).value)).toBe('pending');
    await poll(() => page.locator('to-ticket-detail-page .live-note').textContent()).toContain('Ben Agent changed the status just now');

    expect((await api('POST', `/tickets/${tickets.printer!.id}/comments`, { body: 'Facilities say the spare printer is on its way.' })).status).toBe(201);
    await poll(() => page.locator('to-conversation-entry').filter({ hasText: 'spare printer is on its way' }).count()).toBe(1);
    await poll(() => page.locator('to-ticket-detail-page .live-note').textContent()).toContain('Ben Agent replied just now');
    expect(await sameDocument(page)).toBe(true);
  });

  it('shows the other agent viewing, then replying, and Ana to him', async () => {
    await ben.goto(`${node.url}/admin/tickets/${tickets.printer!.id}`);
    await signIn(ben, benAgent);
    await ben.getByRole('heading', { name: /Printer on the third floor/ }).waitFor();
    const presence = page.locator('to-ticket-detail-page .presence');
    await poll(() => presence.textContent()).toContain('Ben Agent is viewing');
    await poll(() => ben.locator('to-ticket-detail-page .presence').textContent()).toContain('Ana Agent is viewing');

    await ben.locator('to-comment-composer').getByLabel('Message', { exact: true }).fill('Checking with facilities now');
    await poll(() => presence.locator('[data-presence="replying"]').textContent()).toContain('Ben Agent is replying');
    await accessible(page, 'detail with presence');
    await screenshot(page, 'detail-presence');

    await ben.locator('to-comment-composer').getByLabel('Message', { exact: true }).fill('');
    await poll(() => presence.textContent()).toContain('Ben Agent is viewing');
    await ben.getByRole('link', { name: 'Tickets', exact: true }).first().click();
    await poll(async () => (await presence.textContent())?.trim()).toBe('');
  });

  it('notifies of an assignment and a mention by another agent', async () => {
    const assign = await api('PATCH', `/tickets/${tickets.mail!.id}`, { assigneeId: ana.id });
    expect(assign.status).toBe(200);
    const toggle = page.locator('to-notifications button.toggle');
    await poll(() => toggle.getAttribute('aria-label')).toBe('Notifications, 2 unread');

    const mention = await api('POST', `/tickets/${tickets.mail!.id}/comments`, { body: `@user:${ana.id} can you look at the quota?`, internal: true });
    expect(mention.status).toBe(201);
    await poll(() => toggle.getAttribute('aria-label')).toBe('Notifications, 3 unread');

    await toggle.click();
    const items = page.locator('to-notifications li');
    await poll(() => items.count()).toBe(3);
    expect(await items.nth(0).textContent()).toContain(`Ben Agent mentioned you on #${tickets.mail!.number} Mailbox almost full`);
    expect(await items.nth(1).textContent()).toContain(`Ben Agent assigned #${tickets.mail!.number} Mailbox almost full to you`);
    expect(await items.nth(2).textContent()).toContain(`Ben Agent assigned #${tickets.projector!.number} Projector in room 2 flickers to you`);
    await accessible(page, 'notifications open');
    await screenshot(page, 'notifications');
    await items.nth(0).getByRole('link').click();
    await page.getByRole('heading', { name: /Mailbox almost full/ }).waitFor();
    await poll(() => toggle.getAttribute('aria-label')).toBe('Notifications, 2 unread');
    expect(await sameDocument(page)).toBe(true);
  });

  it('reports the progress of a background bulk change in the notification area', async () => {
    await page.getByRole('link', { name: 'Tickets', exact: true }).first().click();
    await poll(() => page.locator('to-ticket-table tbody tr').count()).toBe(5);
    for (const key of ['vpn', 'mail', 'laptop']) await page.getByRole('checkbox', { name: `Select ticket #${tickets[key]!.number}` }).check();
    await choose(page.locator('to-bulk-bar wa-select'), 'urgent');
    await page.locator('to-bulk-bar').getByRole('button', { name: 'Apply' }).click();
    await poll(() => page.getByRole('status').filter({ hasText: '3 updated' }).count(), 20_000).toBeGreaterThan(0);
    await page.locator('to-notifications button.toggle').click();
    await poll(() => page.locator('to-notifications li[data-kind="bulk"]').textContent()).toContain('Bulk change finished: 3 of 3 done');
    await page.keyboard.press('Escape');
  });

  it('reconnects after the connection drops, subscribes again and catches up', async () => {
    await page.locator('to-ticket-list-page[data-live]').waitFor();
    const before = anaSockets.length;
    await anaSockets.at(-1)!.close({ code: 1006, reason: 'dropped' });
    await poll(() => anaSockets.length, 15_000).toBeGreaterThan(before);
    await page.locator('to-ticket-list-page[data-live]').waitFor();
    expect((await api('PATCH', `/tickets/${tickets.laptop!.id}`, { priority: 'low' })).status).toBe(200);
    await poll(() => row(tickets.laptop!.id).locator('[data-field="priority"]').textContent()).toBe('low');
    expect(await sameDocument(page)).toBe(true);
  });

  it('notices a session that ended while the stream was down, and shows the sign-in form', async () => {
    await node.kernel.db.query('update user_session set revoked_at = now() where revoked_at is null');
    const before = anaSockets.length;
    await anaSockets.at(-1)!.close({ code: 1006, reason: 'dropped' });
    // The next handshake is refused; the client asks GET /me, whose 401 ends the session.
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 15_000 });
    expect(await page.getByRole('status').filter({ hasText: 'Your session has ended' }).count()).toBe(1);
    expect(anaSockets.length).toBeGreaterThan(before);
    // Signed out, the client stops trying.
    const after = anaSockets.length;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(anaSockets.length).toBe(after);
  });

  it('saw no script error, CSP violation or request to another origin', () => {
    // Chromium logs the 401 of `GET /auth/session` before signing in as a failed resource load, and
    // the stream handshake refused after the session ended (the test above) as a failed WebSocket.
    expect(problems.filter((p) => !/status of 401|WebSocket connection .* HTTP Authentication failed/.test(p))).toEqual([]);
  });
});
