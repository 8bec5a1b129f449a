import { rmSync } from 'node:fs';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '../../core/src/testing/index.ts';
import { accessible, buildConsole, choose, launch, newContext, poll, screenshot, signIn, watchedPage } from './console-browser.ts';

/**
 * The ticket detail in Chromium against a real server on PostgreSQL: the markdown preview is
 * sanitized, a mention picked from the suggestions is sent as the API's token and shown as the
 * name, a ticket type's custom fields come from its JSON Schema and show the API's errors, links
 * show on both tickets, merge and unmerge, split, the server-side timer, the history, keyboard
 * shortcuts, and axe-core in both themes.
 */
let node: TestKernel;
let browser: Browser;
let page: Page;
let built: string;
let ana: { id: string; email: string; password: string; token: string };
let ben: { id: string; token: string };
const tickets: Record<string, { id: string; number: number }> = {};
const problems: string[] = [];

const api = async (method: string, path: string, body?: unknown) => {
  const res = await node.request(method, `/api/v1${path}`, { token: ana.token, body });
  return res.body;
};
const open = async (key: string) => {
  await page.goto(`${node.url}/admin/tickets/${tickets[key]!.id}`);
  await page.locator('to-ticket-detail-page[data-live]').waitFor();
  // The ticket is read and its sidebar drawn.
  await page.locator('to-ticket-detail-page to-ticket-merge-split section').waitFor();
};
/** Leaves any field, so the next keys are shortcuts. */
const leaveFields = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

beforeAll(async () => {
  built = buildConsole();
  node = await startTestKernel({ workers: false, config: { consoleDir: built } });
  ana = await node.createUser({ role: 'admin', name: 'Ana Agent', email: 'ana@example.test' });
  ben = await node.createUser({ role: 'agent', name: 'Ben Builder', email: 'ben@example.test' });
  const type = await node.request('POST', '/api/v1/ticket-types', {
    token: ana.token,
    body: {
      name: 'Incident',
      fieldsSchema: {
        type: 'object',
        required: ['severity'],
        properties: { severity: { type: 'integer', minimum: 1, maximum: 5, title: 'Severity' }, component: { enum: ['web', 'mail'], title: 'Component' }, since: { type: 'string', format: 'date', title: 'Since' } },
      },
    },
  });
  expect(type.status).toBe(201);
  for (const [key, title] of [['main', 'Checkout page is slow'], ['other', 'Payment provider outage'], ['dupe', 'Checkout slow again'], ['split', 'Two questions in one']]) {
    const res = await node.request('POST', '/api/v1/tickets', { token: ana.token, body: { title, description: `About **${title}**`, requester: { email: 'carla@example.test', name: 'Carla Customer' } } });
    expect(res.status).toBe(201);
    tickets[key!] = { id: res.body.id, number: res.body.number };
  }
  for (const body of ['First question: the invoice.', 'Second question: the password reset.']) {
    expect((await node.request('POST', `/api/v1/tickets/${tickets.split!.id}/comments`, { token: ana.token, body: { body } })).status).toBe(201);
  }
  browser = await launch();
  const context = await newContext(browser);
  page = await watchedPage(context, node.url, problems);
  await page.goto(`${node.url}/admin/tickets/${tickets.main!.id}`);
  await signIn(page, ana);
  await page.locator('to-ticket-detail-page[data-live]').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await node?.close();
  if (built) rmSync(built, { recursive: true, force: true });
});

describe('ticket detail in Chromium', () => {
  it('previews markdown sanitized: no script runs, no image loads, the markup renders', async () => {
    const body = page.locator('to-comment-composer').getByLabel('Message', { exact: true });
    await body.fill('**bold** <img src=x onerror="window.__xss=1"><script>window.__xss=2</script> [site](https://example.org)');
    await page.locator('to-comment-composer').getByRole('tab', { name: 'Preview' }).click();
    const preview = page.locator('to-comment-composer #panel-preview .markdown:not(.plain)');
    await preview.waitFor();
    expect(await preview.locator('strong').textContent()).toBe('bold');
    expect(await preview.locator('img, script, [onerror]').count()).toBe(0);
    // Raw HTML is shown as the text it is.
    expect(await preview.textContent()).toContain('<img src=x onerror=');
    expect(await preview.locator('a').getAttribute('rel')).toContain('noopener');
    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
    expect(problems.filter((p) => /Security Policy/.test(p))).toEqual([]);
    await page.locator('to-comment-composer').getByRole('tab', { name: 'Write' }).click();
    await body.fill('');
  });

  it('suggests agents after @, inserts the picked one and sends it as @user:<id>, shown as the name', async () => {
    const body = page.locator('to-comment-composer').getByLabel('Message', { exact: true });
    await body.click();
    await page.keyboard.type('Could you look at this, @Be');
    const option = page.locator('to-comment-composer [role="option"]').filter({ hasText: 'Ben Builder' });
    await option.waitFor();
    expect(await page.locator('to-comment-composer [role="option"]').filter({ hasText: 'Ana Agent' }).count()).toBe(0);
    await page.keyboard.press('Enter');
    expect(await body.inputValue()).toBe('Could you look at this, @Ben Builder ');
    await page.keyboard.type('please?');
    await page.keyboard.press('Control+Enter');
    await poll(async () => (await api('GET', `/tickets/${tickets.main!.id}/comments`)).items.map((c: { body: string }) => c.body)).toEqual([
      `Could you look at this, @user:${ben.id} please?`,
    ]);
    const mention = page.locator('to-conversation-entry .mention');
    await poll(() => mention.textContent()).toBe('@Ben Builder');
  });

  it('renders the type’s custom fields from its schema and shows the API’s error next to the field', async () => {
    const form = page.locator('to-ticket-details-form');
    await choose(form.locator('wa-select[name="type"]'), 'Incident');
    const severity = form.locator('wa-input[data-custom="severity"]');
    await severity.waitFor();
    expect(await severity.getAttribute('label')).toBe('Severity *');
    expect(await severity.getAttribute('type')).toBe('number');
    expect(await form.locator('wa-select[data-custom="component"] wa-option').count()).toBe(2);
    expect(await form.locator('wa-input[data-custom="since"]').getAttribute('type')).toBe('date');
    await severity.locator('input').fill('9');
    await form.getByRole('button', { name: 'Save details' }).click();
    await poll(() => form.locator('[data-error-for="severity"]').textContent()).toContain('must be <= 5');
    expect((await api('GET', `/tickets/${tickets.main!.id}`)).type).toBeNull();

    await severity.locator('input').fill('3');
    await form.getByRole('button', { name: 'Save details' }).click();
    await poll(async () => (await api('GET', `/tickets/${tickets.main!.id}`)).customFields).toEqual({ severity: 3 });
    await poll(() => form.locator('[data-error-for]').count()).toBe(0);
  });

  it('explains a change made meanwhile (412) and offers to reload, after which the change saves', async () => {
    // A change that reaches no stream: the page still holds the old version.
    await node.kernel.db.query('update ticket set version = version + 1 where id = ?', [tickets.main!.id]);
    const fields = page.locator('to-ticket-fields');
    await choose(fields.locator('wa-select[name="priority"]'), 'high');
    await poll(() => fields.locator('p.message').textContent()).toContain('Someone else changed this ticket meanwhile');
    expect((await api('GET', `/tickets/${tickets.main!.id}`)).priority).toBe('normal');
    await fields.getByRole('button', { name: 'Reload the ticket' }).click();
    await poll(async () => Number(await page.locator('to-ticket-detail-page').evaluate((el: any) => el.ticket?.version))).toBe((await api('GET', `/tickets/${tickets.main!.id}`)).version);
    await choose(fields.locator('wa-select[name="priority"]'), 'high');
    await poll(async () => (await api('GET', `/tickets/${tickets.main!.id}`)).priority).toBe('high');
  });

  it('links a ticket found by number, and the link shows on both tickets', async () => {
    const links = page.locator('to-ticket-links');
    await links.getByText('Link a ticket').click();
    await choose(links.locator('wa-select[name="linkType"]'), 'Blocked by');
    await links.locator('to-ticket-picker input').fill(`#${tickets.other!.number}`);
    await links.locator('to-ticket-picker input').press('Enter');
    await links.locator(`to-ticket-picker wa-button[data-pick="${tickets.other!.number}"]`).click();
    await links.locator(`li[data-link="blocked_by:${tickets.other!.number}"]`).waitFor();
    expect((await api('GET', `/tickets/${tickets.other!.id}/links`)).items).toMatchObject([{ type: 'blocks', ticketId: tickets.main!.id }]);
    await open('other');
    const back = page.locator(`to-ticket-links li[data-link="blocks:${tickets.main!.number}"]`);
    await back.waitFor();
    // Removed from either side, it is gone from both.
    await back.getByRole('button', { name: `Remove link #${tickets.main!.number}` }).click();
    await poll(() => back.count()).toBe(0);
    expect((await api('GET', `/tickets/${tickets.main!.id}/links`)).items).toEqual([]);
    await open('main');
  });

  it('merges a ticket into this one after confirming, then undoes it', async () => {
    const panel = page.locator('to-ticket-merge-split');
    await panel.getByText('Merge tickets into this one').click();
    await panel.locator('to-ticket-picker input').fill('slow again');
    await panel.locator(`to-ticket-picker wa-button[data-pick="${tickets.dupe!.number}"]`).click();
    await panel.getByRole('button', { name: 'Merge 1 ticket…' }).click();
    expect((await api('GET', `/tickets/${tickets.dupe!.id}`)).mergedIntoId).toBeNull();
    await panel.getByRole('button', { name: 'Merge now' }).click();
    await poll(async () => (await api('GET', `/tickets/${tickets.dupe!.id}`)).mergedIntoId).toBe(tickets.main!.id);
    await panel.getByRole('button', { name: 'Undo merge' }).click();
    await poll(async () => (await api('GET', `/tickets/${tickets.dupe!.id}`)).mergedIntoId).toBeNull();
    await poll(() => panel.locator('p.message').textContent()).toContain('The merge was undone');
  });

  it('splits a chosen message off into a new ticket', async () => {
    await open('split');
    const panel = page.locator('to-ticket-merge-split');
    await panel.getByText('Split messages into a new ticket').click();
    const comments = (await api('GET', `/tickets/${tickets.split!.id}/comments`)).items as { id: string; body: string }[];
    await panel.locator(`wa-checkbox[data-comment="${comments[1]!.id}"]`).click();
    await panel.getByRole('button', { name: 'Split 1 message off' }).click();
    await poll(() => panel.locator('p.message').textContent()).toMatch(/Created ticket #\d+/);
    const number = Number(/#(\d+)/.exec((await panel.locator('p.message').textContent())!)![1]);
    const created = await api('GET', `/tickets/by-number/${number}`);
    expect((await api('GET', `/tickets/${created.id}/comments`)).items.map((c: { body: string }) => c.body)).toEqual(['Second question: the password reset.']);
    await poll(() => page.locator('to-conversation-entry').count()).toBe(1);
  });

  it('starts and stops the server-side timer with t, which logs an entry', async () => {
    await open('main');
    await leaveFields();
    await page.keyboard.press('t');
    await page.locator('to-ticket-time wa-button[data-timer="running"]').waitFor();
    expect((await api('GET', '/me/timers')).items).toMatchObject([{ ticketId: tickets.main!.id }]);
    // The timer lives on the server: a reload still shows it running.
    await page.reload();
    await page.locator('to-ticket-time wa-button[data-timer="running"]').waitFor();
    await leaveFields();
    await page.keyboard.press('t');
    await page.locator('to-ticket-time wa-button[data-timer="stopped"]').waitFor();
    await page.locator('to-ticket-time li[data-entry]').waitFor();
    const entries = await api('GET', `/tickets/${tickets.main!.id}/time-entries`);
    expect(entries.items).toHaveLength(1);
    expect(entries.totalMinutes).toBe(1);

    // By hand: 15 billable minutes, and the totals follow.
    const time = page.locator('to-ticket-time');
    await time.getByText('Log time by hand').click();
    await time.locator('wa-input[name="minutes"] input').fill('15');
    await time.locator('wa-input[name="note"] input').fill('Call with the payment provider');
    await time.locator('wa-checkbox[name="billable"]').click();
    await time.getByRole('button', { name: 'Log time' }).click();
    await poll(async () => (await api('GET', `/tickets/${tickets.main!.id}/time-entries`)).billableMinutes).toBe(15);
    await poll(() => time.locator('p[data-total]').getAttribute('data-total')).toBe('16');
    expect(await time.locator('li[data-entry]').filter({ hasText: 'Call with the payment provider' }).count()).toBe(1);
  });

  it('assigns to me with a, changes the requester, and shows a status change in the history', async () => {
    await leaveFields();
    await page.keyboard.press('a');
    await poll(async () => (await api('GET', `/tickets/${tickets.main!.id}`)).assigneeId).toBe(ana.id);
    const fields = page.locator('to-ticket-fields');
    await fields.getByText('Change the requester').click();
    // The requester is found by the server as one types (not among a first page of users), and picked by keyboard.
    const find = fields.getByRole('combobox', { name: 'New requester' });
    const searched = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/users/search' && new URL(r.url()).searchParams.get('q') === 'example.test');
    await find.pressSequentially('example.test');
    await searched;
    const options = fields.getByRole('option');
    await options.first().waitFor();
    const names = await options.allTextContents();
    expect(names.some((n) => n.includes('Carla Customer'))).toBe(true);
    const target = names.findIndex((n) => n.includes('Ben Builder'));
    expect(target).toBeGreaterThanOrEqual(0);
    expect(await fields.locator('to-user-picker p.status').textContent()).toContain(`${names.length} people found`);
    for (let i = 0; i < target; i++) await find.press('ArrowDown');
    const active = await find.getAttribute('aria-activedescendant');
    expect(await fields.locator(`[role="option"][id="${active}"]`).textContent()).toContain('Ben Builder');
    expect(await fields.locator(`[role="option"][id="${active}"]`).getAttribute('aria-selected')).toBe('true');
    await find.press('Enter');
    await poll(async () => (await api('GET', `/tickets/${tickets.main!.id}`)).requesterId).toBe(ben.id);
    await poll(() => fields.locator('[data-field="requester"]').textContent()).toContain('Ben Builder');
    await choose(page.locator('to-ticket-fields wa-select[name="status"]'), 'pending');
    await poll(async () => (await api('GET', `/tickets/${tickets.main!.id}`)).status).toBe('pending');
    await leaveFields();
    await page.keyboard.press('h');
    const row = page.locator('to-ticket-history tr[data-field="status"]').first();
    await row.waitFor();
    expect(await row.textContent()).toMatch(/→\s*pending/);
    expect(await row.textContent()).toContain('Ana Agent');
  });

  it('replies with the keyboard only: r, type, Ctrl+Enter', async () => {
    await leaveFields();
    await page.keyboard.press('r');
    await page.keyboard.type('Done: the *cache* was warmed.');
    await page.keyboard.press('Control+Enter');
    const entry = page.locator('to-conversation-entry article[data-kind="reply"]').filter({ hasText: 'the cache was warmed' });
    await entry.waitFor();
    await poll(() => entry.locator('em').textContent()).toBe('cache');
  });

  it('goes to the next and previous ticket of the list with j and k', async () => {
    await page.goto(`${node.url}/admin/tickets`);
    const order = ((await api('GET', '/tickets?limit=100')).items as { id: string }[]).map((t) => t.id);
    await poll(() => page.locator('to-ticket-table tbody tr').count()).toBe(order.length);
    await page.goto(`${node.url}/admin/tickets/${order[1]}`);
    await page.locator('to-ticket-detail-page[data-live]').waitFor();
    await leaveFields();
    await page.keyboard.press('j');
    await poll(() => page.url()).toBe(`${node.url}/admin/tickets/${order[2]}`);
    await page.keyboard.press('k');
    await poll(() => page.url()).toBe(`${node.url}/admin/tickets/${order[1]}`);
    await page.keyboard.press('k');
    await poll(() => page.url()).toBe(`${node.url}/admin/tickets/${order[0]}`);
    await open('main');
  });

  it('reads a ticket as soon as its link in the list is pressed, and the detail uses that reading', async () => {
    await page.goto(`${node.url}/admin/tickets`);
    const link = page.locator(`to-ticket-table tbody tr a[href="/admin/tickets/${tickets.split!.id}"]`);
    await link.waitFor();
    const comments = `/api/v1/tickets/${tickets.split!.id}/comments`;
    const reads: string[] = [];
    const count = (request: Request) => {
      if (new URL(request.url()).pathname === comments) reads.push(request.url());
    };
    page.on('request', count);
    try {
      const box = (await link.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const early = page.waitForRequest((request) => new URL(request.url()).pathname === comments);
      await page.mouse.down();
      // Asked while the button is still down, before the click opens the ticket.
      await early;
      expect(page.url()).not.toContain(tickets.split!.id);
      await page.mouse.up();
      await poll(() => page.url()).toBe(`${node.url}/admin/tickets/${tickets.split!.id}`);
      await page.locator('to-conversation-entry article[data-kind] .markdown:not(.plain)').first().waitFor();
      await page.locator('to-ticket-detail-page to-ticket-merge-split section').waitFor();
      // The detail took that reading: the messages were not asked for again.
      expect(reads).toHaveLength(1);
    } finally {
      page.off('request', count);
    }
    await open('main');
  });

  it('passes axe-core on the detail in the light and the dark theme, and on a phone', async () => {
    // Everything folded out, and the mention list open, so axe sees every part.
    await page.evaluate(() => {
      const all = (root: Document | ShadowRoot): Element[] => [...root.querySelectorAll('*')].flatMap((el) => [el, ...(el.shadowRoot ? all(el.shadowRoot) : [])]);
      for (const el of all(document)) if (el instanceof HTMLDetailsElement) el.open = true;
    });
    await page.locator('to-ticket-history tr').first().waitFor();
    await page.locator('to-comment-composer').getByLabel('Message', { exact: true }).fill('');
    await page.locator('to-comment-composer').getByLabel('Message', { exact: true }).pressSequentially('@B');
    await page.locator('to-comment-composer [role="option"]').first().waitFor();
    await screenshot(page, 'detail-full-light');
    await accessible(page, 'detail light');
    await page.evaluate(() => {
      document.documentElement.classList.remove('wa-light');
      document.documentElement.classList.add('wa-dark');
    });
    await screenshot(page, 'detail-full-dark');
    await accessible(page, 'detail dark');
    await page.setViewportSize({ width: 390, height: 844 });
    // Nothing sticks out of a phone's width (named, innermost first, when something does).
    const overflowing = await page.evaluate(() => {
      const all = (root: Document | ShadowRoot): Element[] => [...root.querySelectorAll('*')].flatMap((el) => [el, ...(el.shadowRoot ? all(el.shadowRoot) : [])]);
      return all(document)
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && el.getBoundingClientRect().width > 0)
        .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('class') ? `.${el.getAttribute('class')}` : ''}`)
        .reverse()
        .slice(0, 8);
    });
    expect(overflowing).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'detail-phone');
    await accessible(page, 'detail phone');
    // Expected: the 401 before signing in, the 400 of the invalid severity, the 412 of the stale save.
    expect(problems.filter((p) => !/status of (400|401|412) /.test(p))).toEqual([]);
  });
});
