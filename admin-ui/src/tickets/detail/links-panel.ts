import { ContextConsumer } from '@lit/context';
import { LitElement, html } from 'lit';
import { apiContext, can, sessionContext } from '../../api/context.ts';
import type { Ticket } from '../../api/types.ts';
import { I18nController } from '../../i18n/controller.ts';
import { t } from '../../i18n/i18n.ts';
import { sharedStyles } from '../../shell/shared-styles.ts';
import { panelStyles } from './panel-styles.ts';
import { isSignedOut } from './ticket-api.ts';
import './ticket-picker.ts';

export const LINK_TYPES = ['related', 'parent', 'child', 'duplicate_of', 'blocks', 'blocked_by'] as const;
type LinkType = (typeof LINK_TYPES)[number];

interface Link {
  type: LinkType;
  ticketId: string;
  number: number;
  title: string;
  status: string;
}

/**
 * `<to-ticket-links>`: the tickets linked to this one (parent, child, related, duplicate of,
 * blocks, blocked by — the API stores the inverse on the other ticket), with removing a link and
 * adding one by finding the other ticket by number or title.
 */
export class ToTicketLinks extends LitElement {
  static properties = { ticket: { attribute: false }, links: { state: true }, linkType: { state: true }, message: { state: true } };
  static styles = [sharedStyles, panelStyles];

  declare ticket: Ticket;
  declare links: Link[];
  declare linkType: LinkType;
  declare message: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #session = new ContextConsumer(this, { context: sessionContext });
  #loadedFor = '';

  constructor() {
    super();
    this.links = [];
    this.linkType = 'related';
    this.message = '';
    new I18nController(this);
  }

  willUpdate(changed: Map<string, unknown>): void {
    // Merges and splits change links and bump the version: read them again.
    const key = this.ticket ? `${this.ticket.id}@${this.ticket.version}` : '';
    if (changed.has('ticket') && key && key !== this.#loadedFor) {
      this.#loadedFor = key;
      void this.reload();
    }
  }

  async reload(): Promise<void> {
    const id = this.ticket.id;
    const page = await this.#api.value!.get<{ items: Link[] }>(`/tickets/${encodeURIComponent(id)}/links`).catch(() => ({ items: [] }));
    if (id === this.ticket.id) this.links = page.items;
  }

  async #run(action: () => Promise<unknown>, done: string): Promise<void> {
    this.message = '';
    try {
      await action();
      this.message = done;
      await this.reload();
    } catch (error) {
      if (!isSignedOut(error)) this.message = t('shell:error', { message: (error as Error).message });
    }
  }

  #add(other: Ticket): Promise<void> {
    const body = { type: this.linkType, ticketId: other.id };
    return this.#run(async () => {
      await this.#api.value!.post(`/tickets/${encodeURIComponent(this.ticket.id)}/links`, body);
      this.renderRoot.querySelector('to-ticket-picker')?.clear();
    }, t('ticketDetail:links.added', { number: other.number }));
  }

  #remove(link: Link): Promise<void> {
    const path = `/tickets/${encodeURIComponent(this.ticket.id)}/links/${link.type}/${encodeURIComponent(link.ticketId)}`;
    return this.#run(() => this.#api.value!.request('DELETE', path), t('ticketDetail:links.removed', { number: link.number }));
  }

  render() {
    if (!this.ticket) return null;
    const editable = can(this.#session.value, 'tickets.update');
    return html`<section aria-labelledby="links-title">
      <h2 id="links-title">${t('ticketDetail:links.title')}</h2>
      ${this.links.length
        ? html`<ul class="items">
            ${this.links.map(
              (link) => html`<li data-link=${`${link.type}:${link.number}`}>
                <span class="quiet">${t(`ticketDetail:links.type.${link.type}`)}</span>
                <a href=${`/admin/tickets/${link.ticketId}`}>#${link.number} ${link.title}</a>
                <span class="quiet">(${link.status})</span>
                ${editable
                  ? html`<wa-button size="small" appearance="plain" @click=${() => this.#remove(link)}>${t('ticketDetail:links.remove')}<span class="visually-hidden"> #${link.number}</span></wa-button>`
                  : null}
              </li>`,
            )}
          </ul>`
        : html`<p class="quiet">${t('ticketDetail:links.none')}</p>`}
      ${editable
        ? html`<details>
            <summary>${t('ticketDetail:links.add')}</summary>
            <div class="row">
              <wa-select
                name="linkType"
                label=${t('ticketDetail:links.kind')}
                .value=${this.linkType}
                @change=${(e: Event) => {
                  this.linkType = (e.target as HTMLSelectElement).value as LinkType;
                }}
              >
                ${LINK_TYPES.map((type) => html`<wa-option value=${type}>${t(`ticketDetail:links.type.${type}`)}</wa-option>`)}
              </wa-select>
            </div>
            <to-ticket-picker label=${t('ticketDetail:links.find')} .exceptId=${this.ticket.id} @ticket-picked=${(e: CustomEvent<Ticket>) => this.#add(e.detail)}></to-ticket-picker>
          </details>`
        : null}
      <p class="message" role="status">${this.message}</p>
    </section>`;
  }
}

customElements.define('to-ticket-links', ToTicketLinks);

declare global {
  interface HTMLElementTagNameMap {
    'to-ticket-links': ToTicketLinks;
  }
}
