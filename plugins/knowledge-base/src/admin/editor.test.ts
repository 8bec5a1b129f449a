import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { attachmentsPlugin } from '@ticketops/plugin-attachments';
import { definePlugin } from '@ticketops/plugin-sdk';
import { accessible, buildConsole, launch, newContext, poll, root, signIn, viteBuild, watchedPage } from '../../../../test/e2e/console-browser.ts';
import { knowledgeBasePlugin } from '../index.ts';

/**
 * The knowledge base in Chromium, against a real server on PostgreSQL with the attachments plugin
 * on disk: the console and this plugin's panels built from their sources. An agent writes an
 * article, drops an image on it (progress to 100 %), puts it into the text, sees it in the
 * sanitized preview, publishes it as public and finds it by search; the portal's search element
 * finds it too and shows the image.
 */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

let node: TestKernel;
let browser: Browser;
let page: Page;
let built: string;
let panelBuilt: string;
let storage: string;
const problems: string[] = [];

beforeAll(async () => {
  built = buildConsole();
  panelBuilt = viteBuild(join(root, 'plugins/knowledge-base'), 'ticketops-kb-admin-', 'vite.admin.config.ts');
  storage = mkdtempSync(join(tmpdir(), 'ticketops-kb-console-'));
  const kb = definePlugin({ ...knowledgeBasePlugin, admin: { ...knowledgeBasePlugin.admin!, assets: panelBuilt } });
  node = await startTestKernel({
    workers: false,
    plugins: [{ definition: attachmentsPlugin, config: { storage: { driver: 'disk', dir: storage } } }, { definition: kb }],
    config: { consoleDir: built },
  });
  browser = await launch();
  page = await watchedPage(await newContext(browser), node.url, problems);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await node?.close();
  for (const dir of [built, panelBuilt, storage]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('knowledge-base console panels', () => {
  it('creates an article with an image, publishes it and finds it by search', async () => {
    const agent = await node.createUser({ role: 'agent', name: 'Ana Agent', email: 'ana@example.test' });
    const customer = await node.createUser({ role: 'customer' });
    await page.goto(`${node.url}/admin/tickets`);
    await signIn(page, agent);
    // The main navigation's link opens the plugin's own page, whose module loads only then.
    await page.getByRole('link', { name: 'Knowledge base' }).click();
    await page.waitForURL(`${node.url}/admin/p/knowledge-base/articles`);
    const panel = page.locator('section[data-panel="to-knowledge-base-editor"]');
    await panel.getByRole('heading', { name: 'Knowledge base' }).waitFor();
    // A category first, from the categories disclosure.
    await panel.getByText('Categories', { exact: true }).click();
    const addCategory = panel.getByRole('form', { name: 'Add category' });
    await addCategory.getByLabel('Name (English)').fill('Printers');
    await addCategory.getByLabel('Name (German)').fill('Drucker');
    await addCategory.getByRole('button', { name: 'Add category' }).click();
    await panel.getByRole('status').filter({ hasText: 'Category “Printers” added.' }).waitFor();
    await panel.getByRole('button', { name: 'New article' }).click();

    const form = panel.getByRole('form', { name: 'New article' });
    await form.getByLabel('Title (English)').fill('Replace the toner cartridge');
    await form.getByLabel('Text (Markdown)').fill('Open the **front cover**.\n\n<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">\n\n');
    await form.getByLabel('Who may read it').selectOption('public');
    await form.getByLabel('Tags (separated by spaces)').fill('printer toner');
    await form.getByLabel('Category').selectOption({ label: 'Printers' });
    await form.getByRole('button', { name: 'Save' }).click();
    await panel.getByRole('status').filter({ hasText: 'Article created as a draft.' }).waitFor();

    // Drop an image on the files box: it uploads with progress and can go into the text.
    const drop = panel.locator('to-knowledge-base-article-files .drop');
    const transfer = await page.evaluateHandle((base64) => {
      const data = new DataTransfer();
      data.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], 'toner.png', { type: 'image/png' }));
      return data;
    }, PNG.toString('base64'));
    await drop.dispatchEvent('dragover', { dataTransfer: transfer });
    await drop.dispatchEvent('drop', { dataTransfer: transfer });
    await panel.getByRole('link', { name: 'toner.png' }).waitFor();
    await panel.getByRole('button', { name: 'Insert into text: toner.png' }).click();
    expect(await panel.getByLabel('Text (Markdown)').inputValue()).toMatch(/!\[toner\.png\]\(attachment:att_\w+\)/);

    await panel.getByRole('button', { name: 'Preview' }).click();
    const preview = panel.locator('to-knowledge-base-article-body');
    await poll(() => preview.locator('img.article-image').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    expect(await preview.locator('strong').textContent()).toBe('front cover');
    // The markup in the text is shown as text; nothing of it runs.
    expect(await preview.locator('script, img:not(.article-image)').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();

    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.getByRole('status').filter({ hasText: 'Saved as version 2.' }).waitFor();
    await panel.getByRole('button', { name: 'Publish' }).click();
    await panel.getByRole('status').filter({ hasText: 'Published.' }).waitFor();
    await panel.getByRole('button', { name: 'Close' }).click();

    await panel.getByLabel('Search articles').fill('cartridges');
    await panel.getByRole('button', { name: 'Search', exact: true }).click();
    const hit = panel.getByRole('list', { name: 'Knowledge base' }).getByRole('listitem');
    await poll(() => hit.count()).toBe(1);
    expect(await hit.getByRole('button').textContent()).toBe('Replace the toner cartridge');
    expect(await hit.locator('mark').first().textContent()).toMatch(/cartridge/i);
    await accessible(page, 'knowledge base page');
    // The page's address with an article id opens that article.
    const [created] = (await node.request('GET', '/api/v1/knowledge-base/articles', { token: agent.token })).body.items;
    await page.goto(`${node.url}/admin/p/knowledge-base/articles/${created.id}`);
    await page.locator('section[data-panel="to-knowledge-base-editor"]').getByLabel('Title (English)').waitFor();
    await poll(() => page.locator('section[data-panel="to-knowledge-base-editor"]').getByLabel('Title (English)').inputValue()).toBe('Replace the toner cartridge');

    // What a customer may read through the API: the published public article and its image.
    const found = await node.request('GET', '/api/v1/knowledge-base/search?q=toner', { token: customer.token });
    expect(found.body.items.map((a: { title: string }) => a.title)).toEqual(['Replace the toner cartridge']);
    const article = await node.request('GET', `/api/v1/knowledge-base/articles/${found.body.items[0].id}`, { token: customer.token });
    expect(article.body).toMatchObject({ state: 'published', visibility: 'public', tags: ['printer', 'toner'], categoryId: expect.stringMatching(/^kbc_/) });
    const imageId = /attachment:(att_\w+)/.exec(article.body.translations.en.body)![1];
    expect((await fetch(`${node.url}/api/v1/attachments/${imageId}/content`, { headers: { authorization: `Bearer ${customer.token}` } })).status).toBe(200);
  });

  it("the portal's search element finds the article and opens it with its image", async () => {
    // The portal is another page; its zone element works wherever the API client is provided, so mount it here.
    await page.locator('section[data-panel="to-knowledge-base-editor"]').evaluate((section) => section.append(document.createElement('to-knowledge-base-portal-search')));
    const portal = page.locator('to-knowledge-base-portal-search');
    // Suggestions while typing: half a word is enough, no Enter needed.
    await portal.getByLabel('Search articles').pressSequentially('cartri');
    await portal.getByRole('link', { name: 'Replace the toner cartridge' }).click();
    await poll(() => portal.locator('article h3').evaluate((h) => h === (h.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await poll(() => portal.locator('article img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    await portal.getByRole('button', { name: 'Back to the results' }).click();
    await poll(() => portal.getByRole('link', { name: 'Replace the toner cartridge' }).evaluate((a) => a === (a.getRootNode() as ShadowRoot).activeElement)).toBe(true);
  });

  it('links an article to a ticket from its sidebar and unlinks it', async () => {
    const customer = await node.createUser({ role: 'customer' });
    const agent = await node.createUser({ role: 'agent' });
    const ticket = (await node.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Toner empty', requester: customer.id } })).body;
    await page.goto(`${node.url}/admin/tickets/${ticket.id}`);
    const sidebar = page.locator('section[data-panel="to-knowledge-base-ticket"]');
    await sidebar.getByText('No articles linked to this ticket.').waitFor();
    await sidebar.getByLabel('Find an article to link').fill('toner');
    await sidebar.getByLabel('Find an article to link').press('Enter');
    await sidebar.getByRole('button', { name: 'Link: Replace the toner cartridge' }).click();
    await sidebar.getByRole('status').filter({ hasText: '“Replace the toner cartridge” linked.' }).waitFor();
    const linked = await node.request('GET', `/api/v1/knowledge-base/tickets/${ticket.id}/articles`, { token: customer.token });
    expect(linked.body.items.map((a: { title: string }) => a.title)).toEqual(['Replace the toner cartridge']);
    await sidebar.getByRole('button', { name: 'Unlink Replace the toner cartridge' }).click();
    await sidebar.getByText('No articles linked to this ticket.').waitFor();
    await accessible(page, 'ticket with knowledge-base panel');
  });

  it('saw no script error or request to another origin', () => {
    expect(problems.filter((p) => !/status of (400|401)/.test(p))).toEqual([]);
  });
});
