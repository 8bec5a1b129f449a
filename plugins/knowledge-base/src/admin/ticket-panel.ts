/**
 * `<to-knowledge-base-ticket>` (zone `ticket.sidebar`): the articles linked to the ticket, each
 * unlinkable, and a search to find one and link it (`/knowledge-base/tickets/{id}/articles`).
 */
import { type AdminPanelContext, ContextConsumer, I18nController, LitElement, apiContext, css, formStyles, html, i18n, nothing } from '@ticketops/admin-ui/plugin-api';
import { type Summary, problemText, s } from './api.ts';
import { findArticles } from './search-box.ts';

export class ToKnowledgeBaseTicket extends LitElement {
  static properties = { panel: { attribute: false }, linked: { state: true }, hits: { state: true }, problem: { state: true }, notice: { state: true } };
  static styles = [
    formStyles,
    css`
      ul {
        padding-left: 1.1em;
        margin: 0;
      }
      li {
        margin-block: var(--wa-space-2xs);
      }
    `,
  ];
  declare panel: AdminPanelContext;
  declare linked: Summary[] | null;
  declare hits: Summary[];
  declare problem: string;
  declare notice: string;
  #ticketId = '';
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.linked = null;
    this.hits = [];
    this.problem = '';
    this.notice = '';
    new I18nController(this);
  }

  updated(): void {
    const id = this.panel?.ticket?.id;
    if (id && id !== this.#ticketId) {
      this.#ticketId = id;
      void this.#read();
    }
  }

  get #path() {
    return `/knowledge-base/tickets/${encodeURIComponent(this.#ticketId)}/articles`;
  }

  async #read(): Promise<void> {
    try {
      this.linked = (await this.#api.value!.get<{ items: Summary[] }>(this.#path)).items;
    } catch (error) {
      this.problem = problemText(error);
    }
  }

  async #find(event: Event): Promise<void> {
    event.preventDefault();
    const q = (this.renderRoot.querySelector('#kb-link-q') as HTMLInputElement).value;
    try {
      this.hits = q.trim() ? await findArticles(this.#api.value!, q, { lang: i18n.language, limit: 8 }) : [];
    } catch (error) {
      this.problem = problemText(error);
    }
  }

  async #link(hit: Summary): Promise<void> {
    this.problem = '';
    try {
      this.linked = (await this.#api.value!.post<{ items: Summary[] }>(this.#path, { articleId: hit.id })).items;
      this.notice = s('linkedNotice', { title: hit.title });
      this.hits = [];
    } catch (error) {
      this.problem = problemText(error);
    }
  }

  async #unlink(article: Summary): Promise<void> {
    try {
      await this.#api.value!.request('DELETE', `${this.#path}/${encodeURIComponent(article.id)}`);
      await this.#read();
    } catch (error) {
      this.problem = problemText(error);
    }
  }

  render() {
    return html`${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
      ${this.linked === null
        ? html`<p role="status">${s('loading')}</p>`
        : this.linked.length === 0
          ? html`<p class="quiet">${s('noLinked')}</p>`
          : html`<ul aria-label=${s('linked')}>
              ${this.linked.map(
                (a) => html`<li>
                  ${a.title} <span class="quiet">(${s(`state.${a.state}`)}, ${s(`visibility.${a.visibility}`)})</span>
                  <button type="button" aria-label=${s('unlink', { title: a.title })} @click=${() => this.#unlink(a)}>×</button>
                </li>`,
              )}
            </ul>`}
      <form role="search" @submit=${(e: Event) => this.#find(e)}>
        <div class="field">
          <label for="kb-link-q">${s('findToLink')}</label>
          <input id="kb-link-q" type="search" />
        </div>
        <button type="submit">${s('searchButton')}</button>
      </form>
      ${this.hits.length
        ? html`<ul aria-label=${s('findToLink')}>
            ${this.hits.map((h) => html`<li>${h.title} <button type="button" aria-label=${`${s('link')}: ${h.title}`} @click=${() => this.#link(h)}>${s('link')}</button></li>`)}
          </ul>`
        : nothing}`;
  }
}
customElements.define('to-knowledge-base-ticket', ToKnowledgeBaseTicket);
