/**
 * `<to-knowledge-base-categories>`: the category tree in a disclosure — each category with Delete
 * (the API refuses one that still holds categories or articles, said in words), and a form to add
 * one with its English and German names under a parent (at most three levels). Fires `changed`.
 */
import { ContextConsumer, LitElement, apiContext, css, formStyles, html, i18n, nothing } from '@ticketops/admin-ui/plugin-api';
import { type Category, categoryName, problemText, s, treeOrder } from './api.ts';

export class ToKnowledgeBaseCategories extends LitElement {
  static properties = { categories: { attribute: false }, problem: { state: true }, notice: { state: true } };
  static styles = [
    formStyles,
    css`
      ul {
        margin: 0;
        padding: 0;
        list-style: none;
      }
      li {
        margin-block: var(--wa-space-2xs);
      }
      /* Indent by level with classes: the console's CSP refuses inline style attributes. */
      .depth-2 {
        padding-inline-start: 1.5em;
      }
      .depth-3 {
        padding-inline-start: 3em;
      }
    `,
  ];
  declare categories: Category[];
  declare problem: string;
  declare notice: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.categories = [];
    this.problem = '';
    this.notice = '';
  }

  #value(id: string): string {
    return (this.renderRoot.querySelector(`#${id}`) as HTMLInputElement | HTMLSelectElement).value.trim();
  }

  async #add(event: Event): Promise<void> {
    event.preventDefault();
    // Kept now: once the event has been dispatched its target is retargeted to this element's host.
    const form = event.target as HTMLFormElement;
    const names = Object.fromEntries(
      [
        ['en', this.#value('kbc-en')],
        ['de', this.#value('kbc-de')],
      ].filter(([, v]) => v),
    );
    this.problem = '';
    try {
      await this.#api.value!.post('/knowledge-base/categories', { names, parentId: this.#value('kbc-parent') || null });
      form.reset();
      this.notice = s('categoryAdded', { name: names.en ?? names.de });
      this.dispatchEvent(new CustomEvent('changed'));
    } catch (error) {
      this.problem = problemText(error);
    }
  }

  async #delete(category: Category): Promise<void> {
    this.problem = '';
    try {
      await this.#api.value!.request('DELETE', `/knowledge-base/categories/${encodeURIComponent(category.id)}`);
      this.notice = s('categoryDeleted', { name: categoryName(category, i18n.language) });
      this.dispatchEvent(new CustomEvent('changed'));
    } catch (error) {
      this.problem = problemText(error);
    }
  }

  render() {
    const ordered = treeOrder(this.categories);
    return html`<details>
      <summary>${s('categories')}</summary>
      ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      <ul aria-label=${s('categories')}>
        ${ordered.map(
          (c) => html`<li class="depth-${c.depth}">
            ${categoryName(c, i18n.language)}
            <button type="button" aria-label=${`${s('delete')}: ${categoryName(c, i18n.language)}`} @click=${() => this.#delete(c)}>${s('delete')}</button>
          </li>`,
        )}
      </ul>
      <form @submit=${(e: Event) => this.#add(e)} aria-label=${s('addCategory')}>
        <div class="row">
          <div class="field"><label for="kbc-en">${s('nameIn', { language: s('language.en') })}</label><input id="kbc-en" maxlength="120" /></div>
          <div class="field"><label for="kbc-de">${s('nameIn', { language: s('language.de') })}</label><input id="kbc-de" maxlength="120" /></div>
          <div class="field">
            <label for="kbc-parent">${s('parent')}</label>
            <select id="kbc-parent">
              <option value="">${s('topLevel')}</option>
              ${ordered.filter((c) => c.depth < 3).map((c) => html`<option value=${c.id}>${'— '.repeat(c.depth - 1)}${categoryName(c, i18n.language)}</option>`)}
            </select>
          </div>
        </div>
        <button type="submit">${s('addCategory')}</button>
      </form>
    </details>`;
  }
}
customElements.define('to-knowledge-base-categories', ToKnowledgeBaseCategories);
