import { ContextConsumer } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { apiContext, can, sessionContext } from '../../api/context.ts';
import { I18nController } from '../../i18n/controller.ts';
import { t } from '../../i18n/i18n.ts';
import { sharedStyles } from '../../shell/shared-styles.ts';
import { formatDate } from '../format.ts';
import { userById } from '../people.ts';
import { loadGroups } from './directory.ts';

interface HistoryItem {
  id: string;
  field: string;
  from: unknown;
  to: unknown;
  actorId: string | null;
  channel: string | null;
  via: string | null;
  at: string;
}

/**
 * A value as a person reads it: ids of people and groups as their names, linked tickets as their
 * numbers, custom fields as `name: value`; anything else as compact JSON.
 */
function shown(value: unknown, names: ReadonlyMap<string, string>): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return names.get(value) ?? value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length ? value.map((v) => shown(v, names)).join(', ') : '—';
  const record = value as Record<string, unknown>;
  if (typeof record.number === 'number') return `#${record.number}${typeof record.type === 'string' ? ` (${t(`ticketDetail:links.type.${record.type}`, { defaultValue: record.type })})` : ''}`;
  const entries = Object.entries(record);
  return entries.length ? entries.map(([k, v]) => `${k}: ${shown(v, names)}`).join(', ') : '—';
}

/** The ids of users and groups among history values, to be named. */
const PERSON_ID = /^(usr|grp)_[a-z0-9]+$/;

/**
 * `<to-ticket-history>`: every change to the ticket — field, old → new, who, when, and through
 * what (channel, and `via` such as a rule or a merge) — newest first, as a table. Read when opened
 * (the page shows it in a collapsible section) and again whenever the ticket's version changes.
 */
export class ToTicketHistory extends LitElement {
  static properties = { ticketId: { attribute: false }, version: { attribute: false }, items: { state: true }, names: { state: true }, error: { state: true } };
  static styles = [
    sharedStyles,
    css`
      .scroll {
        overflow-x: auto;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: var(--wa-font-size-s);
      }
      th,
      td {
        text-align: left;
        vertical-align: top;
        padding: var(--wa-space-2xs) var(--wa-space-xs);
        border-bottom: var(--wa-border-width-s) solid var(--wa-color-surface-border);
        overflow-wrap: anywhere;
      }
      th {
        font-weight: var(--wa-font-weight-semibold);
      }
      .change {
        white-space: normal;
      }
      .quiet {
        color: var(--wa-color-text-quiet);
      }
      /* On a phone each change is a small block of labelled lines rather than a squeezed row. */
      @media (max-width: 40rem) {
        thead {
          position: absolute;
          width: 1px;
          height: 1px;
          overflow: hidden;
          clip: rect(0 0 0 0);
        }
        tr,
        td {
          display: block;
        }
        tr {
          padding: var(--wa-space-xs) 0;
          border-bottom: var(--wa-border-width-s) solid var(--wa-color-surface-border);
        }
        td {
          border: none;
          padding: 0;
        }
        td[data-label]::before {
          content: attr(data-label) ': ';
          color: var(--wa-color-text-quiet);
        }
      }
    `,
  ];

  declare ticketId: string;
  declare version: number;
  declare items: HistoryItem[] | null;
  declare names: Map<string, string>;
  declare error: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #session = new ContextConsumer(this, { context: sessionContext });
  #loadedFor = '';

  constructor() {
    super();
    this.ticketId = '';
    this.version = 0;
    this.items = null;
    this.names = new Map();
    this.error = '';
    new I18nController(this);
  }

  willUpdate(): void {
    const key = `${this.ticketId}@${this.version}`;
    if (this.ticketId && key !== this.#loadedFor && can(this.#session.value, 'tickets.read.all')) {
      this.#loadedFor = key;
      void this.#load();
    }
  }

  async #load(): Promise<void> {
    const api = this.#api.value!;
    const id = this.ticketId;
    try {
      const page = await api.get<{ items: HistoryItem[] }>(`/tickets/${encodeURIComponent(id)}/history`);
      if (id !== this.ticketId) return;
      const names = new Map(this.names);
      const ids = new Set<string>();
      for (const item of page.items) {
        if (item.actorId) ids.add(item.actorId);
        for (const value of [item.from, item.to]) if (typeof value === 'string' && PERSON_ID.test(value)) ids.add(value);
      }
      const groups = [...ids].some((id) => id.startsWith('grp_')) ? await loadGroups(api) : [];
      for (const id of ids) {
        if (names.has(id)) continue;
        const name = id.startsWith('grp_') ? groups.find((g) => g.id === id)?.name : (await userById(api, id))?.name;
        names.set(id, name ?? id);
      }
      this.names = names;
      this.items = [...page.items].reverse();
      this.error = '';
    } catch (error) {
      this.error = t('shell:error', { message: (error as Error).message });
    }
  }

  render() {
    if (!can(this.#session.value, 'tickets.read.all')) return html`<p class="quiet">${t('ticketDetail:history.notAllowed')}</p>`;
    if (this.error) return html`<p role="alert">${this.error}</p>`;
    if (!this.items) return html`<wa-spinner aria-label=${t('shell:loading')}></wa-spinner>`;
    if (!this.items.length) return html`<p class="quiet">${t('ticketDetail:history.none')}</p>`;
    return html`<div class="scroll">
      <table>
        <caption class="visually-hidden">${t('ticketDetail:history.title')}</caption>
        <thead>
          <tr>
            <th scope="col">${t('ticketDetail:history.when')}</th>
            <th scope="col">${t('ticketDetail:history.field')}</th>
            <th scope="col">${t('ticketDetail:history.change')}</th>
            <th scope="col">${t('ticketDetail:history.who')}</th>
            <th scope="col">${t('ticketDetail:history.via')}</th>
          </tr>
        </thead>
        <tbody>
          ${this.items.map(
            (item) => html`<tr data-field=${item.field}>
              <td><time datetime=${item.at}>${formatDate(item.at, 'short')}</time></td>
              <td data-label=${t('ticketDetail:history.field')}>${t(`ticketDetail:history.fields.${item.field}`, { defaultValue: item.field })}</td>
              <td class="change" data-label=${t('ticketDetail:history.change')}>${shown(item.from, this.names)} → ${shown(item.to, this.names)}</td>
              <td data-label=${t('ticketDetail:history.who')}>${item.actorId ? (this.names.get(item.actorId) ?? '…') : t('ticket:system')}</td>
              <td class="quiet" data-label=${t('ticketDetail:history.via')}>${[item.channel, item.via].filter(Boolean).join(' · ')}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}

customElements.define('to-ticket-history', ToTicketHistory);

declare global {
  interface HTMLElementTagNameMap {
    'to-ticket-history': ToTicketHistory;
  }
}
