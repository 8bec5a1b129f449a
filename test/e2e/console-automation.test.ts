import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '../../core/src/testing/index.ts';
import { definePlugin } from '../../plugin-sdk/src/index.ts';
import { automationPlugin } from '../../plugins/automation/src/index.ts';
import { accessible, buildConsole, launch, newContext, poll, root, screenshot, signIn, viteBuild, watchedPage } from './console-browser.ts';

/**
 * The automation plugin's console in Chromium against a real server, PostgreSQL and the kernel
 * sandbox: a trigger built with the rule builder's forms (the API's errors beside the control
 * they name) and published applies to a ticket changed through the API; the script editor
 * (CodeMirror 6 + TypeScript's language service on `ticketops-rules.d.ts`) completes and flags
 * type errors, and shows the server's compile error at its line; the dry run shows the condition
 * trace; axe-core passes in both themes. The plugin's admin module is built from its sources.
 */
let node: TestKernel;
let browser: Browser;
let page: Page;
let built: string;
let pluginBuilt: string;
let admin: { id: string; email: string; password: string; token: string };
let customer: { id: string; token: string };
const problems: string[] = [];
/** Every 400 answer the console got, with the field errors (to tell why a save did not happen). */
const badRequests: string[] = [];

const api = (method: string, path: string, body?: unknown) => node.request(method, `/api/v1${path}`, { token: admin.token, body });
const panel = () => page.locator('section[data-panel="to-automation-rules"]');
const form = (name: string) => panel().getByRole('form', { name });

beforeAll(async () => {
  built = buildConsole();
  pluginBuilt = viteBuild(join(root, 'plugins/automation'), 'ticketops-automation-admin-', 'vite.admin.config.ts');
  const automation = definePlugin({ ...automationPlugin, admin: { ...automationPlugin.admin!, assets: pluginBuilt } });
  node = await startTestKernel({ workers: true, plugins: [{ definition: automation }], config: { consoleDir: built } });
  admin = await node.createUser({ role: 'admin', name: 'Ada Admin', email: 'ada@example.test' });
  customer = await node.createUser({ role: 'customer' });
  browser = await launch();
  page = await watchedPage(await newContext(browser), node.url, problems);
  page.on('response', async (response) => {
    if (response.status() === 400) badRequests.push(`${new URL(response.url()).pathname} ${JSON.stringify((await response.json()).errors)}`);
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await node?.close();
  for (const dir of [built, pluginBuilt]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('automation rule builder', () => {
  it('builds a trigger with the forms (priority changed to urgent → add tag), shows the API error beside its control, publishes it, and the rule applies', async () => {
    await page.goto(`${node.url}/admin/settings`);
    await signIn(page, admin);
    await panel().getByRole('heading', { name: 'Automation rules' }).waitFor();
    await panel().getByText('No rules yet.').waitFor();
    await panel().getByRole('button', { name: 'New rule' }).click();
    const rule = form('New rule');
    await rule.getByLabel('Name').fill('Urgent gets tagged');
    await rule.getByLabel('Name').dispatchEvent('change');
    expect(await rule.getByLabel('Ticket updated').isChecked()).toBe(true);
    await rule.getByRole('button', { name: 'Add condition to “All”' }).click();
    await rule.getByLabel('All 1: field').selectOption({ label: 'Priority' });
    // Tags offer only the operators their kind allows.
    await rule.getByLabel('All 1: operator').selectOption('changedTo');
    await rule.getByLabel('All 1: value').selectOption('urgent');

    // A set_field action without a value: the API's /body/actions/0/value error shows beside it.
    await rule.getByRole('button', { name: 'Add action' }).click();
    await rule.getByLabel('Action 1', { exact: true }).selectOption('set_field');
    await rule.getByRole('button', { name: 'Create draft' }).click();
    const action = rule.locator('[data-action="0"]');
    await action.locator('.field-error').filter({ hasText: 'is not a priority of this tenant' }).waitFor();
    expect(await action.getByRole('combobox', { name: 'To' }).getAttribute('aria-invalid')).toBe('true');
    expect(badRequests.at(-1)).toBe('/api/v1/automation/rules [{"pointer":"/body/actions/0/value","message":"is not a priority of this tenant"}]');
    expect((await api('GET', '/automation/rules')).body.items).toEqual([]);

    await rule.getByLabel('Action 1', { exact: true }).selectOption('add_tags');
    await rule.getByLabel('Tags (comma-separated)').fill('escalated');
    await rule.getByLabel('Tags (comma-separated)').dispatchEvent('change');
    await rule.getByRole('button', { name: 'Create draft' }).click();
    const saved = form('Rule “Urgent gets tagged”');
    await saved.getByRole('status').filter({ hasText: 'Saved version 1 as a draft.' }).waitFor();
    const [stored] = (await api('GET', '/automation/rules')).body.items;
    expect(stored).toMatchObject({
      name: 'Urgent gets tagged', kind: 'trigger', status: 'draft', active: false, events: ['ticket.updated'],
      conditions: { all: [{ field: 'priority', operator: 'changedTo', value: 'urgent' }] },
      actions: [{ type: 'add_tags', tags: ['escalated'] }],
    });

    await saved.getByRole('button', { name: 'Publish version 1' }).click();
    await saved.getByRole('status').filter({ hasText: 'Published version 1.' }).waitFor();
    expect((await api('GET', `/automation/rules/${stored.id}`)).body).toMatchObject({ status: 'published', active: true, publishedVersion: 1 });

    const ticket = (await api('POST', '/tickets', { title: 'Printer on fire', requester: customer.id, priority: 'normal' })).body;
    expect((await api('PATCH', `/tickets/${ticket.id}`, { priority: 'urgent' })).status).toBe(200);
    await poll(async () => (await api('GET', `/tickets/${ticket.id}`)).body.tags, 20_000).toContain('escalated');

    // The run shows in the log, filtered by outcome.
    const runs = panel().locator('to-automation-runs');
    await runs.getByLabel('Outcome', { exact: true }).selectOption('matched');
    await runs.locator('td[data-outcome="matched"]').first().waitFor();
    // Before signing in, the session check is answered 401; the refused save above, 400.
    expect(problems.filter((p) => !/status of 40[01]/.test(p))).toEqual([]);
  });

  it('dry-runs the rule against a ticket by number and shows the condition trace', async () => {
    const ticket = (await api('POST', '/tickets', { title: 'Calm question', requester: customer.id, priority: 'low' })).body;
    const dry = panel().getByRole('form', { name: 'Dry run' });
    await dry.getByLabel('Ticket number').fill(String(ticket.number));
    await dry.getByRole('button', { name: 'Run dry' }).click();
    await dry.locator('[data-outcome]').waitFor();
    // As ticket.updated without changes, "priority changed to urgent" is false.
    expect(await dry.locator('[data-outcome]').getAttribute('data-outcome')).toBe('no_match');
    const entry = dry.locator('[data-trace] li[data-pointer="/conditions/all/0"]');
    expect(await entry.textContent()).toMatch(/priority\s+changed to\s+urgent\s+→\s+false/);
    // With the event's change, the same condition is true and the tag is proposed.
    await dry.getByLabel('Changes (JSON, optional)').fill(JSON.stringify([{ field: 'priority', from: 'low', to: 'urgent' }]));
    await dry.getByRole('button', { name: 'Run dry' }).click();
    await dry.locator('[data-outcome="matched"]').waitFor();
    expect(await entry.textContent()).toMatch(/priority\s+changed to\s+urgent\s+→\s+true/);
    expect(await dry.locator('[data-dry-run-result] ul').last().textContent()).toContain('Add tags');
    expect((await api('GET', `/tickets/${ticket.id}`)).body.tags).toEqual([]);
    await accessible(page, 'automation rule builder and dry run, light');
    await screenshot(page, 'automation-rules-light');
  });
});

describe('automation condition groups', () => {
  it('nests groups up to three deep, and the JSON view shows the same definition', async () => {
    await panel().getByRole('button', { name: 'New rule' }).click();
    const rule = form('New rule');
    await rule.getByRole('button', { name: 'Add group to “All”' }).click();
    // The new group (All 1) starts with one predicate in its "Any" list; its field picker offers tags.
    await rule.getByLabel('All 1 › Any 1: field').selectOption({ label: 'Tags' });
    expect(await rule.getByLabel('All 1 › Any 1: operator').locator('option').allTextContents()).toEqual(['contains', 'does not contain', 'is empty', 'is not empty', 'changed', 'changed to', 'changed from']);
    await rule.getByLabel('All 1 › Any 1: value').fill('vip');
    await rule.getByLabel('All 1 › Any 1: value').dispatchEvent('change');
    await rule.getByRole('button', { name: 'Add group to “All 1 › Any”' }).click();
    // Depth 3 reached: that group offers conditions only.
    await rule.getByRole('button', { name: 'Add condition to “All 1 › Any 2 › Any”' }).waitFor();
    expect(await rule.getByRole('button', { name: 'Add group to “All 1 › Any 2 › Any”' }).count()).toBe(0);
    await rule.getByRole('button', { name: 'Advanced: JSON' }).click();
    const json = JSON.parse(await rule.getByLabel('Rule (JSON)').inputValue());
    expect(json.conditions).toEqual({ all: [{ any: [{ field: 'tags', operator: 'contains', value: 'vip' }, { any: [{ field: 'priority', operator: 'equals', value: '' }] }] }] });
    await rule.getByRole('button', { name: 'Advanced: JSON' }).click();
    await rule.getByLabel('All 1 › Any 1: value').waitFor();
  });
});

describe('automation approval steps', () => {
  it('builds a two-step approval with forms, shows the API error at the step that has no approver, and saves the steps in order', async () => {
    const bob = await node.createUser({ role: 'agent', name: 'Bob Approver', email: 'bob@example.test' });
    const finance = (await api('POST', '/groups', { name: 'Finance' })).body;
    // The pickers read users and groups when the panel opens.
    await page.goto(`${node.url}/admin/settings`);
    await panel().getByRole('button', { name: 'New rule' }).click();
    const rule = form('New rule');
    await rule.getByLabel('Name').fill('Purchases need approval');
    await rule.getByLabel('Name').dispatchEvent('change');
    await rule.getByRole('button', { name: 'Add action' }).click();
    await rule.getByLabel('Action 1', { exact: true }).selectOption('request_approval');
    const step1 = rule.locator('[data-action="0"] to-automation-approval-steps [data-step="0"]');
    await step1.getByLabel('Decided by').selectOption('all');
    await step1.getByLabel('Approving agents').selectOption([bob.id, admin.id]);
    await rule.getByRole('button', { name: 'Add a step' }).click();
    // Step 2 has no approver yet: the API names it and the step shows the message.
    await rule.getByRole('button', { name: 'Create draft' }).click();
    const step2 = rule.locator('[data-action="0"] to-automation-approval-steps [data-step="1"]');
    await step2.locator('.field-error').filter({ hasText: 'needs userIds, groupIds or requesterManager' }).waitFor();
    expect((await api('GET', '/automation/rules')).body.items.filter((r: { name: string }) => r.name === 'Purchases need approval')).toEqual([]);

    await step2.getByLabel('Approving groups (any member)').selectOption(finance.id);
    await step2.getByLabel("The requester's manager approves").check();
    // Order matters: the group step moves first.
    await rule.getByRole('button', { name: 'Move step 2 up' }).click();
    await rule.getByRole('button', { name: 'Create draft' }).click();
    await form('Rule “Purchases need approval”').getByRole('status').filter({ hasText: 'Saved version 1 as a draft.' }).waitFor();
    const stored = (await api('GET', '/automation/rules')).body.items.find((r: { name: string }) => r.name === 'Purchases need approval');
    const [action] = stored.actions;
    expect(action.steps[0]).toEqual({ mode: 'any', groupIds: [finance.id], requesterManager: true });
    expect({ ...action.steps[1], userIds: [...action.steps[1].userIds].sort() }).toEqual({ mode: 'all', userIds: [admin.id, bob.id].sort() });
  });
});

describe('automation script editor', () => {
  it('completes event.ticket. from ticketops-rules.d.ts, flags a type error, and shows the server compile error at its line', async () => {
    await panel().getByRole('button', { name: 'New rule' }).click();
    const rule = form('New rule');
    await rule.getByLabel('Name').fill('Scripted');
    await rule.getByLabel('Name').dispatchEvent('change');
    await rule.getByLabel('Script', { exact: true }).check();
    const editor = rule.locator('to-automation-script-editor .cm-content');
    await editor.waitFor();
    // A completion: on a new line inside the function body (above line 4), type "event.ticket.".
    await editor.click();
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.type('const n = event.ticket.');
    const options = rule.locator('.cm-tooltip-autocomplete li');
    await options.filter({ hasText: /^title/ }).first().waitFor({ timeout: 20_000 });
    expect(await options.allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^priority/), expect.stringMatching(/^tags/)]));
    await page.keyboard.press('Escape');
    // A type error: a property TicketRecord does not have.
    await page.keyboard.type('titel;');
    await rule.locator('.cm-lintRange-error').first().waitFor({ timeout: 20_000 });
    await rule.locator('.cm-lintRange-error').first().hover();
    await rule.locator('.cm-tooltip-lint').filter({ hasText: "Property 'titel' does not exist on type 'TicketRecord'" }).waitFor();

    // The server's sandbox.check: a syntax error on line 3 shows beside the editor and at that line.
    await editor.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await page.keyboard.type('export default (event) => {\n  return [\n  { type: "add_tags", tags: [ }\n];\n};\n');
    await rule.getByRole('button', { name: 'Create draft' }).click();
    const error = rule.locator('to-automation-script-editor .field-error');
    await error.filter({ hasText: /does not compile \(line 3/ }).waitFor();
    // In the editor too, at line 3: the diagnostics panel (Ctrl+Shift+M, keyboard reachable) lists it.
    await expect.poll(() => rule.locator('.cm-line').nth(2).locator('.cm-lintRange-error').count()).toBeGreaterThan(0);
    await editor.focus();
    await page.keyboard.press('Control+Shift+KeyM');
    await rule.locator('.cm-panel-lint li').filter({ hasText: "does not compile (line 3, column 35): Unexpected token '}'" }).waitFor();
    // Nothing was saved: the rules are the ones the earlier tests made.
    expect((await api('GET', '/automation/rules')).body.items.map((r: { name: string }) => r.name).sort()).toEqual(['Purchases need approval', 'Urgent gets tagged']);

    // Keyboard: Escape closes the diagnostics panel; Tab indents inside the editor; Escape then Tab moves focus on.
    await page.keyboard.press('Escape');
    await rule.locator('.cm-panel-lint').waitFor({ state: 'detached' });
    await editor.focus();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    expect(await rule.getByLabel('Capabilities (comma-separated, e.g. users.get)').evaluate((el) => el.matches(':focus'))).toBe(true);
  });

  it('passes axe-core with the rule builder and the script editor open in the dark theme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await poll(() => page.evaluate(() => document.documentElement.classList.contains('wa-dark'))).toBe(true);
    await panel().getByRole('button', { name: 'Urgent gets tagged', exact: true }).click();
    await form('Rule “Urgent gets tagged”').waitFor();
    await accessible(page, 'automation rule builder, dark');
    await panel().getByRole('button', { name: 'New rule' }).click();
    await form('New rule').getByLabel('Script', { exact: true }).check();
    await form('New rule').locator('to-automation-script-editor .cm-content').waitFor();
    await accessible(page, 'automation script editor, dark');
    await screenshot(page, 'automation-script-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
