import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { definePlugin } from '@ticketops/plugin-sdk';
import { buildConsole, launch, newContext, poll, root, signIn, viteBuild, watchedPage } from '../../../../../test/e2e/console-browser.ts';
import { emailPlugin } from '../../index.ts';

/**
 * The template editor panel in Chromium: the console and this panel built from their sources,
 * the plugin as published but with the panel declared (the lead wires `admin` into index.ts).
 */
let node: TestKernel;
let browser: Browser;
let page: Page;
let built: string;
let panelBuilt: string;
const problems: string[] = [];

beforeAll(async () => {
  built = buildConsole();
  panelBuilt = viteBuild(join(root, 'plugins/email'), 'ticketops-email-admin-', 'vite.admin.config.ts');
  const email = definePlugin({
    ...emailPlugin,
    admin: { ...emailPlugin.admin!, assets: panelBuilt },
  });
  node = await startTestKernel({ workers: false, plugins: [{ definition: email }], config: { consoleDir: built } });
  browser = await launch();
  page = await watchedPage(await newContext(browser), node.url, problems);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await node?.close();
  for (const dir of [built, panelBuilt]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('template editor panel', () => {
  it('edits, refuses a broken template naming the field, saves, previews and reverts', async () => {
    const admin = await node.createUser({ role: 'admin', name: 'Ada Admin', email: 'ada@example.test' });
    await page.goto(`${node.url}/admin/settings`);
    await signIn(page, admin);
    const panel = page.locator('section[data-panel="to-email-templates"]');
    await panel.getByRole('heading', { name: 'Email templates' }).waitFor();
    await panel.getByLabel('Notification and language').selectOption('ticket-created/en');
    await poll(() => panel.getByLabel('Subject').inputValue()).toBe('We received your request: {{ticket.title}}');

    await panel.getByLabel('HTML body').fill('<p>{{#if ticket}}never closed</p>');
    await panel.getByRole('button', { name: 'Save' }).click();
    await poll(() => panel.getByRole('status').textContent()).toContain('html:');
    expect(await panel.getByLabel('HTML body').getAttribute('aria-invalid')).toBe('true');
    expect((await node.request('GET', '/api/v1/email/templates/ticket-created/en', { token: admin.token })).body.overridden).toBe(false);

    await panel.getByLabel('HTML body').fill('<p>Hi {{recipient.name}}, about {{ticket.title}}</p>');
    await panel.getByLabel('Subject').fill('Got it: {{ticket.title}}');
    await panel.getByRole('button', { name: 'Save' }).click();
    await poll(() => panel.getByRole('status').textContent()).toBe('Saved.');
    expect((await node.request('GET', '/api/v1/email/templates/ticket-created/en', { token: admin.token })).body).toMatchObject({ overridden: true, subject: 'Got it: {{ticket.title}}' });

    await panel.getByRole('button', { name: 'Preview' }).click();
    const preview = panel.getByRole('region', { name: 'Preview' });
    await poll(() => preview.locator('.subject').textContent()).toBe('[#1234] Got it: The printer on floor 2 does not print');
    expect(await preview.locator('iframe').getAttribute('srcdoc')).toContain('Hi Alex Customer, about The printer on floor 2 does not print');
    expect(await preview.locator('iframe').getAttribute('sandbox')).toBe('');

    await panel.getByRole('button', { name: 'Use the shipped template' }).click();
    await poll(() => panel.getByRole('status').textContent()).toBe('The shipped template applies again.');
    expect((await node.request('GET', '/api/v1/email/templates/ticket-created/en', { token: admin.token })).body.overridden).toBe(false);
  });

  it('saw no script error or request to another origin', () => {
    // The preview frame inherits the console's CSP, which refuses the mail's inline styles: expected.
    expect(problems.filter((p) => !/status of (400|401)/.test(p) && !/Applying inline style violates/.test(p))).toEqual([]);
  });
});
