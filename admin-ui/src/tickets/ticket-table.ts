import { VirtualizerController } from '@tanstack/lit-virtual';
import { LitElement, type PropertyValues, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { styleMap } from 'lit/directives/style-map.js';
import type { Ticket, User } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { fieldLabel, renderFieldValue } from './field-value.ts';
import { CATEGORY_VARIANT, formatDate } from './format.ts';
import { nearEnd, selectionOf, spacers } from './list/row-window.ts';
import { ticketTableStyles } from './list/table-styles.ts';
import { type ListField, type ListedTicket, nextSort } from './list-query.ts';
import { renderSnippet } from './snippet.ts';

/**
 * Rows have a fixed height (one line of title, plus one of search snippet; longer text is cut with
 * an ellipsis, the full title stays in the link's tooltip): no measuring while scrolling, and
 * the spacer rows are exact. Kept in step with `tr.row` in table-styles.ts.
 */
export const ROW_PX = 44;
export const ROW_WITH_SNIPPET_PX = 64;
/** Rows drawn beyond the visible ones on each side, so Tab and j/k find a row to go to. */
const OVERSCAN = 10;

/**
 * `<to-ticket-table>`: the tickets as a table with a checkbox per row, and a column per chosen
 * plugin list field (`columns`, values from each ticket's `fields`) whose header sorts by it.
 * Only the rows in view (plus a few) are in the DOM (TanStack Virtual works out which; empty rows
 * stand for the others), so tens of thousands of loaded tickets scroll as fast as fifty; the table
 * keeps its semantics (`aria-rowcount`, `aria-rowindex`).
 * Fires `selection-changed` with the new set of selected ids (the list page owns the selection),
 * `sort-changed` with the sort a column header asks for, `near-end` when the drawn rows move (or
 * change) close to the last loaded one, and `range-changed` ({ first, last }) with the rows drawn.
 */
export class ToTicketTable extends LitElement {
  static properties = {
    tickets: { attribute: false },
    selected: { attribute: false },
    agents: { attribute: false },
    changed: { attribute: false },
    columns: { attribute: false },
    sort: { attribute: false },
    sortable: { attribute: false },
    currentId: { state: true },
    now: { state: true },
  };
  static styles = [sharedStyles, ticketTableStyles];

  declare tickets: ListedTicket[];
  declare selected: ReadonlySet<string>;
  declare agents: User[];
  declare changed: ReadonlySet<string>;
  /** Plugin list fields shown as columns, after the kernel's own. */
  declare columns: ListField[];
  /** The list's sort (`sla.nextDue`, `-sla.nextDue`, …), to mark the column sorted by. */
  declare sort: string | undefined;
  /** Whether column headers may change the sort (not for a view read through `/views/{id}/tickets`). */
  declare sortable: boolean;
  /** The ticket (row) the keyboard is on; it stays on that ticket when rows change live. */
  declare currentId: string | null;
  /** The instant relative times are written against, moved on every 30 s while due-time columns show. */
  declare now: number;
  #clock: ReturnType<typeof setInterval> | undefined;
  /** The rows last drawn: new rows mean fresh values, so "now" moves with them. */
  #shown: ListedTicket[] = [];
  /** The header checkbox's state, worked out when the rows or the selection change (not on every scroll). */
  #selection: 'all' | 'some' | 'none' = 'none';
  /** The drawn range and rows last reported, so events fire on a change, not on every render. */
  #range = '';
  #rangeRows: ListedTicket[] | null = null;
  readonly #virtual = new VirtualizerController<HTMLDivElement, HTMLTableRowElement>(this, {
    count: 0,
    getScrollElement: () => this.renderRoot.querySelector<HTMLDivElement>('.scroller'),
    estimateSize: (index) => (this.tickets[index]?.snippet ? ROW_WITH_SNIPPET_PX : ROW_PX),
    overscan: OVERSCAN,
    // Drawn before the box is laid out (and in tests): a screenful of rows.
    initialRect: { width: 1024, height: 800 },
  });

  constructor() {
    super();
    this.tickets = [];
    this.selected = new Set();
    this.agents = [];
    this.changed = new Set();
    this.columns = [];
    this.sort = undefined;
    this.sortable = true;
    this.currentId = null;
    this.now = Date.now();
    new I18nController(this);
  }

  connectedCallback(): void {
    super.connectedCallback();
    this.#clock = setInterval(() => {
      if (this.columns.length) this.now = Date.now();
    }, 30_000);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#clock);
  }

  /**
   * The rows start below the sticky header: offsets and "scroll into view" count from there. Its
   * height is observed (it changes with the language and the columns), never read while scrolling.
   */
  readonly #headSize = new ResizeObserver(([entry]) => {
    const head = entry?.borderBoxSize[0]?.blockSize ?? 0;
    const virtualizer = this.#virtual.getVirtualizer();
    if (!head || virtualizer.options.scrollMargin === head) return;
    virtualizer.setOptions({ ...virtualizer.options, scrollMargin: head, scrollPaddingStart: head });
    this.renderRoot.querySelector<HTMLElement>('.scroller')?.style.setProperty('scroll-padding-top', `${head}px`);
    this.requestUpdate();
  });

  willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('tickets')) {
      if (this.columns.length && this.tickets !== this.#shown) this.now = Date.now();
      // Another list (not more rows of this one, nor a row changed in place) starts at its top.
      if (this.tickets[0]?.id !== this.#shown[0]?.id) this.renderRoot.querySelector('.scroller')?.scrollTo({ top: 0 });
      this.#shown = this.tickets;
      const tickets = this.tickets;
      const virtualizer = this.#virtual.getVirtualizer();
      // A new key function per set of rows, so the virtualizer lays out the new rows (heights differ with snippets).
      virtualizer.setOptions({ ...virtualizer.options, count: tickets.length, getItemKey: (index) => tickets[index]?.id ?? index });
    }
    if (changed.has('tickets') || changed.has('selected')) this.#selection = selectionOf(this.tickets, this.selected);
  }

  firstUpdated(): void {
    this.#headSize.observe(this.renderRoot.querySelector('thead')!);
  }

  updated(): void {
    const virtualizer = this.#virtual.getVirtualizer();
    const items = virtualizer.getVirtualItems();
    const first = items[0]?.index;
    const last = items[items.length - 1]?.index;
    const range = `${first}-${last}`;
    if ((range === this.#range && this.tickets === this.#rangeRows) || first === undefined || last === undefined) return;
    const moved = range !== this.#range;
    this.#range = range;
    this.#rangeRows = this.tickets;
    if (moved) this.dispatchEvent(new CustomEvent('range-changed', { detail: { first, last }, bubbles: true, composed: true }));
    // Asked again on every move near the end (the page ignores it while a page is being read), so a missed ask heals itself.
    if (nearEnd(last, this.tickets.length)) this.dispatchEvent(new CustomEvent('near-end', { bubbles: true, composed: true }));
  }

  #columnHeader(field: ListField) {
    const label = fieldLabel(field);
    const direction = this.sort === field.name ? 'ascending' : this.sort === `-${field.name}` ? 'descending' : undefined;
    if (!this.sortable) return html`<th class="field" scope="col" data-column=${field.name} title=${field.description}>${label}</th>`;
    return html`<th class="field" scope="col" data-column=${field.name} aria-sort=${direction ?? 'none'}>
      <button
        type="button"
        title=${t('listColumns:sortBy', { field: label })}
        @click=${() => this.dispatchEvent(new CustomEvent('sort-changed', { detail: nextSort(this.sort, field.name), bubbles: true, composed: true }))}
      >
        ${label}${direction ? html`<span aria-hidden="true">${direction === 'ascending' ? ' ▲' : ' ▼'}</span>` : null}
      </button>
    </th>`;
  }

  /** The ticket under the keyboard cursor, if any. */
  get current(): Ticket | undefined {
    return this.currentId === null ? undefined : this.tickets.find((ticket) => ticket.id === this.currentId);
  }

  /** Moves the keyboard cursor by `step` rows (from the focused row when there is one), scrolls that row into view and focuses its link. */
  async move(step: number): Promise<void> {
    if (this.tickets.length === 0) return;
    const focused = this.#focusedRow();
    const from = focused >= 0 ? focused : this.tickets.findIndex((ticket) => ticket.id === this.currentId);
    const index = from < 0 ? (step > 0 ? 0 : this.tickets.length - 1) : Math.max(0, Math.min(this.tickets.length - 1, from + step));
    this.currentId = this.tickets[index]!.id;
    await this.updateComplete;
    // A row out of the drawn window is scrolled to first, then drawn on a later frame.
    if (!this.#row(index)) this.#virtual.getVirtualizer().scrollToIndex(index, { align: 'center' });
    for (let frame = 0; frame < 30 && !this.#row(index); frame++) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      await this.updateComplete;
    }
    const row = this.#row(index);
    row?.scrollIntoView({ block: 'nearest' });
    row?.querySelector<HTMLAnchorElement>('.title a')?.focus({ preventScroll: true });
  }

  /** Selects or unselects the row under the cursor. */
  toggleCurrent(): void {
    const ticket = this.current;
    if (ticket) this.#toggle(ticket.id, !this.selected.has(ticket.id));
  }

  #row(index: number): HTMLTableRowElement | null {
    return this.renderRoot.querySelector<HTMLTableRowElement>(`tr[data-index="${index}"]`);
  }

  #focusedRow(): number {
    const active = this.shadowRoot?.activeElement?.closest('tr[data-index]');
    return active ? Number((active as HTMLElement).dataset.index) : -1;
  }

  #emit(selected: Set<string>): void {
    this.dispatchEvent(new CustomEvent('selection-changed', { detail: selected, bubbles: true, composed: true }));
  }

  #toggle(id: string, on: boolean): void {
    const next = new Set(this.selected);
    if (on) next.add(id);
    else next.delete(id);
    this.#emit(next);
  }

  /** "Select all" takes every loaded ticket, drawn or not. */
  #toggleAll(on: boolean): void {
    this.#emit(on ? new Set(this.tickets.map((ticket) => ticket.id)) : new Set());
  }

  #renderRow(ticket: ListedTicket, index: number, agentName: (id: string | null | undefined) => string) {
    const selected = this.selected.has(ticket.id);
    const current = ticket.id === this.currentId;
    return html`<tr
      class="row ${ticket.snippet ? 'with-snippet' : ''} ${selected ? 'selected' : ''} ${this.changed.has(ticket.id) ? 'changed' : ''} ${current ? 'current' : ''}"
      data-ticket=${ticket.id}
      data-index=${index}
      aria-rowindex=${index + 2}
      aria-current=${current ? 'true' : 'false'}
      @focusin=${() => {
        this.currentId = ticket.id;
      }}
    >
      <td class="check">
        <input
          type="checkbox"
          aria-label=${t('tickets:selectTicket', { number: ticket.number })}
          .checked=${selected}
          @change=${(e: Event) => this.#toggle(ticket.id, (e.target as HTMLInputElement).checked)}
        />
      </td>
      <td class="number">#${ticket.number}</td>
      <td class="title">
        <a href="/admin/tickets/${ticket.id}" title=${ticket.title}>${ticket.title}</a>
        ${ticket.snippet ? html`<p class="snippet">${renderSnippet(ticket.snippet)}</p>` : null}
      </td>
      <td data-field="status"><span class="badge ${CATEGORY_VARIANT[ticket.statusCategory] ?? 'neutral'}">${ticket.status}</span></td>
      <td class="nowrap" data-field="priority">${ticket.priority}</td>
      <td class="nowrap">${agentName(ticket.assigneeId)}</td>
      <td class="nowrap"><time datetime=${ticket.updatedAt ?? ''}>${formatDate(ticket.updatedAt, 'short')}</time></td>
      ${this.columns.map((field) => html`<td class="nowrap" data-field=${field.name}>${renderFieldValue(field, ticket.fields?.[field.name], this.now)}</td>`)}
    </tr>`;
  }

  render() {
    const virtualizer = this.#virtual.getVirtualizer();
    const items = virtualizer.getVirtualItems();
    const { top, bottom } = spacers(items, virtualizer.getTotalSize(), virtualizer.options.scrollMargin);
    const width = 7 + this.columns.length;
    const spacer = (height: number) =>
      height > 0 ? html`<tr class="spacer" aria-hidden="true"><td colspan=${width} style=${styleMap({ height: `${height}px` })}></td></tr>` : nothing;
    const agentName = (id: string | null | undefined) => (id ? (this.agents.find((a) => a.id === id)?.name ?? id) : '—');
    return html`<div class="scroller">
      <table aria-rowcount=${this.tickets.length + 1}>
        <thead>
          <tr aria-rowindex="1">
            <th class="check" scope="col">
              <input
                type="checkbox"
                aria-label=${t('tickets:selectAll', { count: this.tickets.length })}
                .checked=${this.#selection === 'all'}
                .indeterminate=${this.#selection === 'some'}
                @change=${(e: Event) => this.#toggleAll((e.target as HTMLInputElement).checked)}
              />
            </th>
            <th class="number" scope="col">${t('tickets:number')}</th>
            <th scope="col">${t('tickets:subject')}</th>
            <th class="status" scope="col">${t('tickets:status')}</th>
            <th class="priority" scope="col">${t('tickets:priority')}</th>
            <th class="assignee" scope="col">${t('tickets:assignee')}</th>
            <th class="updated" scope="col">${t('tickets:updated')}</th>
            ${this.columns.map((field) => this.#columnHeader(field))}
          </tr>
        </thead>
        <tbody>
          ${spacer(top)}
          ${repeat(
            items.filter((item) => this.tickets[item.index] !== undefined),
            (item) => this.tickets[item.index]!.id,
            (item) => this.#renderRow(this.tickets[item.index]!, item.index, agentName),
          )}
          ${spacer(bottom)}
        </tbody>
      </table>
    </div>`;
  }
}

customElements.define('to-ticket-table', ToTicketTable);

declare global {
  interface HTMLElementTagNameMap {
    'to-ticket-table': ToTicketTable;
  }
}
