import { html, nothing } from 'lit';
import { t } from '../i18n/i18n.ts';
import { AdminElement, formValues, formatDate } from './admin-element.ts';
import { confirmAction } from './confirm-dialog.ts';

interface Token {
  id: string;
  userId: string;
  name: string;
  hint: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}
interface Person {
  id: string;
  name: string;
  email: string;
}
type List<T> = { items: T[]; nextCursor: string | null };

/**
 * `<to-admin-tokens>` (`/admin/settings/tokens`): API tokens — one's own, or (with
 * `tokens.manage`) any user's. A new token's secret is shown once, with a copy button; it lives
 * only in this element's memory, so it is gone after a reload or leaving the page. Revoking asks first.
 */
export class ToAdminTokens extends AdminElement {
  static properties = { ...AdminElement.properties, tokens: { state: true }, secret: { state: true }, people: { state: true }, owner: { state: true }, copied: { state: true } };

  declare tokens: Token[];
  declare secret: { name: string; token: string } | null;
  declare people: Person[];
  /** Whose tokens are shown ('' = one's own). */
  declare owner: string;
  declare copied: boolean;

  constructor() {
    super();
    this.tokens = [];
    this.secret = null;
    this.people = [];
    this.owner = '';
    this.copied = false;
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
    if (this.can('tokens.manage') && this.can('users.read')) {
      this.api.value!.get<List<Person>>('/users/search', { active: true, limit: 200 }).then((r) => (this.people = r.items), () => {});
    }
  }

  async #load(): Promise<void> {
    await this.fetching(async () => {
      this.tokens = (await this.api.value!.get<List<Token>>('/tokens', { userId: this.owner || undefined })).items;
    });
  }

  async #create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const v = formValues(form);
    const body: Record<string, string> = { name: v.name ?? '' };
    if (v.expiresAt) body.expiresAt = new Date(`${v.expiresAt}T23:59:59`).toISOString();
    if (this.owner) body.userId = this.owner;
    let created: (Token & { token: string }) | null = null;
    const ok = await this.attempt(async () => {
      created = await this.api.value!.post<Token & { token: string }>('/tokens', body);
    }, form);
    if (ok && created) {
      form.reset();
      this.secret = { name: (created as Token).name, token: (created as Token & { token: string }).token };
      this.copied = false;
      await this.#load();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#secret')?.focus();
    }
  }

  async #copy(): Promise<void> {
    if (!this.secret) return;
    try {
      await navigator.clipboard.writeText(this.secret.token);
      this.copied = true;
    } catch {
      // No clipboard permission: select the text so Ctrl+C copies it.
      const input = this.renderRoot.querySelector<HTMLInputElement>('#secret');
      input?.select();
    }
  }

  async #revoke(token: Token): Promise<void> {
    if (!(await confirmAction(t('admin:tokens.confirmRevoke', { name: token.name }), t('admin:tokens.revoke')))) return;
    if (await this.attempt(() => this.api.value!.request('DELETE', `/tokens/${token.id}`))) {
      this.notice = t('admin:tokens.revoked', { name: token.name });
      await this.#load();
    }
  }

  render() {
    const today = new Date().toISOString().slice(0, 10);
    return this.frame('tokens', t('admin:section.tokens'), html`
      <p class="intro">${t('admin:tokens.intro')}</p>
      ${this.people.length
        ? html`<div class="row"><div class="field"><label for="owner">${t('admin:tokens.owner')}</label>
            <select id="owner" @change=${(e: Event) => {
              this.owner = (e.target as HTMLSelectElement).value;
              this.secret = null;
              void this.#load();
            }}>
              <option value="">${t('admin:tokens.mine')}</option>
              ${this.people.filter((p) => p.id !== this.session.value?.id).map((p) => html`<option value=${p.id}>${p.name} (${p.email})</option>`)}
            </select></div></div>`
        : nothing}
      ${this.secret
        ? html`<section class="card" aria-labelledby="secret-title">
            <h2 id="secret-title">${t('admin:tokens.secretTitle', { name: this.secret.name })}</h2>
            <p>${t('admin:tokens.secretOnce')}</p>
            <div class="row">
              <div class="field"><label for="secret">${t('admin:tokens.secret')}</label><input id="secret" readonly .value=${this.secret.token} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} /></div>
              <button type="button" @click=${this.#copy}>${t('admin:tokens.copy')}</button>
              <button type="button" @click=${() => (this.secret = null)}>${t('admin:tokens.done')}</button>
            </div>
            ${this.copied ? html`<p class="notice" role="status">${t('admin:tokens.copied')}</p>` : nothing}
          </section>`
        : nothing}
      ${this.renderProblem()}
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">${t('admin:section.tokens')}</caption>
          <thead><tr><th scope="col">${t('admin:name')}</th><th scope="col">${t('admin:tokens.hint')}</th><th scope="col" class="optional">${t('admin:tokens.expires')}</th><th scope="col" class="optional">${t('admin:tokens.lastUsed')}</th><th scope="col">${t('admin:users.state')}</th><th scope="col"><span class="visually-hidden">${t('admin:actions')}</span></th></tr></thead>
          <tbody>
            ${this.tokens.map((tk) => html`<tr data-token=${tk.id}>
              <td>${tk.name}</td><td><code>${tk.hint}…</code></td>
              <td class="optional">${tk.expiresAt ? formatDate(tk.expiresAt) : t('admin:tokens.never')}</td>
              <td class="optional">${formatDate(tk.lastUsedAt)}</td>
              <td>${tk.revokedAt ? t('admin:tokens.revokedState') : t('admin:active')}</td>
              <td>${tk.revokedAt ? nothing : html`<button type="button" class="danger" aria-label=${t('admin:tokens.revokeNamed', { name: tk.name })} @click=${() => this.#revoke(tk)}>${t('admin:tokens.revoke')}</button>`}</td>
            </tr>`)}
          </tbody>
        </table>
      </div>
      ${this.tokens.length === 0 && !this.busy ? html`<p class="quiet">${t('admin:tokens.none')}</p>` : nothing}
      <form @submit=${this.#create} aria-labelledby="create-title" novalidate>
        <h2 id="create-title">${t('admin:tokens.create')}</h2>
        <div class="row">
          ${this.field('name', t('admin:name'), (a) => html`<input id=${a.id} name="name" autocomplete="off" aria-invalid=${a.invalid} aria-describedby=${a.describedBy} />`)}
          ${this.field('expiresAt', t('admin:tokens.expiry'), (a) => html`<input id=${a.id} name="expiresAt" type="date" min=${today} aria-invalid=${a.invalid} aria-describedby=${a.describedBy} />`, t('admin:tokens.expiryHint'))}
        </div>
        <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>${t('admin:create')}</button></div>
      </form>
    `);
  }
}

customElements.define('to-admin-tokens', ToAdminTokens);
