import { html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { t } from '../i18n/i18n.ts';
import { AdminElement, formValues } from './admin-element.ts';
import { confirmAction } from './confirm-dialog.ts';

interface Level {
  id: string;
  name: string;
  category?: string;
  position: number;
  active: boolean;
}
type List<T> = { items: T[]; nextCursor: string | null };
const CATEGORIES = ['new', 'open', 'pending', 'on-hold', 'solved', 'closed'];

/**
 * Statuses (each in a category) and priorities (their order is their rank): a list in position
 * order, moved up and down, renamed (tickets follow), deactivated, created, deleted when unused
 * (asked first; the API refuses one in use and says how many tickets hold it).
 */
abstract class LevelsPage extends AdminElement {
  static properties = { ...AdminElement.properties, items: { state: true }, editing: { state: true } };
  protected abstract readonly kind: 'statuses' | 'priorities';

  declare items: Level[];
  declare editing: Level | null;

  constructor() {
    super();
    this.items = [];
    this.editing = null;
  }

  get #base(): string {
    return this.kind === 'statuses' ? '/ticket-statuses' : '/ticket-priorities';
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    await this.fetching(async () => {
      this.items = (await this.api.value!.get<List<Level>>(this.#base)).items;
    });
  }

  #body(form: HTMLFormElement): Record<string, unknown> {
    const v = formValues(form);
    return { name: v.name ?? '', active: v.active === 'on', ...(this.kind === 'statuses' ? { category: v.category } : {}) };
  }

  async #create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const position = (this.items.at(-1)?.position ?? 0) + 10;
    if (await this.attempt(() => this.api.value!.post(this.#base, { ...this.#body(form), position }), form, 'new-')) {
      form.reset();
      this.notice = t('admin:saved');
      await this.#load();
    }
  }

  async #save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const level = this.editing as Level;
    if (await this.attempt(() => this.api.value!.request('PATCH', `${this.#base}/${encodeURIComponent(level.name)}`, { body: this.#body(form) }), form, 'edit-')) {
      this.notice = t('admin:saved');
      this.editing = null;
      await this.#load();
    }
  }

  /** Moves an entry by one place: positions are renumbered 10, 20, … and the changed ones written. */
  async #move(index: number, by: number): Promise<void> {
    const next = [...this.items];
    const [moved] = next.splice(index, 1);
    next.splice(index + by, 0, moved as Level);
    const changed = next.map((l, i) => ({ level: l, position: (i + 1) * 10 })).filter(({ level, position }) => level.position !== position);
    const ok = await this.attempt(async () => {
      for (const { level, position } of changed) await this.api.value!.request('PATCH', `${this.#base}/${encodeURIComponent(level.name)}`, { body: { position } });
    });
    const problem = this.problem;
    await this.#load();
    if (!ok) this.problem = problem;
    if (ok) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLButtonElement>(`#move-${index + by}-${by < 0 ? 'up' : 'down'}`)?.focus();
    }
  }

  async #delete(level: Level): Promise<void> {
    if (!(await confirmAction(t('admin:levels.confirmDelete', { name: level.name }), t('admin:delete')))) return;
    if (await this.attempt(() => this.api.value!.request('DELETE', `${this.#base}/${encodeURIComponent(level.name)}`))) {
      this.notice = t('admin:deleted', { name: level.name });
      this.editing = null;
      await this.#load();
    }
  }

  #fields(level: Level | null, scope: string) {
    return html`<div class="row">
      ${this.field('name', t('admin:name'), (a) => html`<input id=${a.id} name="name" .value=${level?.name ?? ''} aria-invalid=${a.invalid} aria-describedby=${a.describedBy} />`, t('admin:levels.nameHint'), scope)}
      ${this.kind === 'statuses'
        ? this.field('category', t('admin:levels.category'), (a) => html`<select id=${a.id} name="category" aria-invalid=${a.invalid} aria-describedby=${a.describedBy}>
            ${CATEGORIES.map((c) => html`<option value=${c} ?selected=${c === (level?.category ?? 'open')}>${t(`admin:levels.categories.${c}`)}</option>`)}
          </select>`, undefined, scope)
        : nothing}
      <div class="check"><input type="checkbox" id="${scope}active" name="active" ?checked=${level?.active ?? true} /><label for="${scope}active">${t('admin:active')}</label></div>
    </div>`;
  }

  #startEdit(item: Level): void {
    this.editing = item;
    void this.reveal();
  }

  render() {
    const title = t(`admin:section.${this.kind}`);
    return this.frame(this.kind, title, html`
      <p class="intro">${t(`admin:levels.intro.${this.kind}`)}</p>
      ${this.renderProblem()}
      ${this.editing
        ? keyed(this.editing.id, html`<form data-edit @submit=${this.#save} aria-labelledby="edit-title" novalidate>
            <h2 id="edit-title">${t('admin:editNamed', { name: this.editing.name })}</h2>
            ${this.#fields(this.editing, 'edit-')}
            <div class="actions">
              <button class="primary" type="submit" ?disabled=${this.busy}>${t('admin:save')}</button>
              <button type="button" @click=${() => (this.editing = null)}>${t('admin:cancel')}</button>
              <button type="button" class="danger" @click=${() => this.#delete(this.editing as Level)}>${t('admin:delete')}</button>
            </div>
          </form>`)
        : nothing}
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">${title}</caption>
          <thead><tr><th scope="col">${t('admin:levels.order')}</th><th scope="col">${t('admin:name')}</th>${this.kind === 'statuses' ? html`<th scope="col">${t('admin:levels.category')}</th>` : nothing}<th scope="col" class="optional">${t('admin:users.state')}</th><th scope="col"><span class="visually-hidden">${t('admin:actions')}</span></th></tr></thead>
          <tbody>
            ${this.items.map((l, i) => html`<tr>
              <td>${i + 1}</td>
              <td>${l.name}</td>
              ${this.kind === 'statuses' ? html`<td>${t(`admin:levels.categories.${l.category}`)}</td>` : nothing}
              <td class="optional">${l.active ? t('admin:active') : t('admin:inactive')}</td>
              <td class="actions">
                <button type="button" id="move-${i}-up" ?disabled=${i === 0 || this.busy} aria-label=${t('admin:types.moveUp', { name: l.name })} @click=${() => this.#move(i, -1)}>↑</button>
                <button type="button" id="move-${i}-down" ?disabled=${i === this.items.length - 1 || this.busy} aria-label=${t('admin:types.moveDown', { name: l.name })} @click=${() => this.#move(i, 1)}>↓</button>
                <button type="button" class="link" aria-label=${t('admin:editNamed', { name: l.name })} @click=${() => this.#startEdit(l)}>${t('admin:edit')}</button>
              </td>
            </tr>`)}
          </tbody>
        </table>
      </div>
      <form @submit=${this.#create} aria-labelledby="create-title" novalidate>
        <h2 id="create-title">${t(`admin:levels.create.${this.kind}`)}</h2>
        ${this.#fields(null, 'new-')}
        <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>${t('admin:create')}</button></div>
      </form>
    `);
  }
}

export class ToAdminStatuses extends LevelsPage {
  protected readonly kind = 'statuses';
}
export class ToAdminPriorities extends LevelsPage {
  protected readonly kind = 'priorities';
}

customElements.define('to-admin-statuses', ToAdminStatuses);
customElements.define('to-admin-priorities', ToAdminPriorities);
