import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { accessible, poll, screenshot } from './console-browser.ts';

/**
 * What the portal's browser tests share, on top of the console's helpers (console-browser.ts):
 * signing in to the portal, dropping a file onto an element as a browser does for a real drop,
 * and checking a page in both colour schemes (the portal follows the system's).
 */
export async function signInToPortal(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('to-portal-shell').waitFor();
}

/** Drags a file over `target` and drops it (a DataTransfer holding a File, the events a real drop fires). */
export async function dropFile(page: Page, target: Locator, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ base64, name, type }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], name, { type }));
      return data;
    },
    { base64: file.buffer.toString('base64'), name: file.name, type: file.mimeType },
  );
  await target.dispatchEvent('dragover', { dataTransfer: transfer });
  await target.dispatchEvent('drop', { dataTransfer: transfer });
}

/** Screenshot and axe-core in the light scheme, then in the dark one (followed live), then back to light. */
export async function bothThemes(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(scheme);
    await screenshot(page, `portal-${name}-${scheme}`);
    await accessible(page, `portal ${name} (${scheme})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** No horizontal scrolling (a phone-width page must fit). */
export async function fitsWidth(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
}
