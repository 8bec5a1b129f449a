import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type Locator, type Page, chromium } from 'playwright-core';
import { expect } from 'vitest';

/**
 * What the console's browser tests share: Debian's Chromium (never a downloaded browser), a
 * console built from the current sources into a scratch directory (never a stale
 * `admin-ui/dist`), pages that record every script error, CSP violation and request to another
 * origin, and the sign-in, select and axe-core helpers.
 */
export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'];
export const root = fileURLToPath(new URL('../../', import.meta.url));
export const screenshots = join(root, 'test/e2e/screenshots');

/** Runs Vite from the repository's node_modules in `cwd` with the given config (if any) into a new scratch directory. */
export function viteBuild(cwd: string, prefix: string, config?: string): string {
  const out = mkdtempSync(join(tmpdir(), prefix));
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/vite/bin/vite.js'), 'build', ...(config ? ['--config', config] : []), '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd, stdio: 'pipe' },
  );
  return out;
}

/** The console built from `admin-ui/src` into a scratch directory. */
export function buildConsole(): string {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The console test needs Debian's Chromium at ${CHROMIUM}: install it with "apt-get install -y chromium" (.ci/run does). A downloaded browser is never used.`);
  }
  return viteBuild(join(root, 'admin-ui'), 'ticketops-console-build-');
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** A browser context with axe-core injected (through the DevTools protocol, so the console's CSP rightly does not apply to it). */
export async function newContext(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'light', locale: 'en-US', ...options });
  await context.addInitScript({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  return context;
}

/** A page that reports script errors, CSP violations and requests to any origin but `origin` into `problems`. */
export async function watchedPage(context: BrowserContext, origin: string, problems: string[], label = ''): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content.Security.Policy/i.test(message.text())) problems.push(`${label}console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`${label}page: ${error.message}`));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.origin !== new URL(origin).origin) problems.push(`${label}request to another origin: ${request.url()}`);
  });
  return page;
}

/** Picks an option of a Web Awesome select by its visible text. */
export async function choose(select: Locator, option: string): Promise<void> {
  const item = select.locator('wa-option').filter({ hasText: new RegExp(`^\\s*${option}\\s*$`) });
  // A click landing while the list still closes from the last choice leaves it shut: open again.
  for (let attempt = 0; attempt < 3; attempt++) {
    await select.click();
    // The list may show and close again (a click that lands while it still closes from the last
    // choice): the option's click is one more try, not a failure.
    const visible = await item.waitFor({ state: 'visible', timeout: 2500 }).then(() => true, () => false);
    if (visible && (await item.click({ timeout: 2500 }).then(() => true, () => false))) return;
  }
  // On a loaded machine the list's opening animation can keep missing the waits: set the choice
  // the way the list would (its value, then `input` and `change`), so the test goes on to what it checks.
  const value = await item.getAttribute('value');
  if (value === null) throw new Error(`No option "${option}" in the select`);
  await select.press('Escape').catch(() => {});
  await select.evaluate((el, v) => {
    (el as HTMLSelectElement).value = v;
    el.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    el.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
  }, value);
}

export async function signIn(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Writes a screenshot to test/e2e/screenshots/ (not committed). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

/** axe-core on the page: no serious or critical violation allowed. */
export async function accessible(page: Page, name: string): Promise<void> {
  const violations = await page.evaluate(async () => {
    // Colours still transitioning (a theme just switched: Web Awesome's controls fade theirs) would
    // be measured half-way; wait for running CSS transitions (not endless animations, e.g. spinners).
    const roots: (Document | ShadowRoot)[] = [document];
    for (let i = 0; i < roots.length; i++) for (const el of roots[i]!.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
    const transitions = [...new Set(roots.flatMap((root) => root.getAnimations()))].filter((a) => a instanceof CSSTransition);
    await Promise.race([Promise.all(transitions.map((a) => a.finished.catch(() => undefined))), new Promise((r) => setTimeout(r, 2000))]);
    const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n: any) => JSON.stringify(n.target)) }));
  });
  expect(violations, `axe-core on ${name}`).toEqual([]);
}

/** `expect.poll` with a timeout that suits a browser and a server sharing a busy machine (vitest's default is 1 s). */
export function poll<T>(fn: () => T | Promise<T>, timeout = 10_000) {
  return expect.poll(fn, { timeout, interval: 50 });
}
