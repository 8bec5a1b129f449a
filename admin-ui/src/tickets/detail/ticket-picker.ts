import { ContextConsumer } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { apiContext } from '../../api/context.ts';
import type { Ticket } from '../../api/types.ts';
import { I18nController } from '../../i18n/controller.ts';
import { t } from '../../i18n/i18n.ts';
import { sharedStyles } from '../../shell/shared-styles.ts';
import { findTickets } from './ticket-api.ts';

/**
 * `<to-ticket-picker label=…>`: finds a ticket by number (`#12`, `12`) or words of its title and
 * lists the matches as buttons; picking one fires `ticket-picked` with the ticket. The ticket
 * shown (`exceptId`) is never offered.
 */
export class ToTicketPicker extends LitElement {
  static properties = { label: {}, exceptId: { attribute: false }, results: { state: true }, searched: { state: true } };
  static styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: var(--wa-space-2xs);
      }
      wa-input {
        min-width: 0;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--wa-space-3xs);
      }
      .none {
        margin: 0;
        font-size: var(--wa-font-size-s);
        color: var(--wa-color-text-quiet);
      }
    `,
  ];

  declare label: string;
  declare exceptId: string;
  declare results: Ticket[];
  declare searched: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.label = '';
    this.exceptId = '';
    this.results = [];
    this.searched = '';
    new I18nController(this);
  }

  /** Searches a moment after typing stops (Enter searches at once). */
  #input(event: Event): void {
    const text = (event.target as HTMLInputElement).value;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#search(text), 250);
  }

  async #search(text: string): Promise<void> {
    clearTimeout(this.#timer);
    const found = await findTickets(this.#api.value!, text, this.exceptId).catch(() => []);
    this.results = found;
    this.searched = text.trim();
  }

  clear(): void {
    this.results = [];
    this.searched = '';
    const input = this.renderRoot.querySelector('wa-input') as HTMLInputElement | null;
    if (input) input.value = '';
  }

  render() {
    return html`<wa-input
        type="search"
        label=${this.label}
        placeholder=${t('ticketDetail:picker.placeholder')}
        @input=${this.#input}
        @keydown=${(e: KeyboardEvent) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            void this.#search((e.target as HTMLInputElement).value);
          }
        }}
      ></wa-input>
      <div role="status" aria-live="polite">
        ${this.results.length
          ? html`<ul aria-label=${t('ticketDetail:picker.results')}>
              ${this.results.map(
                (ticket) => html`<li>
                  <wa-button size="small" appearance="outlined" data-pick=${ticket.number} @click=${() => this.dispatchEvent(new CustomEvent('ticket-picked', { detail: ticket, bubbles: true, composed: true }))}>
                    #${ticket.number} ${ticket.title}
                  </wa-button>
                </li>`,
              )}
            </ul>`
          : this.searched
            ? html`<p class="none">${t('ticketDetail:picker.none')}</p>`
            : null}
      </div>
    `;
  }
}

customElements.define('to-ticket-picker', ToTicketPicker);

declare global {
  interface HTMLElementTagNameMap {
    'to-ticket-picker': ToTicketPicker;
  }
}
