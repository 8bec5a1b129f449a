import { rmSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '../../core/src/testing/index.ts';
import { helloPlugin } from '../../examples/hello-plugin/src/index.ts';
import { definePlugin } from '../../plugin-sdk/src/index.ts';
import { accessible, buildConsole, launch, newContext, poll, screenshot, signIn, watchedPage } from './console-browser.ts';

/**
 * The administration screens (admin-ui/src/admin/) in Chromium against a real server and
 * PostgreSQL, signed in as an admin, with the example plugin enabled (its config schema drives
 * the plugin form, its user-validation hook answers a field error, its permission joins the role
 * checklist). What the screens save is checked through the REST API.
 */
let node: TestKernel;
let browser: Browser;
let page: Page;
let built: string;
let admin: { id: string; email: string; password: string; token: string };
const problems: string[] = [];

const SECTIONS = ['users', 'groups', 'organizations', 'roles', 'ticket-types', 'statuses', 'priorities', 'tokens', 'plugins', 'audit'];
const api = (method: string, path: string, body?: unknown) => node.request(method, `/api/v1${path}`, { token: admin.token, body });
const main = () => page.getByRole('main');

/** Opens an admin screen by its address and waits for its heading. */
async function open(section: string, heading: string): Promise<void> {
  await page.goto(`${node.url}/admin/settings/${section}`);
  await main().getByRole('heading', { name: heading, level: 1 }).waitFor();
}

/** Answers the confirmation dialog with its confirm button (named `label`). */
async function confirm(label: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: label }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** The id of the focused element, looking through shadow roots. */
const focusedId = () =>
  page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.id ?? '';
  });

/** Presses Tab until the element with `id` has the focus (keyboard only), at most `limit` times. */
async function tabTo(id: string, limit = 80): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if ((await focusedId()) === id) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached #${id}`);
}

/** A plugin whose config schema has one of each kind the schema form draws. */
const vault = definePlugin({
  id: 'vault', version: '2.0.1', kernel: '^0.1.0', description: 'Keeps secrets',
  configSchema: {
    type: 'object', required: ['region'],
    properties: {
      region: { type: 'string', enum: ['eu', 'us'], description: 'Where the vault runs' },
      apiKey: { type: 'string' },
      audit: { type: 'boolean', default: true },
      smtp: { type: 'object', title: 'Mail server', properties: { port: { type: 'integer', minimum: 1, maximum: 65535 }, tls: { type: 'boolean', default: false } } },
    },
  },
});

const fieldError = (form: Locator, id: string) => form.locator(`#${id}-error`);

beforeAll(async () => {
  built = buildConsole();
  // The example plugin without its admin panel (its module is built by console-plugins.test.ts).
  const hello = definePlugin({ ...helloPlugin, admin: undefined });
  node = await startTestKernel({
    workers: false,
    plugins: [
      { definition: hello, config: { greeting: 'Howdy', blockedDomains: ['spam.test'] } },
      { definition: vault, config: { region: 'eu', apiKey: 'k-secret-123', smtp: { port: 2525 } } },
    ],
    config: { consoleDir: built },
  });
  admin = await node.createUser({ role: 'admin', name: 'Ada Admin', email: 'ada@example.test' });
  browser = await launch();
  page = await watchedPage(await newContext(browser), node.url, problems);
  await page.goto(`${node.url}/admin/settings/users`);
  await signIn(page, admin);
  await main().getByRole('heading', { name: 'Users', level: 1 }).waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await node?.close();
  if (built) rmSync(built, { recursive: true, force: true });
  // Answers the tests provoke on purpose (sign-in probe, validation errors, the last-admin guard) are logged by Chromium; nothing else may be.
  expect(problems.filter((p) => !/status of (400|401|409)/.test(p))).toEqual([]);
});

describe('administration screens', () => {
  it('creates a user and lists it; search finds it', async () => {
    // The main navigation's entry leads here and is marked current; Settings is not.
    const mainNav = page.getByRole('navigation', { name: 'Main' });
    expect(await mainNav.getByRole('link', { name: 'Administration' }).getAttribute('aria-current')).toBe('page');
    expect(await mainNav.getByRole('link', { name: 'Settings' }).getAttribute('aria-current')).toBe('false');
    const form = main().locator('form', { has: page.getByRole('heading', { name: 'Create a user' }) });
    await form.getByLabel('Name').fill('Uma User');
    await form.getByLabel('Email').fill('uma@example.test');
    await form.getByRole('button', { name: 'Create' }).click();
    await main().getByRole('status').filter({ hasText: 'Uma User was created.' }).waitFor();
    await main().getByRole('cell', { name: 'uma@example.test' }).waitFor();
    const created = (await api('GET', '/users/search?q=uma')).body.items;
    expect(created).toMatchObject([{ name: 'Uma User', email: 'uma@example.test', role: 'agent', active: true }]);

    await main().getByLabel('Name or email').fill('uma');
    await main().getByRole('button', { name: 'Search' }).click();
    await poll(() => main().locator('tbody tr').count()).toBe(1);
    await main().getByLabel('Name or email').fill('');
    await main().getByRole('button', { name: 'Search' }).click();
    await poll(() => main().locator('tbody tr').count()).toBe(2);
  });

  it("shows the API's validation errors next to the field they name", async () => {
    const form = main().locator('form', { has: page.getByRole('heading', { name: 'Create a user' }) });
    // Schema validation (format: email) → pointer /body/email.
    await form.getByLabel('Name').fill('Mallory');
    await form.getByLabel('Email').fill('not-an-email');
    await form.getByRole('button', { name: 'Create' }).click();
    await poll(() => fieldError(form, 'f-new-email').textContent()).toMatch(/email/i);
    expect(await form.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByLabel('Email').getAttribute('aria-describedby')).toContain('f-new-email-error');
    expect(await fieldError(form, 'f-new-name').count()).toBe(0);
    // A plugin's validate hook vetoes the domain, naming /body/email too; the focus lands on the field.
    await form.getByLabel('Email').fill('mallory@spam.test');
    await form.getByRole('button', { name: 'Create' }).click();
    await poll(() => fieldError(form, 'f-new-email').textContent()).toContain('spam.test is not allowed');
    expect(await focusedId()).toBe('f-new-email');
    await form.getByLabel('Password').fill('short');
    await form.getByLabel('Email').fill('mallory@example.test');
    await form.getByRole('button', { name: 'Create' }).click();
    await poll(() => fieldError(form, 'f-new-password').textContent()).toMatch(/8/);
    expect((await api('GET', '/users/search?q=mallory')).body.items).toEqual([]);
    await accessible(page, 'users with field errors');
  });

  it('creates a user by keyboard alone: Tab to the fields, Enter submits', async () => {
    await open('users', 'Users');
    await page.locator('body').focus();
    await tabTo('f-new-name');
    await page.keyboard.type('Kim Keys');
    await page.keyboard.press('Tab');
    expect(await focusedId()).toBe('f-new-email');
    await page.keyboard.type('kim@example.test');
    await page.keyboard.press('Enter');
    await main().getByRole('cell', { name: 'kim@example.test' }).waitFor();
    expect((await api('GET', '/users/search?q=kim')).body.items).toHaveLength(1);
  });

  it('explains the last-admin guard when the only admin is deactivated', async () => {
    await main().getByRole('button', { name: 'Edit Ada Admin' }).click();
    await main().getByRole('button', { name: 'Deactivate' }).click();
    // Cancel first: nothing happens.
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect((await api('GET', `/users/${admin.id}`)).body.active).toBe(true);
    await main().getByRole('button', { name: 'Deactivate' }).click();
    await confirm('Deactivate');
    await main().getByRole('alert').filter({ hasText: 'last active admin' }).waitFor();
    expect((await api('GET', `/users/${admin.id}`)).body.active).toBe(true);
  });

  it('manages organizations (domains checked by the API) and groups with members', async () => {
    await open('organizations', 'Organizations');
    await main().getByRole('button', { name: 'Create an organization' }).click();
    const form = main().locator('form[data-edit]');
    await form.getByLabel('Name').fill('Acme');
    await form.getByLabel('Email domains').fill('acme.test, not a domain');
    await form.getByRole('button', { name: 'Save' }).click();
    await poll(() => fieldError(form, 'f-domains').textContent()).toContain('is not a domain name');
    expect(await focusedId()).toBe('f-domains');
    await form.getByLabel('Email domains').fill('acme.test, acme.example');
    await form.getByRole('button', { name: 'Save' }).click();
    await main().getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const org = (await api('GET', '/organizations')).body.items.find((o: { name: string }) => o.name === 'Acme');
    expect(org.domains).toEqual(['acme.test', 'acme.example']);
    await main().getByRole('button', { name: 'Edit Acme' }).click();
    await main().getByText('0 members').waitFor();
    expect(await main().locator('form[data-edit]').getByRole('link', { name: 'Tickets' }).getAttribute('href')).toBe(`/admin/tickets?organizationId=${org.id}`);

    await open('groups', 'Groups');
    await main().getByRole('button', { name: 'Create a group' }).click();
    const group = main().locator('form[data-edit]');
    await group.getByLabel('Name').fill('Hardware desk');
    await group.getByLabel('Kim Keys (kim@example.test)').check();
    await group.getByRole('button', { name: 'Save' }).click();
    await main().getByRole('cell', { name: 'Kim Keys' }).waitFor();
    const created = (await api('GET', '/groups')).body.items.find((g: { name: string }) => g.name === 'Hardware desk');
    expect(created.memberIds).toEqual([(await api('GET', '/users/search?q=kim')).body.items[0].id]);
    await main().getByRole('button', { name: 'Edit Hardware desk' }).click();
    await main().locator('form[data-edit]').getByRole('button', { name: 'Delete' }).click();
    await confirm('Delete');
    await main().getByRole('status').filter({ hasText: '"Hardware desk" was deleted.' }).waitFor();
    expect((await api('GET', `/groups/${created.id}`)).status).toBe(404);
  });

  it('saves a custom role from the grouped permission checklist (plugin permissions included) and reloads it', async () => {
    const catalogue = (await api('GET', '/permissions')).body.items.map((p: { name: string }) => p.name);
    expect(catalogue).toContain('hello.greetings.write');
    await open('roles', 'Roles');
    expect(await main().getByRole('button', { name: 'Edit admin' }).count()).toBe(0); // built-in: read-only
    await main().getByRole('button', { name: 'Create a custom role' }).click();
    const form = main().locator('form');
    // A name the API rejects (pattern) is named next to the field.
    await form.getByLabel('Name').fill('Billing Agents');
    await form.getByRole('group', { name: 'tickets' }).getByLabel('tickets.read', { exact: true }).check();
    await form.getByRole('button', { name: 'Save' }).click();
    await poll(() => fieldError(form, 'f-name').textContent()).toMatch(/pattern|match/i);
    await form.getByLabel('Name').fill('billing-agent');
    await form.getByLabel('Description').fill('Reads tickets, sends greetings');
    await form.getByRole('group', { name: 'hello' }).getByLabel('hello.greetings.write').check();
    await form.getByRole('button', { name: 'Save' }).click();
    await main().getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const role = (await api('GET', '/roles')).body.items.find((r: { name: string }) => r.name === 'billing-agent');
    expect(role).toMatchObject({ builtin: false, description: 'Reads tickets, sends greetings' });
    expect(role.permissions.sort()).toEqual(['hello.greetings.write', 'tickets.read']);

    await page.reload();
    await main().getByRole('button', { name: 'Edit billing-agent' }).click();
    const edit = main().locator('form');
    expect(await edit.getByLabel('tickets.read', { exact: true }).isChecked()).toBe(true);
    expect(await edit.getByLabel('hello.greetings.write').isChecked()).toBe(true);
    expect(await edit.getByLabel('tickets.update').isChecked()).toBe(false);
    await accessible(page, 'role editor');
    await screenshot(page, 'admin-role-editor');
    // "Select or clear all" of a group: all of users, then none again.
    await edit.getByRole('button', { name: 'Select or clear all of users' }).click();
    expect(await edit.getByLabel('users.write').isChecked()).toBe(true);
    await edit.getByRole('button', { name: 'Select or clear all of users' }).click();
    expect(await edit.getByLabel('users.read').isChecked()).toBe(false);
    await edit.getByLabel('tickets.update').check();
    await edit.getByRole('button', { name: 'Save' }).click();
    await main().getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect((await api('GET', '/roles')).body.items.find((r: { name: string }) => r.name === 'billing-agent').permissions).toContain('tickets.update');
  });

  it("changes a user's role and shows the change in the audit log", async () => {
    const uma = (await api('GET', '/users/search?q=uma')).body.items[0];
    await open('users', 'Users');
    await main().getByRole('button', { name: 'Edit Uma User' }).click();
    const form = main().locator('form', { has: page.getByRole('heading', { name: 'Edit Uma User' }) });
    await form.getByLabel('Role').selectOption('admin');
    // Opening another user shows that user's values, not what was chosen for the first.
    await main().getByRole('button', { name: 'Edit Kim Keys' }).click();
    expect(await main().locator('form[data-edit]').getByLabel('Role').inputValue()).toBe('agent');
    await main().getByRole('button', { name: 'Edit Uma User' }).click();
    expect(await form.getByLabel('Role').inputValue()).toBe('agent');
    await form.getByLabel('Role').selectOption('billing-agent');
    await form.getByRole('button', { name: 'Save' }).click();
    await main().getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect((await api('GET', `/users/${uma.id}`)).body.role).toBe('billing-agent');

    await open('audit', 'Audit log');
    await main().getByLabel('Action').fill('user.role_changed');
    await main().getByRole('button', { name: 'Apply' }).click();
    const row = main().locator('tbody tr[data-action="user.role_changed"]');
    await poll(() => main().locator('tbody tr').count()).toBe(1);
    expect(await row.textContent()).toContain('Ada Admin');
    await row.getByText('Show').click();
    expect(await row.locator('pre').textContent()).toContain('billing-agent');
    // A family filter and the actor filter narrow the same way.
    await main().getByLabel('Action').fill('role.*');
    await main().getByLabel('Actor').selectOption({ label: 'Ada Admin' });
    await main().getByRole('button', { name: 'Apply' }).click();
    await poll(() => main().locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))).toEqual(['role.changed', 'role.created']);
  });

  it('builds a ticket type with two custom fields whose JSON Schema the API stores', async () => {
    await open('ticket-types', 'Ticket types');
    await main().getByRole('button', { name: 'Create a ticket type' }).click();
    const form = main().locator('form');
    await form.getByLabel('Name').fill('hardware');
    const editor = form.locator('to-custom-field-editor');
    await editor.getByRole('button', { name: 'Add a field' }).click();
    await editor.getByLabel('Key').nth(0).fill('serialNumber');
    await editor.getByLabel('Label').nth(0).fill('Serial number');
    await editor.getByLabel('Required').nth(0).check();
    await editor.getByRole('button', { name: 'Add a field' }).click();
    await editor.getByLabel('Key').nth(1).fill('warranty');
    await editor.getByLabel('Label').nth(1).fill('Warranty');
    await editor.getByLabel('Type').nth(1).selectOption('select');
    // Saving a choice without options is stopped next to the options.
    await form.getByRole('button', { name: 'Save' }).click();
    await editor.getByText('Give at least one option.').waitFor();
    await editor.getByLabel('Options').fill('none\nstandard\nextended');
    await poll(() => editor.getByText('Give at least one option.').count()).toBe(0);
    // Reorder: warranty first, then back.
    await editor.getByRole('button', { name: 'Move Warranty up' }).click();
    expect(await editor.getByLabel('Key').nth(0).inputValue()).toBe('warranty');
    await editor.getByRole('button', { name: 'Move Warranty down' }).click();
    expect(await editor.getByLabel('Type').evaluateAll((selects) => selects.map((x) => (x as HTMLSelectElement).value))).toEqual(['text', 'select']);
    expect(await editor.getByLabel('Required').evaluateAll((boxes) => boxes.map((x) => (x as HTMLInputElement).checked))).toEqual([true, false]);
    await form.getByText('JSON Schema').click();
    expect(await form.locator('pre').textContent()).toContain('"serialNumber"');
    await accessible(page, 'ticket type editor');
    await screenshot(page, 'admin-ticket-type-editor');
    // The preview is the schema form an agent would fill: the required field is enforced next to it.
    await form.getByText('Preview', { exact: true }).click();
    const preview = form.locator('to-schema-form');
    await form.getByRole('button', { name: 'Check the preview' }).click();
    await preview.getByText('Required.').waitFor();
    expect(await preview.getByLabel('Serial number').getAttribute('aria-invalid')).toBe('true');
    await preview.getByLabel('Serial number').fill('SN-42');
    await preview.getByLabel('Warranty').selectOption('standard');
    await form.getByRole('button', { name: 'Check the preview' }).click();
    await form.getByRole('status').filter({ hasText: 'The values fit the schema.' }).waitFor();
    expect(await preview.getByText('Required.').count()).toBe(0);
    await form.getByRole('button', { name: 'Save' }).click();
    await main().getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    const type = (await api('GET', '/ticket-types')).body.items.find((t: { name: string }) => t.name === 'hardware');
    expect(type.fieldsSchema).toEqual({
      type: 'object',
      properties: {
        serialNumber: { type: 'string', maxLength: 1000, title: 'Serial number' },
        warranty: { type: 'string', enum: ['none', 'standard', 'extended'], title: 'Warranty' },
      },
      required: ['serialNumber'],
      'x-order': ['serialNumber', 'warranty'],
    });
    // The schema is enforced on tickets of the type.
    const bad = await api('POST', '/tickets', { title: 'Broken laptop', type: 'hardware', customFields: { warranty: 'lifetime' } });
    expect(bad.status).toBe(400);
    // Reopened, the editor shows the fields in order.
    await page.reload();
    await main().getByRole('button', { name: 'Edit hardware' }).click();
    expect(await main().locator('to-custom-field-editor').getByLabel('Key').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))).toEqual(['serialNumber', 'warranty']);
  });

  it('reorders priorities', async () => {
    const before = (await api('GET', '/ticket-priorities')).body.items.map((p: { name: string }) => p.name);
    await open('priorities', 'Priorities');
    await main().getByRole('button', { name: `Move ${before[1]} up` }).click();
    await poll(async () => (await api('GET', '/ticket-priorities')).body.items.map((p: { name: string }) => p.name)).toEqual([before[1], before[0], ...before.slice(2)]);
  });

  it('creates an API token, shows its secret once, and revokes it', async () => {
    await open('tokens', 'API tokens');
    const form = main().locator('form', { has: page.getByRole('heading', { name: 'Create a token' }) });
    await form.getByLabel('Name').fill('ci-deploy');
    await form.getByRole('button', { name: 'Create' }).click();
    const secretBox = main().getByLabel('Secret');
    await secretBox.waitFor();
    await accessible(page, 'token secret');
    const secret = await secretBox.inputValue();
    expect(secret.length).toBeGreaterThan(20);
    expect(await focusedId()).toBe('secret');
    expect((await node.request('GET', '/api/v1/me', { token: secret })).status).toBe(200);
    expect(await main().getByRole('row', { name: /ci-deploy/ }).textContent()).toContain(secret.slice(0, 8));

    await page.reload();
    await main().getByRole('row', { name: /ci-deploy/ }).waitFor();
    expect(await main().getByLabel('Secret').count()).toBe(0);
    expect(await page.evaluate((s) => document.body.innerHTML.includes(s) || [...document.querySelectorAll('*')].some((e) => e.shadowRoot?.innerHTML.includes(s)), secret)).toBe(false);

    await main().getByRole('button', { name: 'Revoke ci-deploy' }).click();
    await confirm('Revoke');
    await main().getByRole('status').filter({ hasText: 'was revoked' }).waitFor();
    expect((await node.request('GET', '/api/v1/me', { token: secret })).status).toBe(401);
    await poll(() => main().getByRole('row', { name: /ci-deploy/ }).textContent()).toContain('Revoked');
  });

  it("renders the plugin's config form from its schema, read-only, with the configured values", async () => {
    await open('plugins', 'Plugins');
    const section = main().locator('section[data-plugin="hello"]');
    await section.getByRole('heading', { name: /hello/ }).waitFor();
    // The installation config's form (the operator's); the plugin's tenant settings have their own (console-plugin-settings.test.ts).
    const form = section.locator('to-schema-form[data-kind="config"]');
    await poll(() => form.getByLabel('greeting').inputValue()).toBe('Howdy');
    expect(await form.getByLabel('greeting').getAttribute('readonly')).not.toBeNull();
    expect(await form.getByLabel('greeting').getAttribute('maxlength')).toBe('40');
    expect(await form.getByLabel('blockedDomains').inputValue()).toBe('spam.test');
    await main().getByRole('note').filter({ hasText: 'read-only' }).waitFor();

    // Load order, and every kind of field: a choice, a yes/no, a nested object, an integer with bounds, a withheld secret.
    expect(await main().locator('section[data-plugin] h2').allTextContents()).toEqual([expect.stringMatching(/^1\. hello/), expect.stringMatching(/^2\. vault\s+version 2\.0\.1/)]);
    const vaultForm = main().locator('section[data-plugin="vault"] to-schema-form[data-kind="config"]');
    expect(await vaultForm.getByLabel('region').inputValue()).toBe('eu');
    expect(await vaultForm.getByText('Where the vault runs').count()).toBe(1);
    expect(await vaultForm.getByLabel('audit').isChecked()).toBe(true); // the schema's default, applied at boot
    expect(await vaultForm.getByLabel('tls').isChecked()).toBe(false);
    await vaultForm.getByRole('group', { name: 'Mail server' }).waitFor();
    expect(await vaultForm.getByLabel('port').inputValue()).toBe('2525');
    expect(await vaultForm.getByLabel('port').getAttribute('max')).toBe('65535');
    expect(await vaultForm.getByLabel('apiKey').inputValue()).toBe('');
    await vaultForm.getByText('A secret: set on the server, not shown.').waitFor();
    expect(await page.evaluate(() => [...document.querySelectorAll('*')].some((e) => e.shadowRoot?.innerHTML.includes('k-secret-123')))).toBe(false);
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`has no accessibility violations on any administration screen (${scheme})`, async () => {
      await page.emulateMedia({ colorScheme: scheme });
      for (const section of SECTIONS) {
        await page.goto(`${node.url}/admin/settings/${section}`);
        await main().locator('h1').waitFor();
        await main().getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: /./ }).first().waitFor();
        await page.waitForLoadState('networkidle');
        await accessible(page, `${section} (${scheme})`);
        if (['users', 'roles', 'plugins', 'audit'].includes(section)) await screenshot(page, `admin-${section}-${scheme}`);
      }
      await page.emulateMedia({ colorScheme: 'light' });
    }, 120_000);
  }

  it('fits a phone: no horizontal scrolling at 390 px', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    for (const [section, heading] of [['users', 'Users'], ['ticket-types', 'Ticket types'], ['audit', 'Audit log']]) {
      await open(section as string, heading as string);
      await page.waitForLoadState('networkidle');
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), section).toBe(true);
    }
    await open('users', 'Users');
    await screenshot(page, 'admin-users-phone');
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('speaks German', async () => {
    await page.evaluate(() => localStorage.setItem('ticketops.language', 'de'));
    await page.goto(`${node.url}/admin/settings/roles`);
    await main().getByRole('heading', { name: 'Rollen', level: 1 }).waitFor();
    await main().getByRole('navigation', { name: 'Verwaltung' }).getByRole('link', { name: 'Benutzer' }).click();
    await main().getByRole('heading', { name: 'Benutzer anlegen' }).waitFor();
    await page.evaluate(() => localStorage.setItem('ticketops.language', 'en'));
  });
});
