/**
 * `<to-email-mailboxes>` (zone `settings.section`, permission `email.mailbox.manage`): the IMAP
 * mailboxes — listed with their state and last error, each opened in `<to-email-mailbox-form>` to
 * change, a new one added, one deleted after a confirmation, and "Test connection", which asks the
 * server to log in and open the folder and says what came of it in words.
 */
import { ContextConsumer, I18nController, LitElement, apiContext, html, nothing, t } from '@ticketops/admin-ui/plugin-api';
import './mailbox-form.ts';
import { type Mailbox, fieldErrors, panelStyles } from './shared.ts';
import './strings.ts';

type TestResult = { ok: true; messages: number | null; unseen: number | null } | { ok: false; error: string };

export class ToEmailMailboxes extends LitElement {
  static properties = {
    panel: { attribute: false },
    mailboxes: { state: true },
    editing: { state: true },
    confirming: { state: true },
    notice: { state: true },
    problem: { state: true },
    testing: { state: true },
  };
  static styles = [panelStyles];

  declare panel: unknown;
  declare mailboxes: Mailbox[] | null;
  /** The mailbox open in the form: one of the list, `'new'`, or null (none). */
  declare editing: Mailbox | 'new' | null;
  /** The mailbox whose deletion waits for a confirmation. */
  declare confirming: Mailbox | null;
  declare notice: string;
  declare problem: string;
  declare testing: string | null;
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.mailboxes = null;
    this.editing = null;
    this.confirming = null;
    this.notice = '';
    this.problem = '';
    this.testing = null;
    new I18nController(this);
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.#read();
  }

  #say(notice: string, problem = ''): void {
    this.notice = notice;
    this.problem = problem;
  }

  async #read(): Promise<void> {
    try {
      this.mailboxes = (await this.#api.value!.get<{ items: Mailbox[] }>('/email/mailboxes')).items;
    } catch (error) {
      this.#say('', [...fieldErrors(error).values()].flat().join(' '));
    }
  }

  /** Where the keyboard goes once what had the focus (the form, a confirmation) is gone. */
  async #focus(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  async #saved(event: CustomEvent<Mailbox>): Promise<void> {
    this.editing = null;
    this.#say(t('email:inbound.saved', { name: event.detail.name }));
    await this.#read();
    await this.#focus(`tr[data-mailbox="${CSS.escape(event.detail.id)}"] button.edit`);
  }

  async #askDelete(mailbox: Mailbox): Promise<void> {
    this.confirming = mailbox;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('.confirm button.danger')?.focus();
  }

  async #delete(mailbox: Mailbox): Promise<void> {
    this.confirming = null;
    try {
      await this.#api.value!.request('DELETE', `/email/mailboxes/${encodeURIComponent(mailbox.id)}`);
      if (this.editing !== 'new' && this.editing?.id === mailbox.id) this.editing = null;
      this.#say(t('email:inbound.deleted', { name: mailbox.name }));
      await this.#read();
      await this.#focus('button.new');
    } catch (error) {
      this.#say('', [...fieldErrors(error).values()].flat().join(' '));
    }
  }

  async #test(mailbox: Mailbox): Promise<void> {
    this.testing = mailbox.id;
    this.#say(t('email:inbound.testing', { name: mailbox.name }));
    try {
      const result = await this.#api.value!.post<TestResult>(`/email/mailboxes/${encodeURIComponent(mailbox.id)}/test`);
      if (result.ok) this.#say(t('email:inbound.testOk', { name: mailbox.name, messages: result.messages ?? '?', unseen: result.unseen ?? '?' }));
      else this.#say('', t('email:inbound.testFailed', { name: mailbox.name, error: result.error }));
    } catch (error) {
      this.#say('', t('email:inbound.testFailed', { name: mailbox.name, error: [...fieldErrors(error).values()].flat().join(' ') }));
    } finally {
      this.testing = null;
    }
  }

  #row(mailbox: Mailbox) {
    const confirming = this.confirming?.id === mailbox.id;
    return html`<tr data-mailbox=${mailbox.id}>
      <td>${mailbox.name}</td>
      <td class="long">${mailbox.address}</td>
      <td class="long">${mailbox.username}@${mailbox.host}:${mailbox.port}${mailbox.secure ? ' (TLS)' : ''} · ${mailbox.folder}${mailbox.moveTo ? ` → ${mailbox.moveTo}` : ''}</td>
      <td>
        ${mailbox.active ? t('email:inbound.activeState') : t('email:inbound.pausedState')}
        ${mailbox.lastError ? html`<p class="field-error">${t('email:inbound.lastError', { error: mailbox.lastError })}</p>` : nothing}
      </td>
      <td>
        ${confirming
          ? html`<div class="confirm actions" role="group" aria-label=${t('email:inbound.deleteNamed', { name: mailbox.name })}>
              <p>${t('email:inbound.confirmDelete', { name: mailbox.name })}</p>
              <button type="button" class="danger" @click=${() => this.#delete(mailbox)}>${t('email:inbound.confirm')}</button>
              <button type="button" @click=${() => {
                this.confirming = null;
                void this.#focus(`tr[data-mailbox="${CSS.escape(mailbox.id)}"] button.danger`);
              }}>${t('email:inbound.cancel')}</button>
            </div>`
          : html`<div class="actions">
              <button type="button" aria-label=${t('email:inbound.testNamed', { name: mailbox.name })} ?disabled=${this.testing !== null} @click=${() => this.#test(mailbox)}>${t('email:inbound.test')}</button>
              <button type="button" class="edit" aria-label=${t('email:inbound.editNamed', { name: mailbox.name })} @click=${() => {
                this.#say('');
                this.editing = mailbox;
              }}>${t('email:inbound.edit')}</button>
              <button type="button" class="danger" aria-label=${t('email:inbound.deleteNamed', { name: mailbox.name })} @click=${() => this.#askDelete(mailbox)}>${t('email:inbound.delete')}</button>
            </div>`}
      </td>
    </tr>`;
  }

  render() {
    const editing = this.editing;
    return html`<p class="quiet">${t('email:inbound.mailboxesIntro')}</p>
      <p class=${this.problem ? 'problem' : this.notice ? 'notice' : 'visually-hidden'} role="status" data-result>${this.problem || this.notice}</p>
      ${this.mailboxes === null
        ? html`<p>${t('email:inbound.loading')}</p>`
        : this.mailboxes.length === 0
          ? html`<p>${t('email:inbound.noMailboxes')}</p>`
          : html`<div class="table-wrap"><table aria-label=${t('email:inbound.mailboxes')}>
              <thead><tr>
                <th scope="col">${t('email:inbound.name')}</th><th scope="col">${t('email:inbound.address')}</th><th scope="col">${t('email:inbound.host')}</th>
                <th scope="col">${t('email:inbound.state')}</th><th scope="col"><span class="visually-hidden">${t('email:inbound.actions')}</span></th>
              </tr></thead>
              <tbody>${this.mailboxes.map((mailbox) => this.#row(mailbox))}</tbody>
            </table></div>`}
      ${editing === null
        ? html`<div class="actions"><button type="button" class="primary new" @click=${() => {
            this.#say('');
            this.editing = 'new';
          }}>${t('email:inbound.newMailbox')}</button></div>`
        : html`<to-email-mailbox-form .mailbox=${editing === 'new' ? null : editing} @saved=${this.#saved} @cancel=${() => {
            this.editing = null;
            void this.#focus('button.new');
          }}></to-email-mailbox-form>`}`;
  }
}

customElements.define('to-email-mailboxes', ToEmailMailboxes);

declare global {
  interface HTMLElementTagNameMap {
    'to-email-mailboxes': ToEmailMailboxes;
  }
}
