/**
 * Console performance in headless Debian Chromium against a real server (PostgreSQL):
 * 1. initial JavaScript: every script the browser fetches to show the ticket list after sign-in,
 *    gzip-compressed here (level 9), plugin panels excluded (they load only when their zone shows);
 * 2. the ticket list of 10,000 tickets: the virtualized table scrolled to its end again and again,
 *    each time reading the next page of 100 (infinite loading), until every ticket is loaded; then
 *    scrolled top to bottom (600 px a frame); long tasks (> 50 ms) observed with PerformanceObserver
 *    the whole time, and the most rows ever in the DOM;
 * 3. the ticket detail of a ticket with 200 comments: from the click on its row in the list until
 *    the first frame in which its first 100 entries are in the DOM with their markdown rendered,
 *    painted (the time is taken after that frame's rendering); in-app (median of
 *    BENCH_DETAIL_RUNS, default 7) and as a cold page load; and until the whole page (sidebar
 *    fields and composer too) is painted.
 * A/B in one run: BENCH_BASELINE_CONSOLE=<a built console dir> starts a second server on the same
 * database serving that build, and the detail is measured on both, alternating, so both see the
 * same machine load. BENCH_DETAIL_ONLY=1 skips part 2. BENCH_PROFILE=<dir> also traces three
 * in-app openings per console (Chromium traces kept there) for the main thread's CPU time from the
 * click to the painted entries, which other load on the machine changes far less than the elapsed
 * time, and profiles one (a .cpuprofile and the self time by function, in the results).
 * Run: node test/bench/console.bench.ts (env BENCH_TICKETS, default 10000). Results in
 * test/bench/results/console.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Browser, type Page, chromium } from 'playwright-core';
import { ROOT, cli, freshDatabase, machine, round, save, startServer, stop, waitFor } from './lib.ts';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 10_000);
const COMMENTS = 200;
/** The detail shows the first 100 comments at once (older ones on demand): the render measured is until those are drawn. */
const FIRST_PAGE = Math.min(COMMENTS, Number(process.env.BENCH_FIRST_PAGE ?? 100));
const RUNS = Number(process.env.BENCH_DETAIL_RUNS ?? 7);
const BASELINE = process.env.BENCH_BASELINE_CONSOLE;
const PROFILE = process.env.BENCH_PROFILE;
const url = await freshDatabase('ticketops_bench_console');
const env = { DATABASE_URL: url };
const { child, url: base } = startServer(env);
await waitFor(`${base}/readyz`, 120_000);
// The baseline console: the same server code and database (started once the first has migrated it), another build of the console.
const other = BASELINE ? startServer({ ...env, TICKETOPS_CONSOLE_DIR: BASELINE }) : null;
const results: Record<string, unknown> = { machine: machine(), tickets: TICKETS, comments: COMMENTS };
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  if (other) await waitFor(`${other.url}/readyz`, 120_000);
  const user = { email: 'console-bench@example.com', password: 'a long bench password' };
  cli(['users', 'create', '--email', user.email, '--password', user.password, '--role', 'admin'], env);
  const token = cli(['tokens', 'create', '--email', user.email, '--name', 'bench'], env).trim();
  cli(['seed', '--tickets', String(TICKETS), '--comments-per-ticket', '0'], env);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  // A kept-alive socket the server has just closed fails a request now and then on this busy machine: try again.
  const post = async (path: string, body: unknown, tries = 3): Promise<any> => {
    try {
      return await (await fetch(`${base}/api/v1${path}`, { method: 'POST', headers, body: JSON.stringify(body) })).json();
    } catch (error) {
      if (tries <= 1) throw error;
      return post(path, body, tries - 1);
    }
  };
  const ticket = await post('/tickets', { title: 'Long conversation' });
  for (let i = 0; i < COMMENTS; i++) {
    await post(`/tickets/${ticket.id}/comments`, { body: `Comment ${i}: **markdown** with a [link](https://example.com) and some text to wrap across the line.`, internal: i % 5 === 0 });
  }

  // The list below is searched for the ticket: wait until the search index has it.
  for (let tries = 0; tries < 120; tries++) {
    const found = await fetch(`${base}/api/v1/tickets?q=%22Long%20conversation%22`, { headers }).then((r) => r.json()).catch(() => null);
    if (found?.items?.some((t: { id: string }) => t.id === ticket.id)) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const page = await signedIn(browser, base, user);
  if (process.env.BENCH_DETAIL_ONLY !== '1') await measureList(page);

  // The detail: from the list (in-app navigation) and as a cold page load, alternating between the
  // consoles when there is a baseline.
  const consoles = [{ name: 'current', base, page }, ...(other ? [{ name: 'baseline', base: other.url, page: await signedIn(browser, other.url, user) }] : [])];
  const times = new Map(consoles.map((c) => [c.name, { fromClick: [] as number[], fromCall: [] as number[], complete: [] as number[], cold: [] as number[] }]));
  for (let i = 0; i < RUNS; i++) {
    for (const c of i % 2 ? [...consoles].reverse() : consoles) {
      const run = await openFromList(c.page, c.base);
      times.get(c.name)!.fromClick.push(run.fromClick);
      times.get(c.name)!.fromCall.push(run.fromCall);
      times.get(c.name)!.complete.push(run.complete);
    }
  }
  for (let i = 0; i < 3; i++) {
    for (const c of i % 2 ? [...consoles].reverse() : consoles) times.get(c.name)!.cold.push(await openCold(c.page, c.base, ticket.id));
  }
  const detail: Record<string, unknown> = {};
  for (const c of consoles) {
    const t = times.get(c.name)!;
    detail[c.name] = {
      entriesRendered: await c.page.evaluate(() => drawnEntries()),
      inAppMs: t.fromClick.map(round),
      inAppMedianMs: median(t.fromClick),
      inAppFromClickCallMedianMs: median(t.fromCall),
      inAppCompletePageMedianMs: median(t.complete),
      coldLoadMs: t.cold.map(round),
      coldLoadMedianMs: median(t.cold),
      longTasks: summary(await takeLongTasks(c.page)),
    };
  }
  results.detail = detail;
  if (PROFILE) {
    mkdirSync(PROFILE, { recursive: true });
    const traced = new Map(consoles.map((c) => [c.name, [] as Awaited<ReturnType<typeof traceOpening>>[]]));
    for (let i = 0; i < 3; i++) {
      for (const c of i % 2 ? [...consoles].reverse() : consoles) traced.get(c.name)!.push(await traceOpening(c.page, c.base, join(PROFILE, `${c.name}-${i}.trace.json`)));
    }
    for (const c of consoles) {
      const runs = traced.get(c.name)!;
      results[`profile_${c.name}`] = { mainThreadCpuMs: runs.map((r) => r.mainThreadCpuMs), mainThreadCpuMedianMs: median(runs.map((r) => r.mainThreadCpuMs)), requests: runs.at(-1)!.requests, ...(await profileOpening(c.page, c.base, join(PROFILE, c.name))) };
    }
  }
  console.log(JSON.stringify(results, null, 2));
  save('console', results);
} finally {
  await browser.close();
  await stop(child);
  if (other) await stop(other.child);
}

async function signedIn(browser: Browser, at: string, user: { email: string; password: string }): Promise<Page> {
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
  await observePage(page);
  await page.goto(`${at}/admin/tickets`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('to-ticket-table tbody tr').first().waitFor();
  await page.waitForLoadState('networkidle');
  if (at === base) {
    results.initialJs = { files: scripts.size, gzipKb: round([...scripts.values()].reduce((a, b) => a + b, 0) / 1024) };
    results.entryJs = entryGzipKb();
  }
  return page;
}

/** The list: scroll to the end until every ticket is loaded (or 5 minutes pass), then scroll through it. */
async function measureList(page: Page): Promise<void> {
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
}

/**
 * The list filtered to the long ticket, settled (its idle work done), then the row's link clicked.
 * `fromClick` counts from the click event; `fromCall` from just before Playwright's click call
 * (which adds its own round trips, as the first version of this benchmark measured).
 */
async function openFromList(page: Page, at: string): Promise<{ fromClick: number; fromCall: number; complete: number }> {
  const link = await listed(page, at);
  await page.evaluate(() => new Promise((r) => requestIdleCallback(r, { timeout: 2000 })));
  const called = await page.evaluate(() => performance.now());
  await link.click();
  const drawn = await page.evaluate((n) => whenDrawn(n), FIRST_PAGE);
  const complete = await page.evaluate(() => whenComplete());
  const clicked = await page.evaluate(() => (window as any).__clickedAt as number);
  return { fromClick: drawn - clicked, fromCall: drawn - called, complete: complete - clicked };
}

async function openCold(page: Page, at: string, id: string): Promise<number> {
  await page.goto(`${at}/admin/tickets/${id}`);
  return page.evaluate((n) => whenDrawn(n), FIRST_PAGE);
}

/** The list filtered to the long ticket, settled; its link to click. */
async function listed(page: Page, at: string) {
  await page.goto(`${at}/admin/tickets?q=%22Long%20conversation%22`);
  const link = page.locator('to-ticket-table tbody tr a').first();
  await link.waitFor({ timeout: 60_000 });
  await page.waitForLoadState('networkidle');
  return link;
}

/**
 * One in-app opening under Chromium's tracer: the main thread's CPU time (thread time of its tasks)
 * from the click to the painted entries — far less sensitive to other load on the machine than the
 * elapsed time — and when each request ran. The trace is kept for DevTools.
 */
async function traceOpening(page: Page, at: string, path: string) {
  const link = await listed(page, at);
  await browser.startTracing(page, { path, screenshots: false, categories: ['devtools.timeline', 'blink.user_timing'] });
  await page.evaluate(() => performance.clearResourceTimings());
  await link.click();
  const drawn = await page.evaluate((n) => whenDrawn(n), FIRST_PAGE);
  const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
  const clicked = await page.evaluate(() => (window as any).__clickedAt as number);
  const requests = await page.evaluate((from) => (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((r) => `${Math.round(r.startTime - from)}→${Math.round(r.responseEnd - from)} ms ${r.name.replace(location.origin, '')}`), clicked);
  return { totalMs: round(drawn - clicked), mainThreadCpuMs: mainThreadCpu(trace.traceEvents), requests };
}

interface TraceEvent {
  name: string;
  ph: string;
  /** The thread's CPU clock at the event (µs). */
  tts?: number;
  args?: { data?: { type?: string } };
}

/** The main thread's CPU time from the click event to the `bench:drawn` mark (both on that thread), by its thread clock. */
function mainThreadCpu(events: TraceEvent[]): number {
  const click = events.find((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'click');
  const drawn = events.find((e) => e.name === 'bench:drawn');
  return click?.tts !== undefined && drawn?.tts !== undefined ? round((drawn.tts - click.tts) / 1000) : Number.NaN;
}

/** One in-app opening under the CPU profiler: self time by function, and what the page is made of. */
async function profileOpening(page: Page, at: string, prefix: string) {
  const link = await listed(page, at);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await link.click();
  await page.evaluate((n) => whenDrawn(n), FIRST_PAGE);
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
  writeFileSync(`${prefix}.cpuprofile`, JSON.stringify(profile));
  return { elements: await page.evaluate(() => (window as any).elementCounts()), selfTimeMs: selfTime(profile) };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function (top 25), from a V8 CPU profile. */
function selfTime(profile: CpuProfile): Record<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const f = byId.get(id)!;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return Object.fromEntries([...totals].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => [k, round(v)]));
}

/** Long tasks, the click's time, and counters that look through shadow roots (the console is web components). */
async function observePage(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as any;
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
    addEventListener('click', (event) => (w.__clickedAt = event.timeStamp), { capture: true });
    const all = (root: Document | ShadowRoot, selector: string, out: Element[] = []): Element[] => {
      out.push(...root.querySelectorAll(selector));
      for (const el of root.querySelectorAll('*')) if (el.shadowRoot) all(el.shadowRoot, selector, out);
      return out;
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
    // An entry of the conversation counts once its markdown is rendered (not the plain text shown
    // while the renderer loads). Asked every frame, so it looks only where entries are.
    let detail: Element | null = null;
    w.drawnEntries = () => {
      if (!detail?.isConnected) detail = find(document, 'to-ticket-detail-page');
      let n = 0;
      for (const entry of detail?.shadowRoot?.querySelectorAll('to-conversation-entry') ?? []) {
        if ((entry.shadowRoot ?? entry).querySelector('article[data-kind] .markdown:not(.plain)')) n++;
      }
      return n;
    };
    // What the page is made of: elements by tag, through shadow roots (for the profile).
    w.elementCounts = () => {
      const counts: Record<string, number> = {};
      for (const el of all(document, '*')) counts[el.localName] = (counts[el.localName] ?? 0) + 1;
      return Object.fromEntries(Object.entries(counts).filter(([tag, n]) => tag.includes('-') && n > 1).sort((a, b) => b[1] - a[1]));
    };
    // The whole page: the sidebar's fields and the composer drawn too.
    w.complete = () => {
      const root = detail?.shadowRoot;
      return !!(root?.querySelector('to-ticket-fields')?.shadowRoot?.querySelector('section') && root.querySelector('to-comment-composer')?.shadowRoot?.querySelector('form'));
    };
    // Resolves with the time after the rendering of the first frame in which `ready()` holds.
    const whenPainted = (ready: () => boolean, mark: string) =>
      new Promise<number>((resolve) => {
        const check = () => {
          if (!ready()) return requestAnimationFrame(check);
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve(performance.mark(mark).startTime);
          channel.port2.postMessage(null);
        };
        requestAnimationFrame(check);
      });
    w.whenDrawn = (n: number) => whenPainted(() => w.drawnEntries() >= n, 'bench:drawn');
    w.whenComplete = () => whenPainted(() => w.complete(), 'bench:complete');
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.floor(sorted.length / 2)] ?? Number.NaN);
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
  function drawnEntries(): number;
  function elementCounts(): Record<string, number>;
  function whenDrawn(n: number): Promise<number>;
  function whenComplete(): Promise<number>;
}
