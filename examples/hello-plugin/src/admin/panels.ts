/**
 * The hello plugin's admin module: the panels it adds to the console. Built by
 * `npm run build:admin` (vite.admin.config.ts) into `dist/admin/panels.js`, which the core serves
 * at `/admin/plugins/hello/panels.js` while the plugin is enabled; the console imports it the first
 * time a zone shows one of its panels. Everything shared with the console (Lit, the contexts, the
 * strings) comes from `@ticketops/admin-ui/plugin-api`, which the build maps to the console's
 * `/admin/plugin-api.js`: the module itself is a few kilobytes.
 */
import {
  type AdminPanelContext,
  ApiError,
  ContextConsumer,
  I18nController,
  LitElement,
  addStrings,
  apiContext,
  css,
  html,
  sharedStyles,
  t,
} from '@ticketops/admin-ui/plugin-api';

addStrings('hello', {
  en: {
    intro: 'Send the requester of ticket #{{number}} a greeting from the hello plugin.',
    send: 'Send greeting',
    sent: 'Sent: {{message}}',
    failed: 'The greeting could not be sent: {{message}}',
  },
  de: {
    intro: 'Dem Anfragenden von Ticket #{{number}} einen Gruß des Hello-Plugins senden.',
    send: 'Gruß senden',
    sent: 'Gesendet: {{message}}',
    failed: 'Der Gruß konnte nicht gesendet werden: {{message}}',
  },
});

/**
 * `<to-hello-greeting>` (zone `ticket.sidebar`): greets the ticket's requester by name through
 * the plugin's own API (`POST /api/v1/hello/greetings`).
 */
export class ToHelloGreeting extends LitElement {
  static properties = { panel: { attribute: false }, status: { state: true }, busy: { state: true } };
  static styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        gap: var(--wa-space-s);
      }
      p {
        margin: 0;
      }
    `,
  ];

  declare panel: AdminPanelContext | undefined;
  declare status: string;
  declare busy: boolean;
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.status = '';
    this.busy = false;
    new I18nController(this);
  }

  async #send(): Promise<void> {
    const ticket = this.panel?.ticket;
    const api = this.#api.value;
    if (!ticket || !api) return;
    this.busy = true;
    try {
      const requesterId = typeof ticket.requesterId === 'string' ? ticket.requesterId : null;
      const requester = requesterId ? await api.get<{ name: string }>(`/users/${encodeURIComponent(requesterId)}`).catch(() => null) : null;
      const greeting = await api.post<{ message: string }>('/hello/greetings', { name: requester?.name ?? `#${ticket.number}` });
      this.status = t('hello:sent', { message: greeting.message });
    } catch (error) {
      this.status = t('hello:failed', { message: error instanceof ApiError ? error.message : String(error) });
    } finally {
      this.busy = false;
    }
  }

  render() {
    const ticket = this.panel?.ticket;
    if (!ticket) return null;
    return html`<p>${t('hello:intro', { number: ticket.number })}</p>
      <wa-button size="small" ?loading=${this.busy} @click=${this.#send}>${t('hello:send')}</wa-button>
      <p role="status">${this.status}</p>`;
  }
}

customElements.define('to-hello-greeting', ToHelloGreeting);

declare global {
  interface HTMLElementTagNameMap {
    'to-hello-greeting': ToHelloGreeting;
  }
}
