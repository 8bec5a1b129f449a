import { LitElement, css, html } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Ticket } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import type { User } from '../api/types.ts';
import { fieldLabel, renderFieldValue } from './field-value.ts';
import { CATEGORY_VARIANT, formatDate } from './format.ts';
import { type ListField, type ListedTicket, nextSort } from './list-query.ts';
import { renderSnippet } from './snippet.ts';

/**
 * `<to-ticket-table>`: the tickets as a table with a checkbox per row, and a column per chosen
 * plugin list field (`columns`, values from each ticket's `fields`) whose header sorts by it.
 * Fires `selection-changed` with the new set of selected ids (the list page owns the selection)
 * and `sort-changed` with the sort a column header asks for.
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
  static styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        overflow-x: auto;
      }
      table {
        width: 100%;
        border-collapse: collapse;
      }
      th,
      td {
        text-align: left;
        padding: var(--wa-space-xs) var(--wa-space-s);
        border-bottom: var(--wa-border-width-s) solid var(--wa-color-surface-border);
        vertical-align: top;
      }
      th {
        font-size: var(--wa-font-size-s);
        color: var(--wa-color-text-quiet);
        font-weight: var(--wa-font-weight-semibold);
      }
      tr.selected td {
        background: var(--wa-color-brand-fill-quiet);
      }
      /* Changed by someone else just now: a short highlight (no motion when reduced motion is asked for). */
      tr.changed td {
        animation: changed 4s ease-out;
      }
      @keyframes changed {
        from {
          background: var(--wa-color-warning-fill-normal);
        }
      }
      @media (prefers-reduced-motion: reduce) {
        tr.changed td {
          animation: none;
          background: var(--wa-color-warning-fill-quiet);
        }
      }
      /* The keyboard cursor (j / k): a bar at the row's start, besides the link's focus ring. */
      tr.current td:first-child {
        box-shadow: inset 4px 0 0 var(--wa-color-brand-fill-loud);
      }
      .check {
        width: 2.5rem;
      }
      input[type='checkbox'] {
        width: 1.1rem;
        height: 1.1rem;
        accent-color: var(--wa-color-brand-fill-loud);
      }
      .number {
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
        color: var(--wa-color-text-quiet);
      }
      .title {
        min-width: 14rem;
      }
      .title a {
        font-weight: var(--wa-font-weight-semibold);
      }
      .snippet {
        margin: var(--wa-space-3xs) 0 0;
        font-size: var(--wa-font-size-s);
        color: var(--wa-color-text-quiet);
      }
      mark {
        background: var(--wa-color-warning-fill-normal);
        color: var(--wa-color-warning-on-normal);
        border-radius: 2px;
      }
      .nowrap {
        white-space: nowrap;
      }
      th button {
        font: inherit;
        color: inherit;
        background: none;
        border: 0;
        padding: 0;
        cursor: pointer;
        text-align: inherit;
        text-decoration: underline dotted;
      }
      time.overdue {
        color: var(--wa-color-danger-on-quiet);
        font-weight: var(--wa-font-weight-semibold);
      }
    `,
  ];

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

  willUpdate(): void {
    if (this.columns.length && this.tickets !== this.#shown) this.now = Date.now();
    this.#shown = this.tickets;
  }

  #columnHeader(field: ListField) {
    const label = fieldLabel(field);
    const direction = this.sort === field.name ? 'ascending' : this.sort === `-${field.name}` ? 'descending' : undefined;
    if (!this.sortable) return html`<th scope="col" data-column=${field.name} title=${field.description}>${label}</th>`;
    return html`<th scope="col" data-column=${field.name} aria-sort=${direction ?? 'none'}>
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
    return this.tickets.find((ticket) => ticket.id === this.currentId);
  }

  /** Moves the keyboard cursor by `step` rows (from the focused row when there is one) and focuses that row's link. */
  async move(step: number): Promise<void> {
    if (this.tickets.length === 0) return;
    const focused = this.#focusedRow();
    const from = focused >= 0 ? focused : this.tickets.findIndex((ticket) => ticket.id === this.currentId);
    const index = from < 0 ? (step > 0 ? 0 : this.tickets.length - 1) : Math.max(0, Math.min(this.tickets.length - 1, from + step));
    this.currentId = this.tickets[index]!.id;
    await this.updateComplete;
    const link = this.renderRoot.querySelector<HTMLAnchorElement>(`tr[data-index="${index}"] .title a`);
    link?.focus();
    link?.closest('tr')?.scrollIntoView({ block: 'nearest' });
  }

  /** Selects or unselects the row under the cursor. */
  toggleCurrent(): void {
    const ticket = this.current;
    if (ticket) this.#toggle(ticket.id, !this.selected.has(ticket.id));
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

  #toggleAll(on: boolean): void {
    this.#emit(on ? new Set(this.tickets.map((ticket) => ticket.id)) : new Set());
  }

  render() {
    const all = this.tickets.length > 0 && this.tickets.every((ticket) => this.selected.has(ticket.id));
    const some = !all && this.tickets.some((ticket) => this.selected.has(ticket.id));
    const agentName = (id: string | null | undefined) => (id ? (this.agents.find((a) => a.id === id)?.name ?? id) : '—');
    return html`<table>
      <thead>
        <tr>
          <th class="check" scope="col">
            <input type="checkbox" aria-label=${t('tickets:selectAll')} .checked=${all} .indeterminate=${some} @change=${(e: Event) => this.#toggleAll((e.target as HTMLInputElement).checked)} />
          </th>
          <th scope="col">${t('tickets:number')}</th>
          <th scope="col">${t('tickets:subject')}</th>
          <th scope="col">${t('tickets:status')}</th>
          <th scope="col">${t('tickets:priority')}</th>
          <th scope="col">${t('tickets:assignee')}</th>
          <th scope="col">${t('tickets:updated')}</th>
          ${this.columns.map((field) => this.#columnHeader(field))}
        </tr>
      </thead>
      <tbody>
        ${repeat(
          this.tickets,
          (ticket) => ticket.id,
          (ticket, index) => html`<tr
            class="${this.selected.has(ticket.id) ? 'selected' : ''} ${this.changed.has(ticket.id) ? 'changed' : ''} ${ticket.id === this.currentId ? 'current' : ''}"
            data-ticket=${ticket.id}
            data-index=${index}
            aria-current=${ticket.id === this.currentId ? 'true' : 'false'}
            @focusin=${() => {
              this.currentId = ticket.id;
            }}
          >
            <td class="check">
              <input
                type="checkbox"
                aria-label=${t('tickets:selectTicket', { number: ticket.number })}
                .checked=${this.selected.has(ticket.id)}
                @change=${(e: Event) => this.#toggle(ticket.id, (e.target as HTMLInputElement).checked)}
              />
            </td>
            <td class="number">#${ticket.number}</td>
            <td class="title">
              <a href="/admin/tickets/${ticket.id}">${ticket.title}</a>
              ${ticket.snippet ? html`<p class="snippet">${renderSnippet(ticket.snippet)}</p>` : null}
            </td>
            <td data-field="status"><wa-badge variant=${CATEGORY_VARIANT[ticket.statusCategory] ?? 'neutral'} appearance="filled-outlined">${ticket.status}</wa-badge></td>
            <td class="nowrap" data-field="priority">${ticket.priority}</td>
            <td class="nowrap">${agentName(ticket.assigneeId)}</td>
            <td class="nowrap"><time datetime=${ticket.updatedAt ?? ''}>${formatDate(ticket.updatedAt, 'short')}</time></td>
            ${this.columns.map((field) => html`<td class="nowrap" data-field=${field.name}>${renderFieldValue(field, ticket.fields?.[field.name], this.now)}</td>`)}
          </tr>`,
        )}
      </tbody>
    </table>`;
  }
}

customElements.define('to-ticket-table', ToTicketTable);

declare global {
  interface HTMLElementTagNameMap {
    'to-ticket-table': ToTicketTable;
  }
}
