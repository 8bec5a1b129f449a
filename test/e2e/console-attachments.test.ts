import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '../../core/src/testing/index.ts';
import { attachmentsPlugin } from '../../plugins/attachments/src/index.ts';
import { EICAR, EXE, PNG, upload } from '../../plugins/attachments/src/testing/helpers.ts';
import { textImage } from '../../plugins/attachments/src/testing/images.ts';
import { definePlugin } from '../../plugin-sdk/src/index.ts';
import { accessible, buildConsole, choose, launch, newContext, poll, root, screenshot, signIn, viteBuild, watchedPage } from './console-browser.ts';

/**
 * Attachments in the console, in Chromium against a real server on PostgreSQL with the attachments
 * plugin enabled (disk storage in a temp directory; its admin module built from its sources): the
 * composer's "Attach files" button (by keyboard) and a dropped file upload at once with progress;
 * a refused type shows the API's reason, stops the send, and the file is replaced; a failed
 * connection is retried; the uploads are linked to the reply when it is sent; an inserted image
 * shows as its thumbnail from our own origin while a remote image stays a link; each message lists
 * its files with the scan status in words; axe-core in both themes. Then a console without the
 * plugin: no upload UI, nothing of the plugin loaded.
 */
let node: TestKernel;
let bare: TestKernel | undefined;
let scanned: TestKernel | undefined;
/** clamd as `.ci/run` starts it (with the EICAR signatures); without it the antivirus case is skipped, like the plugin's own tests. */
const clamdSocket = process.env.TICKETOPS_TEST_CLAMD_SOCKET ?? '/tmp/ticketops-clamd/clamd.sock';
const clamd = Boolean(process.env.TICKETOPS_TEST_CLAMD_SOCKET) || existsSync(clamdSocket);
let browser: Browser;
let page: Page;
let built: string;
let pluginBuilt: string;
let storage: string;
let ana: { id: string; email: string; password: string; token: string };
let ticketId: string;
const problems: string[] = [];
/** A screenshot-like PNG (text drawn by sharp), so the thumbnail has something to show. */
let screenPng: Buffer;

const composer = () => page.locator('to-comment-composer');
const uploads = () => page.locator('to-attachments-composer');
const item = (file: string) => uploads().locator(`li[data-file="${file}"]`);
const attachmentsOf = async (id: string) => (await node.request('GET', `/api/v1/attachments?ticketId=${id}`, { token: ana.token })).body.items as any[];
const comments = async (id: string) => (await node.request('GET', `/api/v1/tickets/${id}/comments`, { token: ana.token })).body.items as any[];

beforeAll(async () => {
  built = buildConsole();
  screenPng = await textImage('Error 41: paper jam in tray 2');
  pluginBuilt = viteBuild(join(root, 'plugins/attachments'), 'ticketops-attachments-admin-', 'vite.admin.config.ts');
  storage = mkdtempSync(join(tmpdir(), 'ticketops-console-attachments-'));
  // The plugin as published, with its admin module from this scratch build. No clamd here: the
  // scanner's socket does not exist and `flag` keeps files as "unscanned", which the console says.
  const plugin = definePlugin({ ...attachmentsPlugin, admin: { ...attachmentsPlugin.admin!, assets: pluginBuilt } });
  const config = { storage: { driver: 'disk', dir: join(storage, 'blobs') }, limits: { maxFileBytes: 100_000 }, scanner: { driver: 'clamav', socket: join(storage, 'no-clamd.sock'), whenUnavailable: 'flag' } };
  node = await startTestKernel({ workers: false, plugins: [{ definition: plugin, config }], config: { consoleDir: built } });
  ana = await node.createUser({ role: 'agent', name: 'Ana Agent', email: 'ana@example.test' });
  const res = await node.request('POST', '/api/v1/tickets', { token: ana.token, body: { title: 'Printer shows an error', requester: { email: 'carla@example.test', name: 'Carla Customer' } } });
  expect(res.status).toBe(201);
  ticketId = res.body.id;
  browser = await launch();
  page = await watchedPage(await newContext(browser), node.url, problems);
  await page.goto(`${node.url}/admin/tickets/${ticketId}`);
  await signIn(page, ana);
  await page.locator('to-ticket-detail-page[data-live]').waitFor();
  await uploads().getByRole('button', { name: 'Attach files' }).waitFor();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await node?.close();
  await bare?.close();
  await scanned?.close();
  for (const dir of [built, pluginBuilt, storage]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('attachments in the ticket composer and conversation', () => {
  it('uploads from the keyboard-operated "Attach files" button and from a drop, with progress reaching done', async () => {
    const button = uploads().getByRole('button', { name: 'Attach files' });
    const chooser = page.waitForEvent('filechooser');
    await button.press('Enter');
    await (await chooser).setFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Printer log: paper jam in tray 2.\n'.repeat(2000)) });
    await item('notes.txt').and(page.locator('[data-state="done"]')).waitFor();
    // The progress came from the upload's own progress events (nothing sets it on completion).
    expect(await item('notes.txt').getAttribute('data-progress')).toBe('100');
    expect(await item('notes.txt').getByText('Uploaded').isVisible()).toBe(true);

    // A file dropped onto the composer (a DataTransfer, as the browser makes for a real drop).
    const transfer = await page.evaluateHandle((base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'dropped.png', { type: 'image/png' }));
      return data;
    }, PNG.toString('base64'));
    const form = composer().locator('form');
    await form.dispatchEvent('dragover', { dataTransfer: transfer });
    await uploads().getByText('Drop the files to attach them.').waitFor();
    await form.dispatchEvent('drop', { dataTransfer: transfer });
    await item('dropped.png').and(page.locator('[data-state="done"]')).waitFor();
    expect(await item('dropped.png').getAttribute('data-progress')).toBe('100');

    // Both are the uploader's own, not yet on the ticket.
    expect(await attachmentsOf(ticketId)).toEqual([]);
  });

  it("shows the API's reason for a refused type, refuses to send, and uploads the file that replaces it", async () => {
    await uploads().locator('input[type=file]').setInputFiles({ name: 'report.exe', mimeType: 'application/octet-stream', buffer: EXE });
    await item('report.exe').and(page.locator('[data-state="failed"]')).waitFor();
    expect(await item('report.exe').getByRole('alert').textContent()).toMatch(/Not uploaded: Files of type \S+ are not accepted/);

    await composer().getByLabel('Message', { exact: true }).fill('Logs attached.');
    await composer().getByRole('button', { name: 'Send reply' }).click();
    await composer().getByRole('alert').filter({ hasText: 'Not sent: report.exe could not be uploaded' }).waitFor();
    expect(await comments(ticketId)).toEqual([]);

    const chooser = page.waitForEvent('filechooser');
    await item('report.exe').getByRole('button', { name: 'Replace report.exe with another file' }).click();
    await (await chooser).setFiles({ name: 'screen.png', mimeType: 'image/png', buffer: screenPng });
    await item('screen.png').and(page.locator('[data-state="done"]')).waitFor();
    expect(await item('report.exe').count()).toBe(0);
  });

  it('says how large a file may be when the API refuses it as too large (413)', async () => {
    await uploads().locator('input[type=file]').setInputFiles({ name: 'huge.txt', mimeType: 'text/plain', buffer: Buffer.from('x'.repeat(300_000)) });
    await item('huge.txt').and(page.locator('[data-state="failed"]')).waitFor();
    expect(await item('huge.txt').getByRole('alert').textContent()).toContain('Not uploaded: Files may be at most 100000 bytes');
    await item('huge.txt').getByRole('button', { name: 'Remove huge.txt' }).click();
    await poll(() => item('huge.txt').count()).toBe(0);
  });

  it('retries an upload whose connection failed', async () => {
    // The first upload request is cut off before it reaches the server; the retry goes through.
    await page.route('**/api/v1/attachments', (route) => route.abort('connectionreset'), { times: 1 });
    await uploads().locator('input[type=file]').setInputFiles({ name: 'trace.txt', mimeType: 'text/plain', buffer: Buffer.from('trace\n') });
    await item('trace.txt').getByRole('alert').filter({ hasText: 'the connection failed' }).waitFor();
    await item('trace.txt').getByRole('button', { name: 'Retry upload of trace.txt' }).click();
    await item('trace.txt').and(page.locator('[data-state="done"]')).waitFor();
  });

  it('links the uploads to the reply when it is sent, and draws an inserted image as its thumbnail', async () => {
    const field = composer().getByLabel('Message', { exact: true });
    await field.fill('Logs attached. ');
    await item('screen.png').getByRole('button', { name: 'Insert into message: screen.png as an image' }).click();
    expect(await field.inputValue()).toMatch(/^Logs attached\. !\[screen\.png\]\(attachment:att_[a-z0-9]+\)$/);
    await field.press('End');
    await field.pressSequentially(' and ![x](https://evil.example/p.png)');
    await composer().getByRole('button', { name: 'Send reply' }).click();
    await composer().getByRole('status').filter({ hasText: 'Sent.' }).waitFor();
    await poll(() => uploads().locator('li').count()).toBe(0);

    // Through the API: every upload now belongs to the new reply.
    const [reply] = await comments(ticketId);
    expect(reply.body).toMatch(/!\[screen\.png\]\(attachment:att_/);
    const files = await attachmentsOf(ticketId);
    expect(files.map((f) => f.name).sort()).toEqual(['dropped.png', 'notes.txt', 'screen.png', 'trace.txt']);
    expect(files.every((f) => f.commentId === reply.id)).toBe(true);

    // The reference is the thumbnail, read from our own origin with the session; the remote image stays a link.
    const entry = page.locator('to-conversation-entry').filter({ hasText: 'Logs attached.' });
    const thumbnail = entry.locator('.markdown img');
    await poll(() => thumbnail.count()).toBe(1);
    const screen = files.find((f) => f.name === 'screen.png')!;
    expect(await thumbnail.getAttribute('src')).toBe(`/api/v1/attachments/${screen.id}/thumbnail?size=256`);
    await poll(() => thumbnail.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBeGreaterThan(0);
    expect(await entry.locator('a.attachment-image').getAttribute('href')).toBe(`/api/v1/attachments/${screen.id}/content`);
    const evil = entry.locator('a.image-link');
    expect(await evil.getAttribute('href')).toBe('https://evil.example/p.png');
    expect(await entry.locator('img[src*="evil"]').count()).toBe(0);

    // The message lists its files: name, size, and the scan status in words (no clamd here: unscanned).
    const listed = entry.locator('to-attachments-comment li');
    await poll(() => listed.count()).toBe(4);
    const download = entry.locator('to-attachments-comment').getByRole('link', { name: /^Download notes\.txt \(\d+(\.\d)? kB\)$/ });
    expect(await download.getAttribute('href')).toBe(`/api/v1/attachments/${files.find((f) => f.name === 'notes.txt')!.id}/content`);
    expect(await listed.filter({ hasText: 'unscanned' }).count()).toBe(4);

    // Referenced as an image, a file that has no thumbnail (text) falls back to a file chip; a link reference is one.
    const notes = files.find((f) => f.name === 'notes.txt')!;
    const trace = files.find((f) => f.name === 'trace.txt')!;
    const posted = await node.request('POST', `/api/v1/tickets/${ticketId}/comments`, { token: ana.token, body: { body: `See ![the log](attachment:${notes.id}) and [the trace](attachment:${trace.id}).` } });
    expect(posted.status).toBe(201);
    const chips = page.locator('to-conversation-entry').filter({ hasText: 'See' }).locator('.markdown a.attachment-file');
    await poll(() => chips.count()).toBe(2);
    expect(await chips.evaluateAll((links) => links.map((a) => [a.textContent?.trim(), a.getAttribute('href')]))).toEqual([
      ['📎 the log', `/api/v1/attachments/${notes.id}/content`],
      ['📎 the trace', `/api/v1/attachments/${trace.id}/content`],
    ]);
    expect(await page.locator('to-conversation-entry').filter({ hasText: 'See' }).locator('.markdown img').count()).toBe(0);
  });

  it('uploads a screenshot pasted into the message and puts its image reference where the cursor is; pasted text stays text', async () => {
    const field = composer().getByLabel('Message', { exact: true });
    await field.fill('Here: ');
    await field.press('End');
    // A paste event with a file, as the browser makes for a screenshot from the clipboard.
    await field.evaluate((textarea, base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const data = new DataTransfer();
      data.items.add(new File([bytes], 'pasted.png', { type: 'image/png' }));
      textarea.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true, composed: true }));
    }, PNG.toString('base64'));
    await item('pasted.png').and(page.locator('[data-state="done"]')).waitFor();
    await poll(() => field.inputValue()).toMatch(/^Here: !\[pasted\.png\]\(attachment:att_[a-z0-9]+\)$/);
    // Text from the clipboard is left to the field: nothing is uploaded.
    const handled = await field.evaluate((textarea) => {
      const data = new DataTransfer();
      data.setData('text/plain', 'just text');
      return textarea.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true, composed: true }));
    });
    expect(handled).toBe(true);
    expect(await uploads().locator('li').count()).toBe(1);
    await item('pasted.png').getByRole('button', { name: 'Remove pasted.png' }).click();
    await field.fill('');
    await poll(() => uploads().locator('li').count()).toBe(0);
  });

  it('passes axe-core with uploads in the composer and files under a message, in both themes', async () => {
    await uploads().locator('input[type=file]').setInputFiles([
      { name: 'again.png', mimeType: 'image/png', buffer: PNG },
      { name: 'setup.exe', mimeType: 'application/octet-stream', buffer: EXE },
    ]);
    await item('again.png').and(page.locator('[data-state="done"]')).waitFor();
    await item('setup.exe').and(page.locator('[data-state="failed"]')).waitFor();
    await screenshot(page, 'attachments-light');
    await accessible(page, 'attachments light');
    await page.evaluate(() => {
      document.documentElement.classList.remove('wa-light');
      document.documentElement.classList.add('wa-dark');
    });
    await screenshot(page, 'attachments-dark');
    await accessible(page, 'attachments dark');
    // The panels follow the console's language.
    await choose(page.getByRole('banner').locator('to-language-switch wa-select'), 'Deutsch');
    await uploads().getByRole('button', { name: 'Dateien anhängen' }).waitFor();
    await item('setup.exe').getByRole('button', { name: 'Wiederholen: Hochladen von setup.exe' }).waitFor();
    expect(await page.locator('to-attachments-comment').getByText('nicht geprüft').count()).toBe(4);
    await choose(page.getByRole('banner').locator('to-language-switch wa-select'), 'English');
    await uploads().getByRole('button', { name: 'Attach files' }).waitFor();
    // Expected: the 401 before signing in, the refused uploads (413, 415), the text file's missing thumbnail (404); never a request elsewhere.
    expect(problems.filter((p) => !/status of (401|404|413|415) /.test(p) && !/ERR_CONNECTION_RESET/.test(p))).toEqual([]);
  });

  it('shows no upload UI and loads nothing of the plugin when the plugin is not enabled', async () => {
    bare = await startTestKernel({ workers: false, config: { consoleDir: built } });
    const agent = await bare.createUser({ role: 'agent', email: 'ben@example.test' });
    const ticket = await bare.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'No attachments here', requester: { email: 'dora@example.test' } } });
    await bare.request('POST', `/api/v1/tickets/${ticket.body.id}/comments`, { token: agent.token, body: { body: 'A reply.' } });
    const seen: string[] = [];
    const other = await watchedPage(await newContext(browser), bare.url, seen);
    const pluginRequests: string[] = [];
    other.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/admin/plugins/')) pluginRequests.push(request.url());
    });
    await other.goto(`${bare.url}/admin/tickets/${ticket.body.id}`);
    await signIn(other, agent);
    await other.locator('to-ticket-detail-page[data-live]').waitFor();
    await other.locator('to-conversation-entry').getByText('A reply.').waitFor();
    await other.locator('to-comment-composer').getByLabel('Message', { exact: true }).waitFor();
    expect(await other.locator('to-comment-composer to-zone').count()).toBe(1);
    expect(await other.getByRole('button', { name: 'Attach files' }).count()).toBe(0);
    expect(await other.locator('to-attachments-composer, to-attachments-comment').count()).toBe(0);
    expect(pluginRequests).toEqual([]);
    await other.close();
  });
});

describe.skipIf(!clamd)('attachments scanned by clamd', () => {
  it('names the signature of an infected upload, and lists an infected file as not downloadable', async () => {
    const plugin = definePlugin({ ...attachmentsPlugin, admin: { ...attachmentsPlugin.admin!, assets: pluginBuilt } });
    const config = { storage: { driver: 'disk', dir: join(storage, 'scanned') }, scanner: { driver: 'clamav', socket: clamdSocket, whenUnavailable: 'reject' } };
    scanned = await startTestKernel({ workers: false, plugins: [{ definition: plugin, config }], config: { consoleDir: built } });
    const agent = await scanned.createUser({ role: 'agent', email: 'eve@example.test' });
    const ticket = await scanned.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'Suspicious mail', requester: { email: 'finn@example.test' } } });
    const comment = await scanned.request('POST', `/api/v1/tickets/${ticket.body.id}/comments`, { token: agent.token, body: { body: 'Forwarded files.' } });
    const query = `?ticketId=${ticket.body.id}&commentId=${comment.body.id}`;
    expect((await upload(scanned, agent.token, EICAR, 'invoice.txt', query)).status).toBe(400);
    expect((await upload(scanned, agent.token, 'Just text.\n', 'readme.txt', query)).status).toBe(201);

    const seen: string[] = [];
    const other = await watchedPage(await newContext(browser), scanned.url, seen);
    await other.goto(`${scanned.url}/admin/tickets/${ticket.body.id}`);
    await signIn(other, agent);
    const files = other.locator('to-conversation-entry to-attachments-comment li');
    await poll(() => files.count()).toBe(2);
    const infected = files.filter({ hasText: 'invoice.txt' });
    expect(await infected.getByText('infected – not downloadable').count()).toBe(1);
    expect(await infected.getByRole('link').count()).toBe(0);
    const clean = files.filter({ hasText: 'readme.txt' });
    expect(await clean.getByRole('link', { name: /^Download readme\.txt/ }).count()).toBe(1);
    expect(await clean.getByText(/unscanned|infected/).count()).toBe(0);

    // Uploaded from the composer: the API's 400 names the signature, beside the file.
    await other.locator('to-attachments-composer input[type=file]').setInputFiles({ name: 'eicar.txt', mimeType: 'text/plain', buffer: Buffer.from(EICAR) });
    const failed = other.locator('to-attachments-composer li[data-file="eicar.txt"][data-state="failed"]');
    await failed.waitFor();
    expect(await failed.getByRole('alert').textContent()).toMatch(/Not uploaded: .*Eicar/i);
    await other.close();
  });
});
