import { LitElement, css, html } from 'lit';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import type { Catalog } from './catalog.ts';
import type { ListState } from './list-query.ts';

const SORTS: [string, string][] = [
  ['', 'tickets:sortUpdatedDesc'],
  ['updated', 'tickets:sortUpdatedAsc'],
  ['-created', 'tickets:sortCreatedDesc'],
  ['created', 'tickets:sortCreatedAsc'],
  ['-priority', 'tickets:sortPriorityDesc'],
  ['-number', 'tickets:sortNumberDesc'],
];

/**
 * `<to-ticket-filters>`: full-text search, status, priority, assignee and sort. Fires
 * `filters-changed` with the fields that changed (an empty string clears a field).
 */
export class ToTicketFilters extends LitElement {
  static properties = { state: { attribute: false }, catalog: { attribute: false } };
  static styles = [
    sharedStyles,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: var(--wa-space-s);
      }
      .q {
        flex: 1 1 14rem;
      }
      wa-select {
        flex: 0 1 11rem;
        min-width: 9rem;
      }
      wa-select[name='sort'] {
        flex-basis: 15rem;
      }
    `,
  ];

  declare state: ListState;
  declare catalog: Catalog | null;

  constructor() {
    super();
    this.state = {};
    this.catalog = null;
    new I18nController(this);
  }

  #emit(change: Partial<Record<keyof ListState, string>>): void {
    this.dispatchEvent(new CustomEvent('filters-changed', { detail: change, bubbles: true, composed: true }));
  }

  #select(key: keyof ListState) {
    return (event: Event) => {
      const value = (event.target as HTMLSelectElement).value;
      if ((this.state[key] ?? '') !== value) this.#emit({ [key]: value });
    };
  }

  #search(event: Event): void {
    event.preventDefault();
    const value = (this.renderRoot.querySelector('wa-input.q') as HTMLInputElement).value.trim();
    if ((this.state.q ?? '') !== value) this.#emit({ q: value });
  }

  render() {
    const { state, catalog } = this;
    const sorts: [string, string][] = state.q ? [['', 'tickets:sortRelevance'], ...SORTS.map(([v, l]): [string, string] => [v || '-updated', l])] : SORTS;
    return html`<form role="search" aria-label=${t('tickets:filters')} @submit=${this.#search}>
      <wa-input class="q" type="search" name="q" label=${t('tickets:query')} .value=${state.q ?? ''} with-clear @change=${this.#search}></wa-input>
      <wa-select name="status" label=${t('tickets:status')} .value=${state.status ?? ''} @change=${this.#select('status')}>
        <wa-option value="">${t('tickets:anyStatus')}</wa-option>
        ${catalog?.statuses.map((s) => html`<wa-option value=${s.name}>${s.name}</wa-option>`)}
      </wa-select>
      <wa-select name="priority" label=${t('tickets:priority')} .value=${state.priority ?? ''} @change=${this.#select('priority')}>
        <wa-option value="">${t('tickets:anyPriority')}</wa-option>
        ${catalog?.priorities.map((p) => html`<wa-option value=${p.name}>${p.name}</wa-option>`)}
      </wa-select>
      <wa-select name="assignee" label=${t('tickets:assignee')} .value=${state.assigneeId ?? ''} @change=${this.#select('assigneeId')}>
        <wa-option value="">${t('tickets:anyone')}</wa-option>
        <wa-option value="me">${t('tickets:me')}</wa-option>
        <wa-option value="none">${t('tickets:unassigned')}</wa-option>
        ${catalog?.agents.map((u) => html`<wa-option value=${u.id}>${u.name}</wa-option>`)}
      </wa-select>
      <wa-select name="sort" label=${t('tickets:sort')} .value=${state.sort ?? ''} @change=${this.#select('sort')}>
        ${sorts.map(([value, label]) => html`<wa-option value=${value}>${t(label)}</wa-option>`)}
      </wa-select>
    </form>`;
  }
}

customElements.define('to-ticket-filters', ToTicketFilters);

declare global {
  interface HTMLElementTagNameMap {
    'to-ticket-filters': ToTicketFilters;
  }
}
