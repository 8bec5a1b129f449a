/**
 * Console performance in headless Debian Chromium against a real server (PostgreSQL):
 * 1. initial JavaScript: every script the browser fetches to show the ticket list after sign-in,
 *    gzip-compressed here (level 9), plugin panels excluded (they load only when their zone shows);
 * 2. the ticket list of 10,000 tickets: the virtualized table scrolled to its end again and again,
 *    each time reading the next page of 100 (infinite loading), until every ticket is loaded; then
 *    scrolled top to bottom (600 px a frame); long tasks (> 50 ms) observed with PerformanceObserver
 *    the whole time, and the most rows ever in the DOM;
 * 3. the ticket detail of a ticket with 200 comments: in-app navigation from the list to the
 *    detail until its first page of entries (100) is in the DOM (median of 5), and a cold load.
 * Run: node test/bench/console.bench.ts (env BENCH_TICKETS, default 10000). Results in
 * test/bench/results/console.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Page, chromium } from 'playwright-core';
import { ROOT, cli, freshDatabase, machine, round, save, startServer, stop, waitFor } from './lib.ts';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 10_000);
const COMMENTS = 200;
/** The detail shows the first 100 comments at once (older ones on demand): the render measured is until those are in the DOM. */
const FIRST_PAGE = Math.min(COMMENTS, Number(process.env.BENCH_FIRST_PAGE ?? 100));
const url = await freshDatabase('ticketops_bench_console');
const env = { DATABASE_URL: url };
const { child, url: base } = startServer(env);
const results: Record<string, unknown> = { machine: machine(), tickets: TICKETS, comments: COMMENTS };
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  await waitFor(`${base}/readyz`, 120_000);
  const user = { email: 'console-bench@example.com', password: 'a long bench password' };
  cli(['users', 'create', '--email', user.email, '--password', user.password, '--role', 'admin'], env);
  const token = cli(['tokens', 'create', '--email', user.email, '--name', 'bench'], env).trim();
  cli(['seed', '--tickets', String(TICKETS), '--comments-per-ticket', '0'], env);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const ticket = await (await fetch(`${base}/api/v1/tickets`, { method: 'POST', headers, body: JSON.stringify({ title: 'Long conversation' }) })).json();
  for (let i = 0; i < COMMENTS; i++) {
    const body = JSON.stringify({ body: `Comment ${i}: **markdown** with a [link](https://example.com) and some text to wrap across the line.`, internal: i % 5 === 0 });
    await fetch(`${base}/api/v1/tickets/${ticket.id}/comments`, { method: 'POST', headers, body });
  }

  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const scripts = new Map<string, number>();
  page.on('response', async (response) => {
    const path = new URL(response.url()).pathname;
    if (!path.endsWith('.js') || path.startsWith('/admin/plugins/')) return;
    // A script fetched by a page navigated away from has no body to read; the initial load's all do.
    const body = await response.body().catch(() => null);
    if (body) scripts.set(path, gzipSync(body, { level: 9 }).length);
  });
  await observeLongTasks(page);
  await page.goto(`${base}/admin/tickets`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('to-ticket-table tbody tr').first().waitFor();
  await page.waitForLoadState('networkidle');
  results.initialJs = { files: scripts.size, gzipKb: round([...scripts.values()].reduce((a, b) => a + b, 0) / 1024) };
  results.entryJs = entryGzipKb();

  // The list: scroll to the end until every ticket is loaded (or 5 minutes pass), then scroll through it.
  await takeLongTasks(page);
  const loadStarted = performance.now();
  let rows = await page.evaluate(() => loadedRows());
  let maxDrawn = 0;
  while (rows < TICKETS && performance.now() - loadStarted < 300_000) {
    // Kept at the bottom on every frame until the next page is there, as a user holding End would.
    await page
      .waitForFunction(
        (n) => {
          const scroller = ticketScroller();
          scroller.scrollTop = scroller.scrollHeight;
          return loadedRows() > n;
        },
        rows,
        { timeout: 30_000, polling: 'raf' },
      )
      .catch(() => {});
    const next = await page.evaluate(() => loadedRows());
    maxDrawn = Math.max(maxDrawn, await page.evaluate(() => drawnRows()));
    if (next === rows) break;
    rows = next;
  }
  const loading = await takeLongTasks(page);
  maxDrawn = Math.max(
    maxDrawn,
    await page.evaluate(async () => {
      const scroller = ticketScroller();
      let most = 0;
      for (let y = 0; y < scroller.scrollHeight; y += 600) {
        scroller.scrollTop = y;
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        most = Math.max(most, drawnRows());
      }
      return most;
    }),
  );
  const scrolling = await takeLongTasks(page);
  results.list = { rowsLoaded: rows, maxRowsInDom: maxDrawn, loadSeconds: round((performance.now() - loadStarted) / 1000), longTasksWhileLoading: summary(loading), longTasksWhileScrolling: summary(scrolling) };

  // The detail: from the list (in-app navigation) and as a cold page load.
  const inApp: number[] = [];
  for (let i = 0; i < 5; i++) {
    await page.goto(`${base}/admin/tickets?q=%22Long%20conversation%22`);
    await page.locator('to-ticket-table tbody tr').first().waitFor();
    const started = await page.evaluate(() => performance.now());
    await page.locator('to-ticket-table tbody tr a').first().click();
    await page.waitForFunction((n) => countEntries() >= n, FIRST_PAGE, { timeout: 30_000 });
    inApp.push((await page.evaluate(() => performance.now())) - started);
  }
  await page.goto(`${base}/admin/tickets/${ticket.id}`);
  await page.waitForFunction((n) => countEntries() >= n, FIRST_PAGE, { timeout: 30_000 });
  const cold = await page.evaluate(() => performance.now());
  results.detail = { entriesRendered: await page.evaluate(() => countEntries()), inAppMs: inApp.map(round), inAppMedianMs: round(inApp.sort((a, b) => a - b)[2] as number), coldLoadMs: round(cold), longTasks: summary(await takeLongTasks(page)) };
  console.log(JSON.stringify(results, null, 2));
  save('console', results);
} finally {
  await browser.close();
  await stop(child);
}

/** Long tasks, and counters that look through shadow roots (the console is web components). */
async function observeLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as any;
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
    const all = (root: Document | ShadowRoot, selector: string): number => {
      let n = root.querySelectorAll(selector).length;
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) n += all(el.shadowRoot, selector);
      return n;
    };
    const find = (root: Document | ShadowRoot, selector: string): Element | null => {
      const here = root.querySelector(selector);
      if (here) return here;
      for (const el of root.querySelectorAll('*')) {
        const found = el.shadowRoot ? find(el.shadowRoot, selector) : null;
        if (found) return found;
      }
      return null;
    };
    let found: (Element & { tickets: unknown[] }) | null = null;
    const table = () => {
      if (!found?.isConnected) found = find(document, 'to-ticket-table') as typeof found;
      return found;
    };
    w.loadedRows = () => table()?.tickets.length ?? 0;
    w.drawnRows = () => table()?.shadowRoot?.querySelectorAll('tr[data-ticket]').length ?? 0;
    w.ticketScroller = () => table()!.shadowRoot!.querySelector('.scroller');
    w.countEntries = () => all(document, 'to-conversation-entry');
  });
}

async function takeLongTasks(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const w = window as any;
    const tasks = w.__longTasks as number[];
    w.__longTasks = [];
    return tasks;
  });
}

function summary(tasks: number[]) {
  return { count: tasks.length, maxMs: round(Math.max(0, ...tasks)), over50: tasks.filter((d) => d > 50).length };
}

/** The entry module and its modulepreloads, as index.html names them (what any first page needs). */
function entryGzipKb(): number {
  const dist = join(ROOT, 'admin-ui/dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/admin\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
  return round(files.reduce((sum, f) => sum + gzipSync(readFileSync(join(dist, f)), { level: 9 }).length, 0) / 1024);
}

declare global {
  function loadedRows(): number;
  function drawnRows(): number;
  function ticketScroller(): HTMLElement;
  function countEntries(): number;
}
