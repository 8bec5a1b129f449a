/**
 * `<to-automation-macros>` (zone `ticket.toolbar`): the tenant's macros as buttons; a click shows
 * the preview (what would change), Apply applies it as the signed-in agent.
 */
import { type AdminPanelContext, ContextConsumer, I18nController, LitElement, apiContext, html, nothing, t } from '@ticketops/admin-ui/plugin-api';
import { problemText, styles } from './shared.ts';

interface Macro {
  id: string;
  name: string;
  description: string | null;
}
interface Preview {
  changes: { field: string; from: unknown; to: unknown }[];
  comments: unknown[];
}

export class ToAutomationMacros extends LitElement {
  static properties = { panel: { attribute: false }, macros: { state: true }, chosen: { state: true }, preview: { state: true }, message: { state: true }, busy: { state: true } };
  static styles = [styles];

  declare panel: AdminPanelContext | undefined;
  declare macros: Macro[];
  declare chosen: Macro | null;
  declare preview: Preview | null;
  declare message: string;
  declare busy: boolean;
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.macros = [];
    this.chosen = null;
    this.preview = null;
    this.message = '';
    this.busy = false;
    new I18nController(this);
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.#api.value?.get<{ items: Macro[] }>('/automation/macros').then((r) => (this.macros = r.items), (e) => (this.message = problemText(e)));
  }

  async #preview(macro: Macro): Promise<void> {
    const ticket = this.panel?.ticket;
    if (!ticket) return;
    this.chosen = macro;
    this.message = '';
    try {
      this.preview = await this.#api.value!.post<Preview>(`/automation/macros/${encodeURIComponent(macro.id)}/apply`, { ticketId: ticket.id, preview: true });
    } catch (error) {
      this.message = problemText(error);
    }
  }

  async #apply(): Promise<void> {
    const ticket = this.panel?.ticket;
    if (!ticket || !this.chosen) return;
    this.busy = true;
    try {
      await this.#api.value!.post(`/automation/macros/${encodeURIComponent(this.chosen.id)}/apply`, { ticketId: ticket.id });
      this.message = t('automation:applied', { name: this.chosen.name });
      this.chosen = null;
      this.preview = null;
    } catch (error) {
      this.message = problemText(error);
    } finally {
      this.busy = false;
    }
  }

  #close(): void {
    this.preview = null;
    this.chosen = null;
  }

  render() {
    if (!this.panel?.ticket) return nothing;
    return html`<div class="row" role="group" aria-label=${t('automation:macros')}>
        ${this.macros.map((m) => html`<wa-button size="small" appearance="outlined" title=${m.description ?? ''} @click=${() => this.#preview(m)}>${m.name}</wa-button>`)}
      </div>
      ${this.preview && this.chosen
        ? html`<div class="card" role="dialog" aria-label=${t('automation:preview')}>
            <strong>${this.chosen.name}</strong>
            ${this.preview.changes.length
              ? html`<ul>${this.preview.changes.map((c) => html`<li>${t('automation:wouldChange', { field: c.field, from: JSON.stringify(c.from), to: JSON.stringify(c.to) })}</li>`)}</ul>`
              : html`<p class="quiet">${t('automation:noChange')}</p>`}
            ${this.preview.comments.length ? html`<p class="quiet">${t('automation:notes', { count: this.preview.comments.length })}</p>` : nothing}
            <div class="row">
              <wa-button size="small" variant="brand" ?loading=${this.busy} @click=${this.#apply}>${t('automation:apply')}</wa-button>
              <wa-button size="small" appearance="plain" @click=${this.#close}>${t('automation:cancel')}</wa-button>
            </div>
          </div>`
        : nothing}
      <p role="status" class="quiet">${this.message}</p>`;
  }
}

customElements.define('to-automation-macros', ToAutomationMacros);
