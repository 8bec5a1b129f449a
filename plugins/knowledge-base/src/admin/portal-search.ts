/**
 * `<to-knowledge-base-portal-search>` (zone `portal.home` of the customer portal, permission
 * `knowledge-base.read`): a search box, the published public articles it finds (the API shows
 * customers nothing else) with their matches marked, and an article opened in place with its
 * images; "Back to the results" returns focus to the result it came from.
 */
import { ContextConsumer, I18nController, LitElement, apiContext, css, formStyles, html, i18n, nothing } from '@ticketops/admin-ui/plugin-api';
import { type Article, type Language, type Summary, problemText, s } from './api.ts';
import './article-body.ts';
import { findArticles, snippet } from './search-box.ts';

export class ToKnowledgeBasePortalSearch extends LitElement {
  static properties = { panel: { attribute: false }, hits: { state: true }, open: { state: true }, problem: { state: true }, searched: { state: true } };
  static styles = [
    formStyles,
    css`
      ul {
        list-style: none;
        padding: 0;
        display: grid;
        gap: var(--wa-space-s);
      }
      mark {
        background: var(--wa-color-warning-fill-quiet, #ffe58a);
        color: inherit;
      }
      article h3 {
        margin-block-start: 0;
      }
    `,
  ];
  declare panel: unknown;
  declare hits: Summary[] | null;
  declare open: Article | null;
  declare problem: string;
  declare searched: string;
  #from = '';
  #typing: ReturnType<typeof setTimeout> | undefined;
  /** Answers of searches sent while typing can arrive out of order: only the newest counts. */
  #latest = 0;
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.hits = null;
    this.open = null;
    this.problem = '';
    this.searched = '';
    new I18nController(this);
  }

  async #search(event?: Event, prefix = false): Promise<void> {
    event?.preventDefault();
    const q = (this.renderRoot.querySelector('#kb-portal-q') as HTMLInputElement).value.trim();
    if (!q) return;
    const mine = ++this.#latest;
    try {
      const hits = await findArticles(this.#api.value!, q, { lang: i18n.language, limit: 10, prefix });
      if (mine !== this.#latest) return;
      this.open = null;
      this.hits = hits;
      this.searched = q;
      this.problem = '';
    } catch (error) {
      if (mine === this.#latest) this.problem = problemText(error);
    }
  }

  /** Suggestions while typing: a prefix search once the words have rested for a moment. */
  #typed(): void {
    clearTimeout(this.#typing);
    this.#typing = setTimeout(() => void this.#search(undefined, true), 250);
  }

  async #open(hit: Summary): Promise<void> {
    this.#from = hit.id;
    try {
      this.open = await this.#api.value!.get<Article>(`/knowledge-base/articles/${encodeURIComponent(hit.id)}`);
      await this.updateComplete;
      (this.renderRoot.querySelector('article h3') as HTMLElement | null)?.focus();
    } catch (error) {
      this.problem = s('articleNotFound');
      void error;
    }
  }

  async #back(): Promise<void> {
    this.open = null;
    await this.updateComplete;
    (this.renderRoot.querySelector(`[data-id="${this.#from}"]`) as HTMLElement | null)?.focus();
  }

  #article(a: Article) {
    const language = (a.translations[i18n.language as Language] ? i18n.language : a.defaultLanguage) as Language;
    const text = a.translations[language]!;
    return html`<article lang=${language}>
      <h3 tabindex="-1">${text.title}</h3>
      <to-knowledge-base-article-body .markdown=${text.body}></to-knowledge-base-article-body>
      <button type="button" @click=${() => this.#back()}>${s('back')}</button>
    </article>`;
  }

  render() {
    return html`<p class="quiet">${s('portalIntro')}</p>
      <form role="search" @submit=${(e: Event) => this.#search(e)}>
        <div class="field">
          <label for="kb-portal-q">${s('search')}</label>
          <input id="kb-portal-q" type="search" maxlength="200" autocomplete="off" @input=${() => this.#typed()} />
        </div>
        <button class="primary" type="submit">${s('searchButton')}</button>
      </form>
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      ${this.open
        ? this.#article(this.open)
        : this.hits === null
          ? nothing
          : html`<p role="status">${this.hits.length ? s('results', { count: this.hits.length }) : s('noResults', { q: this.searched })}</p>
              <ul aria-label=${s('search')}>
                ${this.hits.map(
                  (h) => html`<li>
                    <a href="#${h.slug}" data-id=${h.id} @click=${(e: Event) => {
                      e.preventDefault();
                      void this.#open(h);
                    }}>${h.title}</a>
                    <div>${snippet(h)}</div>
                  </li>`,
                )}
              </ul>`}`;
  }
}
customElements.define('to-knowledge-base-portal-search', ToKnowledgeBasePortalSearch);
