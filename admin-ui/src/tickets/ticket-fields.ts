import { ContextConsumer } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { ApiError } from '../api/client.ts';
import { apiContext, can, sessionContext } from '../api/context.ts';
import type { Ticket } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import type { Catalog } from './catalog.ts';

/**
 * `<to-ticket-fields>`: the ticket's status and priority. Each change is saved at once with
 * `PATCH /tickets/{id}` and `If-Match` on the version shown; when someone changed the ticket
 * meanwhile (412) it says so and fires `ticket-stale`. Fires `ticket-changed` with the saved ticket.
 */
export class ToTicketFields extends LitElement {
  static properties = { ticket: { attribute: false }, catalog: { attribute: false }, message: { state: true }, busy: { state: true } };
  static styles = [
    sharedStyles,
    css`
      section {
        display: grid;
        gap: var(--wa-space-m);
      }
      .message {
        margin: 0;
        color: var(--wa-color-text-quiet);
      }
    `,
  ];

  declare ticket: Ticket;
  declare catalog: Catalog | null;
  declare message: string;
  declare busy: boolean;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #session = new ContextConsumer(this, { context: sessionContext });

  constructor() {
    super();
    this.catalog = null;
    this.message = '';
    this.busy = false;
    new I18nController(this);
  }

  async #save(field: 'status' | 'priority', value: string): Promise<void> {
    if (!value || value === this.ticket[field]) return;
    this.busy = true;
    this.message = '';
    try {
      const { data } = await this.#api.value!.request<Ticket>('PATCH', `/tickets/${encodeURIComponent(this.ticket.id)}`, {
        body: { [field]: value },
        headers: { 'if-match': `"${this.ticket.version}"` },
      });
      this.message = t('ticket:saved');
      this.dispatchEvent(new CustomEvent('ticket-changed', { detail: data, bubbles: true, composed: true }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) {
        this.message = t('ticket:conflict');
        this.dispatchEvent(new CustomEvent('ticket-stale', { bubbles: true, composed: true }));
      } else if (!(error instanceof ApiError && error.status === 401)) {
        this.message = t('shell:error', { message: (error as Error).message });
      }
    } finally {
      this.busy = false;
    }
  }

  render() {
    const ticket = this.ticket;
    if (!ticket) return null;
    const editable = can(this.#session.value, 'tickets.update');
    const statuses = this.catalog?.statuses ?? [];
    const priorities = this.catalog?.priorities ?? [];
    return html`<section aria-labelledby="fields-title">
      <h2 id="fields-title">${t('ticket:fields')}</h2>
      <wa-select name="status" label=${t('ticket:status')} .value=${ticket.status} ?disabled=${!editable || this.busy} @change=${(e: Event) => this.#save('status', (e.target as HTMLSelectElement).value)}>
        ${statuses.some((s) => s.name === ticket.status) ? null : html`<wa-option value=${ticket.status}>${ticket.status}</wa-option>`}
        ${statuses.map((s) => html`<wa-option value=${s.name}>${s.name}</wa-option>`)}
      </wa-select>
      <wa-select name="priority" label=${t('ticket:priority')} .value=${ticket.priority} ?disabled=${!editable || this.busy} @change=${(e: Event) => this.#save('priority', (e.target as HTMLSelectElement).value)}>
        ${priorities.some((p) => p.name === ticket.priority) ? null : html`<wa-option value=${ticket.priority}>${ticket.priority}</wa-option>`}
        ${priorities.map((p) => html`<wa-option value=${p.name}>${p.name}</wa-option>`)}
      </wa-select>
      <p class="message" role="status">${this.message}</p>
    </section>`;
  }
}

customElements.define('to-ticket-fields', ToTicketFields);

declare global {
  interface HTMLElementTagNameMap {
    'to-ticket-fields': ToTicketFields;
  }
}
