import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type Locator, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '../../core/src/testing/index.ts';

/**
 * The admin console in a real browser: Debian's Chromium driven by playwright-core against a real
 * server on PostgreSQL. The console is built from the current sources into a scratch directory
 * first, so the test never runs against a stale `admin-ui/dist`.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'];
const root = fileURLToPath(new URL('../../', import.meta.url));
const screenshots = join(root, 'test/e2e/screenshots');

let node: TestKernel;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let built: string;
let agent: { id: string; email: string; password: string; token: string };
const tickets: Record<string, { id: string; number: number }> = {};
/** Console errors, page errors and CSP violations seen by the page; the test expects none. */
const problems: string[] = [];

/** Picks an option of a Web Awesome select by its visible text. */
async function choose(select: Locator, option: string): Promise<void> {
  await select.click();
  await select.locator('wa-option').filter({ hasText: new RegExp(`^\\s*${option}\\s*$`) }).click();
}

async function signIn(): Promise<void> {
  await page.getByLabel('Email').fill(agent.email);
  await page.getByLabel('Password', { exact: true }).fill(agent.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Writes a screenshot and runs axe-core on the page: no serious or critical violation allowed. */
async function shoot(name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  await accessible(name);
}

async function accessible(name: string): Promise<void> {
  const violations = await page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n: any) => JSON.stringify(n.target)) }));
  });
  expect(violations, `axe-core on ${name}`).toEqual([]);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The console test needs Debian's Chromium at ${CHROMIUM}: install it with "apt-get install -y chromium" (.ci/run does). A downloaded browser is never used.`);
  }
  built = mkdtempSync(join(tmpdir(), 'ticketops-console-build-'));
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', built, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: join(root, 'admin-ui'),
    stdio: 'pipe',
  });
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

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'light', locale: 'en-US' });
  // axe-core goes in as an init script (through the DevTools protocol, so the console's CSP,
  // rightly, does not apply to it).
  await context.addInitScript({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content.Security.Policy/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
  // Only our own origin may be asked for anything.
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.origin !== new URL(node.url).origin) problems.push(`request to another origin: ${request.url()}`);
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
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true);
    expect(page.url()).toBe(`${node.url}/admin/tickets`);
    await accessible('sign-in');
  });

  it('signs in and lists the tickets with the saved views and their counts', async () => {
    await signIn();
    await page.getByRole('link', { name: 'Printer on the third floor' }).waitFor();
    await expect.poll(() => page.locator('to-ticket-table tbody tr').count()).toBe(4);
    await expect.poll(() => page.locator('to-view-list a[data-view]').textContent()).toMatch(/Normal priority\s*2/);
    expect(await page.getByRole('banner').isVisible()).toBe(true);
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(true);
    expect(await page.getByRole('main').isVisible()).toBe(true);
  });

  it('finds a ticket by full-text search from the global search box', async () => {
    const search = page.getByRole('banner').getByLabel('Search tickets');
    await search.fill('toner cartridge');
    await search.press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('toner cartridge');
    await expect.poll(() => page.locator('to-ticket-table tbody tr').count()).toBe(1);
    expect(await page.locator('to-ticket-table mark').first().textContent()).toMatch(/toner/i);
    await shoot('list-light');
  });

  it('opens the ticket, replies publicly, adds an internal note, and shows them distinctly', async () => {
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    await page.getByRole('link', { name: 'Printer on the third floor' }).click();
    await expect.poll(() => page.url()).toBe(`${node.url}/admin/tickets/${tickets.printer!.id}`);
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
    await expect.poll(async () => (await node.request('GET', `/api/v1/tickets/${tickets.printer!.id}`, { token: agent.token })).body.priority).toBe('urgent');
    await expect.poll(() => page.locator('to-ticket-fields [role="status"]').textContent()).toContain('Saved');
  });

  it('switches to the dark theme, keeps it across a reload, and follows the system when asked', async () => {
    await choose(page.getByRole('banner').locator('to-theme-switch wa-select'), 'Dark');
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('wa-dark'))).toBe(true);
    await page.reload();
    await page.getByRole('heading', { name: /Printer on the third floor/ }).waitFor();
    expect(await page.evaluate(() => document.documentElement.classList.contains('wa-dark'))).toBe(true);
    await page.locator('to-conversation-entry article[data-kind="note"]').waitFor();
    await shoot('detail-dark');

    await page.getByRole('link', { name: 'Tickets', exact: true }).first().click();
    await expect.poll(() => page.locator('to-ticket-table tbody tr').count()).toBe(4);
    await shoot('list-dark');

    await choose(page.getByRole('banner').locator('to-theme-switch wa-select'), 'System');
    expect(await page.evaluate(() => document.documentElement.classList.contains('wa-dark'))).toBe(false);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('wa-dark'))).toBe(true);
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('wa-light'))).toBe(true);
  });

  it('filters by priority, and changes the priority of three tickets at once', async () => {
    await choose(page.locator('to-ticket-filters wa-select[name="priority"]'), 'normal');
    await expect.poll(() => new URL(page.url()).searchParams.get('priority')).toBe('normal');
    await expect.poll(() => page.locator('to-ticket-table tbody tr').count()).toBe(2);
    await choose(page.locator('to-ticket-filters wa-select[name="priority"]'), 'Any priority');
    await expect.poll(() => page.locator('to-ticket-table tbody tr').count()).toBe(4);

    for (const key of ['vpn', 'mail', 'laptop']) {
      await page.getByRole('checkbox', { name: `Select ticket #${tickets[key]!.number}` }).check();
    }
    await expect.poll(() => page.locator('to-bulk-bar .count').textContent()).toContain('3 selected');
    await choose(page.locator('to-bulk-bar wa-select'), 'high');
    await page.locator('to-bulk-bar').getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: '3 updated' }).count()).toBeGreaterThan(0);
    for (const key of ['vpn', 'mail', 'laptop']) {
      const res = await node.request('GET', `/api/v1/tickets/${tickets[key]!.id}`, { token: agent.token });
      expect(res.body.priority).toBe('high');
    }
    // The view of normal-priority tickets is now empty, and its count says so.
    await expect.poll(() => page.locator('to-view-list a[data-view]').textContent()).toMatch(/Normal priority\s*0/);
  });

  it('speaks German after the language switch', async () => {
    await choose(page.getByRole('banner').locator('to-language-switch wa-select'), 'Deutsch');
    await expect.poll(() => page.getByRole('button', { name: 'Abmelden' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    await choose(page.getByRole('banner').locator('to-language-switch wa-select'), 'English');
    await expect.poll(() => page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
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
    await expect.poll(() => page.locator('to-comment-composer wa-textarea').evaluate((el) => (el as HTMLTextAreaElement).value)).toBe('Draft typed while the session ended');
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
