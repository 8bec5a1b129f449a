/**
 * `<to-email-templates>` (zone `settings.section`, permission `email.templates.manage`): the
 * notification template editor. Pick a notification and language, edit subject, HTML and text,
 * preview against sample data or a ticket number's real ticket, save (a part that does not compile
 * is named by the API's 400 and marked here), or go back to the shipped template. The preview's
 * HTML is shown in a sandboxed frame (no scripts, no same-origin access).
 */
import { type AdminPanelContext, ApiError, ContextConsumer, I18nController, LitElement, addStrings, apiContext, css, html, sharedStyles, t } from '@ticketops/admin-ui/plugin-api';

addStrings('email', {
  en: {
    template: 'Notification and language',
    subject: 'Subject',
    html: 'HTML body',
    text: 'Text body',
    ticket: 'Preview with ticket number (empty: sample data)',
    preview: 'Preview',
    save: 'Save',
    revert: 'Use the shipped template',
    saved: 'Saved.',
    reverted: 'The shipped template applies again.',
    own: 'This tenant’s own template',
    shipped: 'Shipped template',
    noTicket: 'No ticket with that number.',
  },
  de: {
    template: 'Benachrichtigung und Sprache',
    subject: 'Betreff',
    html: 'HTML-Text',
    text: 'Nur-Text',
    ticket: 'Vorschau mit Ticketnummer (leer: Beispieldaten)',
    preview: 'Vorschau',
    save: 'Speichern',
    revert: 'Mitgelieferte Vorlage verwenden',
    saved: 'Gespeichert.',
    reverted: 'Die mitgelieferte Vorlage gilt wieder.',
    own: 'Eigene Vorlage dieses Mandanten',
    shipped: 'Mitgelieferte Vorlage',
    noTicket: 'Kein Ticket mit dieser Nummer.',
  },
});

interface Template {
  kind: string;
  locale: string;
  subject: string;
  html: string;
  text: string;
  overridden: boolean;
  description?: string;
}
type Field = 'subject' | 'html' | 'text';

export class ToEmailTemplates extends LitElement {
  static properties = {
    panel: { attribute: false },
    items: { state: true },
    key: { state: true },
    draft: { state: true },
    status: { state: true },
    invalid: { state: true },
    preview: { state: true },
    busy: { state: true },
  };
  static styles = [
    sharedStyles,
    css`
      :host { display: grid; gap: var(--wa-space-m); }
      label { display: grid; gap: var(--wa-space-2xs); font-weight: 600; }
      input, select, textarea { font: inherit; padding: var(--wa-space-2xs); }
      textarea { font-family: var(--wa-font-family-code, monospace); min-height: 8rem; }
      [aria-invalid='true'] { outline: 2px solid var(--wa-color-danger-fill-loud, #b00020); }
      .actions { display: flex; gap: var(--wa-space-s); flex-wrap: wrap; }
      iframe { width: 100%; min-height: 18rem; border: 1px solid var(--wa-color-neutral-border-quiet, #ccc); background: #fff; }
      pre { white-space: pre-wrap; margin: 0; }
    `,
  ];

  declare panel: AdminPanelContext | undefined;
  declare items: Template[];
  declare key: string;
  declare draft: Record<Field, string>;
  declare status: string;
  declare invalid: Field[];
  declare preview: { subject: string; html: string; text: string } | null;
  declare busy: boolean;
  readonly #api = new ContextConsumer(this, { context: apiContext, subscribe: true });
  #ticket = '';

  constructor() {
    super();
    this.items = [];
    this.key = '';
    this.draft = { subject: '', html: '', text: '' };
    this.status = '';
    this.invalid = [];
    this.preview = null;
    this.busy = false;
    new I18nController(this);
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  get #current(): Template | undefined {
    return this.items.find((i) => `${i.kind}/${i.locale}` === this.key);
  }

  async #load(keep = this.key): Promise<void> {
    const api = this.#api.value;
    if (!api) return;
    const { items } = await api.get<{ items: Template[] }>('/email/templates');
    this.items = items;
    this.#select(items.some((i) => `${i.kind}/${i.locale}` === keep) ? keep : `${items[0]?.kind}/${items[0]?.locale}`);
  }

  #select(key: string): void {
    this.key = key;
    const current = this.#current;
    this.draft = { subject: current?.subject ?? '', html: current?.html ?? '', text: current?.text ?? '' };
    this.invalid = [];
    this.preview = null;
  }

  async #run(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.invalid = [];
    try {
      await work();
    } catch (error) {
      if (error instanceof ApiError) {
        this.invalid = error.errors.map((e) => e.pointer.replace('/body/', '') as Field);
        this.status = [error.message, ...error.errors.map((e) => `${e.pointer.replace('/body/', '')}: ${e.message}`)].join(' — ');
      } else this.status = String(error);
    } finally {
      this.busy = false;
    }
  }

  #preview = () =>
    this.#run(async () => {
      const api = this.#api.value;
      const current = this.#current;
      if (!api || !current) return;
      let ticketId: string | undefined;
      if (this.#ticket.trim()) {
        const ticket = await api.get<{ id: string }>(`/tickets/by-number/${encodeURIComponent(this.#ticket.trim())}`).catch(() => null);
        if (!ticket) {
          this.status = t('email:noTicket');
          return;
        }
        ticketId = ticket.id;
      }
      this.preview = await api.post('/email/templates/preview', { kind: current.kind, locale: current.locale, ...this.draft, ticketId });
      this.status = '';
    });

  #save = () =>
    this.#run(async () => {
      const api = this.#api.value;
      const current = this.#current;
      if (!api || !current) return;
      await api.request('PUT', `/email/templates/${current.kind}/${current.locale}`, { body: this.draft });
      await this.#load();
      this.status = t('email:saved');
    });

  #revert = () =>
    this.#run(async () => {
      const api = this.#api.value;
      const current = this.#current;
      if (!api || !current) return;
      await api.request('DELETE', `/email/templates/${current.kind}/${current.locale}`);
      await this.#load();
      this.status = t('email:reverted');
    });

  #field(field: Field, multiline: boolean) {
    const input = (e: Event) => {
      this.draft = { ...this.draft, [field]: (e.target as HTMLInputElement).value };
    };
    const invalid = this.invalid.includes(field) ? 'true' : 'false';
    return html`<label>${t(`email:${field}`)}
      ${multiline
        ? html`<textarea name=${field} aria-invalid=${invalid} .value=${this.draft[field]} @input=${input}></textarea>`
        : html`<input name=${field} aria-invalid=${invalid} .value=${this.draft[field]} @input=${input} />`}
    </label>`;
  }

  render() {
    const current = this.#current;
    return html`<label>${t('email:template')}
        <select name="template" .value=${this.key} @change=${(e: Event) => this.#select((e.target as HTMLSelectElement).value)}>
          ${this.items.map((i) => html`<option value=${`${i.kind}/${i.locale}`} ?selected=${`${i.kind}/${i.locale}` === this.key}>${i.kind} · ${i.locale}${i.overridden ? ' ★' : ''}</option>`)}
        </select>
      </label>
      ${current ? html`<p>${current.description ?? ''} (${current.overridden ? t('email:own') : t('email:shipped')})</p>` : null}
      ${this.#field('subject', false)} ${this.#field('html', true)} ${this.#field('text', true)}
      <label>${t('email:ticket')}<input name="ticket" inputmode="numeric" @input=${(e: Event) => { this.#ticket = (e.target as HTMLInputElement).value; }} /></label>
      <div class="actions">
        <button type="button" ?disabled=${this.busy} @click=${this.#preview}>${t('email:preview')}</button>
        <button type="button" ?disabled=${this.busy} @click=${this.#save}>${t('email:save')}</button>
        ${current?.overridden ? html`<button type="button" ?disabled=${this.busy} @click=${this.#revert}>${t('email:revert')}</button>` : null}
      </div>
      <p role="status">${this.status}</p>
      ${this.preview
        ? html`<section aria-label=${t('email:preview')}>
            <p class="subject"><strong>${this.preview.subject}</strong></p>
            <iframe title=${t('email:preview')} sandbox="" .srcdoc=${this.preview.html}></iframe>
            <pre class="text">${this.preview.text}</pre>
          </section>`
        : null}`;
  }
}

customElements.define('to-email-templates', ToEmailTemplates);

declare global {
  interface HTMLElementTagNameMap {
    'to-email-templates': ToEmailTemplates;
  }
}
