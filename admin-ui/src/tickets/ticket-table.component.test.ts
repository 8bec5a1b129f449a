import { html, render } from 'lit';
import { beforeAll, describe, expect, it } from 'vitest';
import { initI18n, setLanguage } from '../i18n/i18n.ts';
import type { ListedTicket } from './list-query.ts';
import './ticket-table.ts';
import type { ToTicketTable } from './ticket-table.ts';

/** Loaded tickets as the API lists them (only what the table reads). */
function tickets(count: number, from = 0): ListedTicket[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i + 1;
    return { id: `tkt_${String(n).padStart(6, '0')}`, number: n, title: `Ticket ${n}`, status: 'open', statusCategory: 'open', priority: 'normal', assigneeId: null, updatedAt: '2026-01-01T10:00:00Z', version: 1 } as unknown as ListedTicket;
  });
}

async function mount(rows: ListedTicket[], selected: ReadonlySet<string> = new Set()): Promise<ToTicketTable> {
  const host = document.createElement('div');
  document.body.replaceChildren(host);
  render(html`<to-ticket-table style="--to-ticket-table-max-height: 600px" .tickets=${rows} .selected=${selected}></to-ticket-table>`, host);
  const table = host.querySelector('to-ticket-table')!;
  await settle(table);
  return table;
}

/** Waits for the virtualizer's follow-up renders (it measures rows, then draws again). */
async function settle(table: ToTicketTable): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await table.updateComplete;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}

const drawn = (table: ToTicketTable) => [...table.shadowRoot!.querySelectorAll<HTMLTableRowElement>('tbody tr[data-ticket]')];
const scroller = (table: ToTicketTable) => table.shadowRoot!.querySelector<HTMLElement>('.scroller')!;

function next<T>(table: ToTicketTable, type: string): Promise<CustomEvent<T>> {
  return new Promise((resolve) => table.addEventListener(type, (e) => resolve(e as CustomEvent<T>), { once: true }));
}

describe('<to-ticket-table> with 10,000 rows', () => {
  beforeAll(async () => {
    await initI18n();
  });

  it('draws only a window of rows, keeps the table semantics, and moves the window with the scroll position', async () => {
    const table = await mount(tickets(10_000));
    const rows = drawn(table);
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(100);
    expect(rows[0]!.dataset.index).toBe('0');
    expect(table.shadowRoot!.querySelector('table')!.getAttribute('aria-rowcount')).toBe('10001');
    expect(rows[0]!.getAttribute('aria-rowindex')).toBe('2');
    // The box is as tall as the whole list, so the scroll bar tells where one is.
    expect(scroller(table).scrollHeight).toBeGreaterThan(10_000 * 30);

    scroller(table).scrollTop = scroller(table).scrollHeight / 2;
    await settle(table);
    const middle = drawn(table).map((row) => Number(row.dataset.index));
    expect(middle.length).toBeLessThan(100);
    expect(Math.min(...middle)).toBeGreaterThan(4000);
    expect(Math.max(...middle)).toBeLessThan(6000);
    expect(table.shadowRoot!.querySelector(`tr[data-index="${middle[0]}"]`)!.getAttribute('aria-rowindex')).toBe(String(middle[0]! + 2));
  });

  it('asks for the next page when the drawn rows near the end of the loaded ones, and not before', async () => {
    const table = await mount(tickets(200));
    let asked = 0;
    table.addEventListener('near-end', () => asked++);
    scroller(table).scrollTop = 44 * 50;
    await settle(table);
    expect(asked).toBe(0);
    scroller(table).scrollTop = scroller(table).scrollHeight;
    await settle(table);
    expect(asked).toBeGreaterThan(0);
    // More rows: the end moved away, nothing is asked until it comes near again.
    const before = asked;
    table.tickets = table.tickets.concat(tickets(100, 200));
    await settle(table);
    expect(asked).toBe(before);
    scroller(table).scrollTop = scroller(table).scrollHeight;
    await settle(table);
    expect(asked).toBeGreaterThan(before);
  });

  it('selects a row and every loaded row (drawn or not) through selection-changed', async () => {
    const rows = tickets(10_000);
    const table = await mount(rows);
    const one = next<Set<string>>(table, 'selection-changed');
    drawn(table)[2]!.querySelector<HTMLInputElement>('input[type=checkbox]')!.click();
    expect([...(await one).detail]).toEqual([rows[2]!.id]);

    const all = next<Set<string>>(table, 'selection-changed');
    table.shadowRoot!.querySelector<HTMLInputElement>('thead input[type=checkbox]')!.click();
    const everything = (await all).detail;
    expect(everything.size).toBe(10_000);
    expect(everything.has(rows[9_999]!.id)).toBe(true);

    table.selected = everything;
    await settle(table);
    const header = table.shadowRoot!.querySelector<HTMLInputElement>('thead input[type=checkbox]')!;
    expect(header.checked).toBe(true);
    table.selected = new Set([rows[5_000]!.id]);
    await settle(table);
    expect(header.checked).toBe(false);
    expect(header.indeterminate).toBe(true);
    expect(drawn(table).every((row) => !row.classList.contains('selected'))).toBe(true);
  });

  it('names the header checkbox by what it selects: every ticket loaded so far, counted, in English and German', async () => {
    const table = await mount(tickets(300));
    const header = () => table.shadowRoot!.querySelector<HTMLInputElement>('thead input[type=checkbox]')!;
    expect(header().getAttribute('aria-label')).toBe('Select all 300 tickets loaded so far');
    // The next page arrives: the label counts it too.
    table.tickets = table.tickets.concat(tickets(100, 300));
    await settle(table);
    expect(header().getAttribute('aria-label')).toBe('Select all 400 tickets loaded so far');
    await setLanguage('de');
    try {
      await settle(table);
      expect(header().getAttribute('aria-label')).toBe('Alle 400 bisher geladenen Tickets auswählen');
      table.tickets = tickets(1);
      await settle(table);
      expect(header().getAttribute('aria-label')).toBe('Das eine bisher geladene Ticket auswählen');
    } finally {
      await setLanguage('en');
    }
  });

  it('moves the keyboard cursor (j / k) with focus on the row link, scrolling far rows into view, and toggles it (x)', async () => {
    const rows = tickets(10_000);
    const table = await mount(rows);
    await table.move(1);
    await table.move(1);
    const current = () => table.shadowRoot!.querySelector<HTMLTableRowElement>('tr.current');
    expect(current()?.dataset.index).toBe('1');
    expect(table.shadowRoot!.activeElement?.textContent).toBe('Ticket 2');
    await table.move(-1);
    expect(current()?.dataset.index).toBe('0');

    const toggled = next<Set<string>>(table, 'selection-changed');
    table.toggleCurrent();
    expect([...(await toggled).detail]).toEqual([rows[0]!.id]);

    // A move far down the list: that row is drawn, in view, and focused.
    await table.move(5_000);
    await settle(table);
    expect(current()?.dataset.index).toBe('5000');
    expect(table.shadowRoot!.activeElement?.textContent).toBe('Ticket 5001');
    const box = scroller(table).getBoundingClientRect();
    const row = current()!.getBoundingClientRect();
    expect(row.top).toBeGreaterThanOrEqual(box.top);
    expect(row.bottom).toBeLessThanOrEqual(box.bottom + 1);
  });
});
