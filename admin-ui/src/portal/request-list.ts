import { ContextConsumer } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { sessionContext } from '../api/context.ts';
import type { Ticket } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { formatWhen, statusLabel } from './format.ts';
import { pageStyles } from './styles.ts';

/** `<to-portal-request-list .tickets=${…}>`: requests as a list of cards — subject (the link), number, status, last activity. */
export class ToPortalRequestList extends LitElement {
  static properties = { tickets: { attribute: false }, label: {} };
  static styles = [
    sharedStyles,
    pageStyles,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--wa-space-s);
      }
      li {
        display: grid;
        grid-template-columns: 1fr auto;
        gap: var(--wa-space-2xs) var(--wa-space-m);
        align-items: center;
      }
      a {
        font-weight: var(--wa-font-weight-semibold);
        overflow-wrap: anywhere;
      }
      .meta {
        grid-column: 1 / -1;
      }
      @media (max-width: 30rem) {
        li {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];

  declare tickets: Ticket[];
  declare label: string;
  /** The signed-in customer: requests someone else opened (shared by their organization) say so. */
  readonly #session = new ContextConsumer(this, { context: sessionContext, subscribe: true });

  constructor() {
    super();
    this.tickets = [];
    this.label = '';
    new I18nController(this);
  }

  render() {
    const me = this.#session.value?.id;
    return html`<ul aria-label=${this.label}>
      ${this.tickets.map(
        (ticket) => html`<li class="card" data-ticket=${ticket.id}>
          <a href="/portal/requests/${ticket.id}">${ticket.title}</a>
          <span class="status" data-category=${ticket.statusCategory}>${statusLabel(ticket.statusCategory)}</span>
          <span class="meta quiet"
            >${t('portal:list.number', { number: ticket.number })} · ${t('portal:list.updated')}: ${formatWhen(ticket.updatedAt)}${me && ticket.requesterId && ticket.requesterId !== me
              ? html` · <span data-colleague>${t('portal:list.colleague')}</span>`
              : ''}</span
          >
        </li>`,
      )}
    </ul>`;
  }
}

customElements.define('to-portal-request-list', ToPortalRequestList);
