/**
 * `<to-knowledge-base-editor>` (zone `page`, path `articles`, permission `knowledge-base.write`): the
 * articles — found by full-text search and/or a category (with those under it) — each opened in
 * `<to-knowledge-base-article-editor>`, and "New article".
 */
import { ContextConsumer, I18nController, LitElement, apiContext, css, formStyles, html, i18n, nothing } from '@ticketops/admin-ui/plugin-api';
import { type Category, type Summary, categoryName, problemText, s, treeOrder } from './api.ts';
import './article-editor.ts';
import './categories.ts';
import { findArticles, snippet } from './search-box.ts';

export class ToKnowledgeBaseEditor extends LitElement {
  static properties = { panel: { attribute: false }, items: { state: true }, categories: { state: true }, editing: { state: true }, problem: { state: true }, notice: { state: true }, q: { state: true } };
  static styles = [
    formStyles,
    css`
      ul.articles {
        list-style: none;
        padding: 0;
        display: grid;
        gap: var(--wa-space-s);
      }
      ul.articles li {
        display: grid;
        gap: var(--wa-space-2xs);
      }
      .badge {
        font-size: var(--wa-font-size-s);
        color: var(--wa-color-text-quiet);
      }
      mark {
        background: var(--wa-color-warning-fill-quiet, #ffe58a);
        color: inherit;
      }
    `,
  ];
  declare panel: unknown;
  declare items: Summary[] | null;
  declare categories: Category[];
  /** The article open in the editor: an id, `'new'`, or null. */
  declare editing: string | null;
  declare problem: string;
  declare notice: string;
  declare q: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.items = null;
    this.categories = [];
    this.editing = null;
    this.problem = '';
    this.notice = '';
    this.q = '';
    new I18nController(this);
  }

  /** `/admin/p/knowledge-base/articles/<id>` opens that article (the page hands the rest of the address as `subpath`). */
  protected willUpdate(changed: Map<string, unknown>): void {
    const subpath = (this.panel as { subpath?: string } | undefined)?.subpath;
    if (changed.has('panel') && subpath && /^kba_[A-Za-z0-9]+$/.test(subpath)) this.editing = subpath;
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.#readCategories();
    void this.#search();
  }

  async #readCategories(): Promise<void> {
    try {
      this.categories = (await this.#api.value!.get<{ items: Category[] }>('/knowledge-base/categories')).items;
    } catch (error) {
      this.problem = s('failed', { message: problemText(error) });
    }
  }

  async #search(): Promise<void> {
    const category = (this.renderRoot?.querySelector('#kb-category') as HTMLSelectElement | null)?.value ?? '';
    try {
      this.items = await findArticles(this.#api.value!, this.q, { category, lang: i18n.language });
      this.problem = '';
    } catch (error) {
      this.problem = s('failed', { message: problemText(error) });
    }
  }

  render() {
    return html`<form
        role="search"
        @submit=${(e: Event) => {
          e.preventDefault();
          void this.#search();
        }}
      >
        <div class="row">
          <div class="field">
            <label for="kb-q">${s('search')}</label>
            <input id="kb-q" type="search" .value=${this.q} @input=${(e: Event) => (this.q = (e.target as HTMLInputElement).value)} />
          </div>
          <div class="field">
            <label for="kb-category">${s('category')}</label>
            <select id="kb-category" @change=${() => this.#search()}>
              <option value="">${s('allCategories')}</option>
              ${treeOrder(this.categories).map((c) => html`<option value=${c.id}>${'— '.repeat(c.depth - 1)}${categoryName(c, i18n.language)}</option>`)}
            </select>
          </div>
        </div>
        <div class="actions">
          <button type="submit">${s('searchButton')}</button>
          <button class="primary" type="button" @click=${() => (this.editing = 'new')}>${s('newArticle')}</button>
        </div>
      </form>
      <to-knowledge-base-categories .categories=${this.categories} @changed=${() => this.#readCategories()}></to-knowledge-base-categories>
      ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      ${this.editing
        ? html`<to-knowledge-base-article-editor
            .articleId=${this.editing === 'new' ? null : this.editing}
            .categories=${this.categories}
            @changed=${() => this.#search()}
            @closed=${(e: CustomEvent<{ notice?: string } | null>) => {
              this.editing = null;
              this.notice = e.detail?.notice ?? '';
            }}
          ></to-knowledge-base-article-editor>`
        : nothing}
      ${this.items === null
        ? html`<p role="status">${s('loading')}</p>`
        : html`<p class="quiet" role="status">${this.items.length === 0 ? (this.q ? s('noResults', { q: this.q }) : s('noArticles')) : s('results', { count: this.items.length })}</p>
            <ul class="articles" aria-label=${s('navLink')}>
              ${this.items.map(
                (a) => html`<li>
                  <span
                    ><button type="button" class="link" @click=${() => (this.editing = a.id)}>${a.title || s('untitled')}</button>
                    <span class="badge">${s(`state.${a.state}`)} · ${s(`visibility.${a.visibility}`)}</span></span
                  >
                  ${snippet(a)}
                </li>`,
              )}
            </ul>`}`;
  }
}
customElements.define('to-knowledge-base-editor', ToKnowledgeBaseEditor);
