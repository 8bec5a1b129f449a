/**
 * `<to-email-mailbox-form>`: creates or changes one IMAP mailbox. The password is write-only: the
 * API never returns it, so editing shows an empty field marked "unchanged" and sends a password
 * only when one was typed; the typed value is dropped once saved. A change sends only the fields
 * that changed (a new host, user or folder makes the server read the folder from its start).
 * The API's 400 errors show beside the field their pointer names. Fires `saved` with the mailbox.
 */
import { ContextConsumer, I18nController, LitElement, apiContext, html, nothing, t } from '@ticketops/admin-ui/plugin-api';
import { type Mailbox, fieldErrors, panelStyles } from './shared.ts';

interface Draft {
  name: string;
  address: string;
  host: string;
  port: string;
  secure: boolean;
  username: string;
  password: string;
  folder: string;
  moveTo: string;
  active: boolean;
}

type TextField = 'name' | 'address' | 'host' | 'port' | 'username' | 'password' | 'folder' | 'moveTo';

const BLANK: Draft = { name: '', address: '', host: '', port: '993', secure: true, username: '', password: '', folder: 'INBOX', moveTo: '', active: true };

export class ToEmailMailboxForm extends LitElement {
  static properties = { mailbox: { attribute: false }, draft: { state: true }, errors: { state: true }, busy: { state: true } };
  static styles = [panelStyles];

  /** The mailbox to change; null for a new one. */
  declare mailbox: Mailbox | null;
  declare draft: Draft;
  declare errors: Map<string, string[]>;
  declare busy: boolean;
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.mailbox = null;
    this.draft = { ...BLANK };
    this.errors = new Map();
    this.busy = false;
    new I18nController(this);
  }

  willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (!changed.has('mailbox')) return;
    this.errors = new Map();
    const m = this.mailbox;
    this.draft = m
      ? { name: m.name, address: m.address, host: m.host, port: String(m.port), secure: m.secure, username: m.username, password: '', folder: m.folder, moveTo: m.moveTo ?? '', active: m.active }
      : { ...BLANK };
  }

  firstUpdated(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[name="name"]')?.focus();
  }

  /** What the API gets: everything for a new mailbox, only what changed for an existing one. */
  #body(): Record<string, unknown> {
    const d = this.draft;
    const port = /^\d+$/.test(d.port.trim()) ? Number(d.port.trim()) : d.port;
    const all: Record<string, unknown> = {
      name: d.name.trim(), address: d.address.trim(), host: d.host.trim(), port, secure: d.secure, username: d.username,
      folder: d.folder.trim(), moveTo: d.moveTo.trim() || null, active: d.active,
    };
    if (d.password) all.password = d.password;
    const m = this.mailbox;
    if (!m) return all;
    const before: Record<string, unknown> = { name: m.name, address: m.address, host: m.host, port: m.port, secure: m.secure, username: m.username, folder: m.folder, moveTo: m.moveTo, active: m.active };
    return Object.fromEntries(Object.entries(all).filter(([key, value]) => key === 'password' || before[key] !== value));
  }

  async #submit(event: Event): Promise<void> {
    event.preventDefault();
    const api = this.#api.value;
    if (!api || this.busy) return;
    this.busy = true;
    this.errors = new Map();
    try {
      const body = this.#body();
      let saved: Mailbox;
      if (!this.mailbox) saved = await api.post<Mailbox>('/email/mailboxes', body);
      else if (Object.keys(body).length === 0) saved = this.mailbox;
      else saved = (await api.request<Mailbox>('PATCH', `/email/mailboxes/${encodeURIComponent(this.mailbox.id)}`, { body })).data;
      // The password is not kept anywhere in the page once the server has it.
      this.draft = { ...this.draft, password: '' };
      this.dispatchEvent(new CustomEvent('saved', { detail: saved }));
    } catch (error) {
      this.errors = fieldErrors(error);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    } finally {
      this.busy = false;
    }
  }

  #text(field: TextField, options: { type?: string; autocomplete?: string; placeholder?: string; hint?: string; inputmode?: string } = {}) {
    const errors = this.errors.get(field) ?? [];
    const described = [options.hint ? `hint-${field}` : '', errors.length ? `error-${field}` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <label for="field-${field}">${t(`email:inbound.${field}`)}</label>
      <input
        id="field-${field}"
        name=${field}
        type=${options.type ?? 'text'}
        autocomplete=${options.autocomplete ?? 'off'}
        inputmode=${options.inputmode ?? nothing}
        placeholder=${options.placeholder ?? nothing}
        aria-invalid=${errors.length ? 'true' : 'false'}
        aria-describedby=${described || nothing}
        .value=${this.draft[field]}
        @input=${(e: Event) => {
          this.draft = { ...this.draft, [field]: (e.target as HTMLInputElement).value };
        }}
      />
      ${options.hint ? html`<p class="hint" id="hint-${field}">${options.hint}</p>` : nothing}
      ${errors.length ? html`<p class="field-error" id="error-${field}">${errors.join(' ')}</p>` : nothing}
    </div>`;
  }

  #check(field: 'secure' | 'active') {
    return html`<div class="check">
      <input id="field-${field}" name=${field} type="checkbox" .checked=${this.draft[field]} @change=${(e: Event) => {
        this.draft = { ...this.draft, [field]: (e.target as HTMLInputElement).checked };
      }} />
      <label for="field-${field}">${t(`email:inbound.${field}`)}</label>
    </div>`;
  }

  render() {
    const editing = this.mailbox;
    const general = this.errors.get('') ?? [];
    return html`<form aria-label=${editing ? t('email:inbound.editMailbox', { name: editing.name }) : t('email:inbound.newMailbox')} @submit=${this.#submit} novalidate>
      <div class="row">${this.#text('name')} ${this.#text('address', { type: 'email', autocomplete: 'off' })}</div>
      <div class="row">${this.#text('host')} ${this.#text('port', { inputmode: 'numeric' })}</div>
      ${this.#check('secure')}
      <div class="row">
        ${this.#text('username')}
        ${this.#text('password', { type: 'password', autocomplete: 'new-password', placeholder: editing ? t('email:inbound.passwordUnchanged') : undefined, hint: editing ? t('email:inbound.passwordHint') : undefined })}
      </div>
      <div class="row">${this.#text('folder')} ${this.#text('moveTo', { hint: t('email:inbound.moveToHint') })}</div>
      ${this.#check('active')}
      ${general.length ? html`<p class="problem" role="alert">${general.join(' ')}</p>` : nothing}
      <div class="actions">
        <button type="submit" class="primary" ?disabled=${this.busy}>${t('email:inbound.save')}</button>
        <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('cancel'))}>${t('email:inbound.cancel')}</button>
      </div>
    </form>`;
  }
}

customElements.define('to-email-mailbox-form', ToEmailMailboxForm);

declare global {
  interface HTMLElementTagNameMap {
    'to-email-mailbox-form': ToEmailMailboxForm;
  }
}
