import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '../../core/src/testing/index.ts';
import { accessible as axe, buildConsole, choose, launch, newContext, screenshots, signIn as signInAs, poll, watchedPage } from './console-browser.ts';

/**
 * The admin console in a real browser: Debian's Chromium driven by playwright-core against a real
 * server on PostgreSQL. The console is built from the current sources into a scratch directory
 * first, so the test never runs against a stale `admin-ui/dist`.
 */
let node: TestKernel;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let built: string;
let agent: { id: string; email: string; password: string; token: string };
const tickets: Record<string, { id: string; number: number }> = {};
/** Console errors, page errors and CSP violations seen by the page; the test expects none. */
const problems: string[] = [];
/** Requests for plugin admin files: no plugin is enabled here, so there must be none. */
const pluginRequests: string[] = [];

const signIn = () => signInAs(page, agent);
/** The element that has focus, through shadow roots, and whether it shows a focus ring. */
const focused = () =>
  page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return null;
    return { tag: el.tagName, text: el.textContent, focusVisible: el.matches(':focus-visible'), outline: getComputedStyle(el).outlineStyle };
  });
const accessible = (name: string) => axe(page, name);

/** Writes a screenshot and runs axe-core on the page: no serious or critical violation allowed. */
async function shoot(name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  await accessible(name);
}

beforeAll(async () => {
  built = buildConsole();
  mkdirSync(screenshots, { recursive: true });

  node = await startTestKernel({ workers: false, config: { consoleDir: built } });
  agent = await node.createUser({ role: 'agent', name: 'Ana Agent', email: 'ana@example.test' });
  const create = async (key: string, title: string, description: string, priority = 'normal') => {
    const res = await node.request('POST', '/api/v1/tickets', {
      token: agent.token,
      body: { title, description, priority, requester: { email: 'carla@example.test', name: 'Carla Customer' } },
    });
    expect(res.status).toBe(201);
    tickets[key] = { id: res.body.id, number: res.body.number };
  };
  await create('printer', 'Printer on the third floor', 'The printer jams with a toner cartridge error every morning.', 'high');
  await create('vpn', 'VPN drops every hour', 'The VPN connection drops every hour on the hour.');
  await create('mail', 'Mailbox almost full', 'My mailbox says it is 95% full.', 'low');
  await create('laptop', 'New laptop for Ben', 'Ben starts on Monday and needs a laptop.');
  const view = await node.request('POST', '/api/v1/views', { token: agent.token, body: { name: 'Normal priority', filter: { priority: ['normal'] } } });
  expect(view.status).toBe(201);

  browser = await launch();
  context = await newContext(browser);
  page = await watchedPage(context, node.url, problems);
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/admin/plugins/')) pluginRequests.push(request.url());
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await node?.close();
  if (built) rmSync(built, { recursive: true, force: true });
});

describe('admin console in Chromium', () => {
  it('serves the console with its own CSP and asks for sign-in on a deep link', async () => {
    const response = await page.goto(`${node.url}/admin/tickets`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['cache-control']).toBe('no-cache');
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(page.url()).toBe(`${node.url}/admin/tickets`);
    await accessible('sign-in');
  });

  it('signs in and lists the tickets with the saved views and their counts', async () => {
    await signIn();
    await page.getByRole('link', { name: 'Printer on the third floor' }).waitFor();
    await poll(() => page.locator('to-ticket-table tbody tr').count()).toBe(4);
    await poll(() => page.locator('to-view-list a[data-view]').textContent()).toMatch(/Normal priority\s*2/);
    expect(await page.getByRole('banner').isVisible()).toBe(true);
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(true);
    expect(await page.getByRole('main').isVisible()).toBe(true);
  });

  it('finds a ticket by full-text search from the global search box', async () => {
    const search = page.getByRole('banner').getByLabel('Search tickets');
    await search.fill('toner cartridge');
    await search.press('Enter');
    await poll(() => new URL(page.url()).searchParams.get('q')).toBe('toner cartridge');
    await poll(() => page.locator('to-ticket-table tbody tr').count()).toBe(1);
    expect(await page.locator('to-ticket-table mark').first().textContent()).toMatch(/toner/i);
    await shoot('list-light');
  });

  it('opens the ticket, replies publicly, adds an internal note, and shows them distinctly', async () => {
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    await page.getByRole('link', { name: 'Printer on the third floor' }).click();
    await poll(() => page.url()).toBe(`${node.url}/admin/tickets/${tickets.printer!.id}`);
    // The router handled the link: no page load.
    expect(await page.evaluate(() => (window as any).sameDocument)).toBe(true);
    await page.getByRole('heading', { name: /Printer on the third floor/ }).waitFor();

    const body = page.locator('to-comment-composer').getByLabel('Message', { exact: true });
    await body.fill('We have ordered a new toner cartridge; it arrives tomorrow.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.locator('to-conversation-entry article[data-kind="reply"]').waitFor();

    await page.locator('to-comment-composer wa-radio').filter({ hasText: 'Internal note' }).click();
    await body.fill('Supplier ticket SUP-4411, ask facilities about the spare printer.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.locator('to-conversation-entry article[data-kind="note"]').waitFor();

    const reply = page.locator('to-conversation-entry article[data-kind="reply"]');
    const note = page.locator('to-conversation-entry article[data-kind="note"]');
    expect(await reply.textContent()).toContain('Public reply');
    expect(await reply.textContent()).toContain('We have ordered a new toner cartridge');
    expect(await note.textContent()).toContain('Internal note');
    expect(await note.textContent()).toContain('SUP-4411');
    const look = (l: Locator) => l.evaluate((el) => ({ background: getComputedStyle(el).backgroundColor, border: getComputedStyle(el).borderStyle }));
    const [replyLook, noteLook] = [await look(reply), await look(note)];
    expect(noteLook.background).not.toBe(replyLook.background);
    expect(noteLook.border).toBe('dashed');
    expect(replyLook.border).toBe('solid');

    const comments = await node.request('GET', `/api/v1/tickets/${tickets.printer!.id}/comments`, { token: agent.token });
    expect(comments.body.items.map((c: { internal: boolean }) => c.internal)).toEqual([false, true]);
    await shoot('detail-light');
  });

  it('changes the priority in the fields sidebar', async () => {
    await choose(page.locator('to-ticket-fields wa-select[name="priority"]'), 'urgent');
    await poll(async () => (await node.request('GET', `/api/v1/tickets/${tickets.printer!.id}`, { token: agent.token })).body.priority).toBe('urgent');
    await poll(() => page.locator('to-ticket-fields [role="status"]').textContent()).toContain('Saved');
  });

  it('switches to the dark theme, keeps it across a reload, and follows the system when asked', async () => {
    await choose(page.getByRole('banner').locator('to-theme-switch wa-select'), 'Dark');
    await poll(() => page.evaluate(() => document.documentElement.classList.contains('wa-dark'))).toBe(true);
    await page.reload();
    await page.getByRole('heading', { name: /Printer on the third floor/ }).waitFor();
    expect(await page.evaluate(() => document.documentElement.classList.contains('wa-dark'))).toBe(true);
    await page.locator('to-conversation-entry article[data-kind="note"]').waitFor();
    await shoot('detail-dark');

    await page.getByRole('link', { name: 'Tickets', exact: true }).first().click();
    await poll(() => page.locator('to-ticket-table tbody tr').count()).toBe(4);
    await shoot('list-dark');

    await choose(page.getByRole('banner').locator('to-theme-switch wa-select'), 'System');
    expect(await page.evaluate(() => document.documentElement.classList.contains('wa-dark'))).toBe(false);
    await page.emulateMedia({ colorScheme: 'dark' });
    await poll(() => page.evaluate(() => document.documentElement.classList.contains('wa-dark'))).toBe(true);
    await page.emulateMedia({ colorScheme: 'light' });
    await poll(() => page.evaluate(() => document.documentElement.classList.contains('wa-light'))).toBe(true);
  });

  it('filters by priority, and changes the priority of three tickets at once', async () => {
    await choose(page.locator('to-ticket-filters wa-select[name="priority"]'), 'normal');
    await poll(() => new URL(page.url()).searchParams.get('priority')).toBe('normal');
    await poll(() => page.locator('to-ticket-table tbody tr').count()).toBe(2);
    await choose(page.locator('to-ticket-filters wa-select[name="priority"]'), 'Any priority');
    await poll(() => page.locator('to-ticket-table tbody tr').count()).toBe(4);

    for (const key of ['vpn', 'mail', 'laptop']) {
      await page.getByRole('checkbox', { name: `Select ticket #${tickets[key]!.number}` }).check();
    }
    await poll(() => page.locator('to-bulk-bar .count').textContent()).toContain('3 selected');
    await choose(page.locator('to-bulk-bar wa-select'), 'high');
    await page.locator('to-bulk-bar').getByRole('button', { name: 'Apply' }).click();
    await poll(() => page.getByRole('status').filter({ hasText: '3 updated' }).count()).toBeGreaterThan(0);
    for (const key of ['vpn', 'mail', 'laptop']) {
      const res = await node.request('GET', `/api/v1/tickets/${tickets[key]!.id}`, { token: agent.token });
      expect(res.body.priority).toBe('high');
    }
    // The view of normal-priority tickets is now empty, and its count says so.
    await poll(() => page.locator('to-view-list a[data-view]').textContent()).toMatch(/Normal priority\s*0/);
  });

  it('speaks German after the language switch', async () => {
    await choose(page.getByRole('banner').locator('to-language-switch wa-select'), 'Deutsch');
    await poll(() => page.getByRole('button', { name: 'Abmelden' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    // The longer German words still fit the banner: nothing scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await choose(page.getByRole('banner').locator('to-language-switch wa-select'), 'English');
    await poll(() => page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
  });

  it('fits a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await poll(() => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      expect(await page.getByRole('button', { name: /^Notifications/ }).isVisible()).toBe(true);
      await page.screenshot({ path: join(screenshots, 'list-phone.png'), fullPage: true });
    } finally {
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  });

  it('documents its keyboard shortcuts on the ? overlay', async () => {
    // A fresh list: no row has been focused yet.
    await page.goto(`${node.url}/admin/tickets`);
    await poll(() => page.locator('to-ticket-table tbody tr').count()).toBe(4);
    await page.keyboard.press('?');
    const overlay = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await overlay.waitFor();
    for (const [keys, label] of [['/', 'Search tickets'], ['j', 'Next ticket'], ['k', 'Previous ticket'], ['o or Enter', 'Open the ticket'], ['r', 'Write a public reply'], ['n', 'Write an internal note'], ['g then l', 'Go to the ticket list'], ['?', 'Show this list']]) {
      expect(await overlay.getByRole('row', { name: `${keys} ${label}` }).count(), keys).toBe(1);
    }
    await accessible('shortcut overlay');
    await page.screenshot({ path: join(screenshots, 'shortcuts.png') });
    // While it is open, other shortcuts do nothing; Escape closes it.
    await page.keyboard.press('j');
    expect(await page.locator('to-ticket-table tr.current').count()).toBe(0);
    await page.keyboard.press('Escape');
    await poll(() => overlay.isVisible()).toBe(false);
  });

  it('moves through the list with j and k, selects with x, opens with o, with visible focus', async () => {
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await poll(() => page.locator('to-ticket-table tr.current').getAttribute('data-index')).toBe('1');
    const second = (await page.locator('to-ticket-table tr.current').getAttribute('data-ticket'))!;
    let active = await focused();
    expect(active).toMatchObject({ tag: 'A', focusVisible: true });
    expect(active!.outline).not.toBe('none');
    await page.keyboard.press('k');
    await poll(() => page.locator('to-ticket-table tr.current').getAttribute('data-index')).toBe('0');
    const first = (await page.locator('to-ticket-table tr.current').getAttribute('data-ticket'))!;
    active = await focused();
    expect(active?.text).toBe(await page.locator(`to-ticket-table tr[data-ticket="${first}"] .title a`).textContent());

    await page.keyboard.press('x');
    await poll(() => page.locator('to-bulk-bar .count').textContent()).toContain('1 selected');
    await page.keyboard.press('x');
    await poll(() => page.locator('to-bulk-bar').count()).toBe(0);

    await page.keyboard.press('j');
    await page.keyboard.press('o');
    await poll(() => page.url()).toBe(`${node.url}/admin/tickets/${second}`);
  });

  it('writes a note with n and a reply with r, sends with Ctrl+Enter, and leaves typing alone', async () => {
    await page.locator('to-ticket-detail-page to-comment-composer').waitFor();
    await page.keyboard.press('n');
    await poll(async () => (await focused())?.tag).toBe('TEXTAREA');
    expect(await page.locator('to-comment-composer form').getAttribute('class')).toBe('note');
    // Typing the keys of shortcuts only types them.
    await page.keyboard.type('no rush, just noting');
    expect(await page.locator('to-comment-composer form').getAttribute('class')).toBe('note');
    await page.keyboard.press('Escape');
    await page.keyboard.press('r');
    await poll(() => page.locator('to-comment-composer form').getAttribute('class')).toBe('reply');
    expect((await focused())?.tag).toBe('TEXTAREA');
    await page.keyboard.press('Control+Enter');
    await page.locator('to-conversation-entry').filter({ hasText: 'no rush, just noting' }).waitFor();
    expect(await page.locator('to-conversation-entry article[data-kind="reply"]').filter({ hasText: 'no rush, just noting' }).count()).toBe(1);

    await page.keyboard.press('Escape');
    await page.keyboard.press('g');
    await page.keyboard.press('l');
    await poll(() => new URL(page.url()).pathname).toBe('/admin/tickets');
  });

  it('focuses the search box with /, where j and k are just letters', async () => {
    await poll(() => page.locator('to-ticket-table tbody tr').count()).toBe(4);
    await page.keyboard.press('/');
    await poll(async () => (await focused())?.tag).toBe('INPUT');
    await page.keyboard.type('jk');
    expect(await page.getByRole('banner').getByLabel('Search tickets').inputValue()).toBe('jk');
    expect(await page.locator('to-ticket-table tr.current').count()).toBe(0);
    await page.getByRole('banner').getByLabel('Search tickets').fill('');
  });

  it('goes back to sign-in when the session ends, and returns to the same page afterwards', async () => {
    await page.goto(`${node.url}/admin/tickets/${tickets.vpn!.id}`);
    await page.getByRole('heading', { name: /VPN drops every hour/ }).waitFor();
    await node.kernel.db.query('update user_session set revoked_at = now() where revoked_at is null');
    await page.locator('to-comment-composer').getByLabel('Message', { exact: true }).fill('Draft typed while the session ended');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'Your session has ended' }).count()).toBe(1);
    await signIn();
    await page.getByRole('heading', { name: /VPN drops every hour/ }).waitFor();
    expect(page.url()).toBe(`${node.url}/admin/tickets/${tickets.vpn!.id}`);
    // The draft survived the new sign-in.
    await poll(() => page.locator('to-comment-composer textarea').inputValue()).toBe('Draft typed while the session ended');
  });

  it('shows the dashboard with live view counts and the settings page', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await poll(() => page.locator('to-dashboard-page a[data-view]').textContent()).toMatch(/Normal priority\s*0/);
    await accessible('dashboard');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByText('No enabled plugin has settings to show here.').waitFor();
    await accessible('settings');
  });

  it('never asked for a plugin module: none is enabled, so no zone has a panel', async () => {
    expect((await node.request('GET', '/api/v1/console/panels', { token: agent.token })).body).toEqual({ items: [] });
    expect(pluginRequests).toEqual([]);
  });

  it('signs out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByText('You are signed out.').isVisible()).toBe(true);
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
    expect(me).toBe(401);
  });

  it('saw no script error, CSP violation or request to another origin', () => {
    // The 401 of the signed-out check above is logged by Chromium as a failed resource load.
    expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
  });
});
