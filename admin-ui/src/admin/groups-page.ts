import { html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { t } from '../i18n/i18n.ts';
import { AdminElement, formValues } from './admin-element.ts';
import { confirmAction } from './confirm-dialog.ts';
import { loadStaff } from './staff.ts';

interface Group {
  id: string;
  name: string;
  description: string;
  memberIds: string[];
}
interface Staff {
  id: string;
  name: string;
  email: string;
}
type List<T> = { items: T[]; nextCursor: string | null };

/**
 * `<to-admin-groups>` (`/admin/settings/groups`): agent groups — create, rename, describe, choose
 * the members among the active staff, delete (asked first).
 */
export class ToAdminGroups extends AdminElement {
  static properties = { ...AdminElement.properties, groups: { state: true }, staff: { state: true }, editing: { state: true } };

  declare groups: Group[];
  declare staff: Staff[];
  /** The group being edited, or 'new'. */
  declare editing: Group | 'new' | null;

  constructor() {
    super();
    this.groups = [];
    this.staff = [];
    this.editing = null;
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
    if (this.can('users.read')) {
      loadStaff(this.api.value!).then((staff) => (this.staff = staff), () => {});
    }
  }

  async #load(): Promise<void> {
    await this.fetching(async () => {
      this.groups = (await this.api.value!.get<List<Group>>('/groups')).items;
    });
  }

  async #save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const v = formValues(form);
    const userIds = new FormData(form).getAll('member') as string[];
    const api = this.api.value!;
    const editing = this.editing;
    const ok = await this.attempt(async () => {
      if (editing === 'new') await api.post('/groups', { name: v.name, description: v.description ?? '', userIds });
      else if (editing) {
        await api.request('PATCH', `/groups/${editing.id}`, { body: { name: v.name, description: v.description ?? '' } });
        await api.request('PUT', `/groups/${editing.id}/members`, { body: { userIds } });
      }
    }, form);
    if (ok) {
      this.notice = t('admin:saved');
      this.editing = null;
      await this.#load();
    }
  }

  async #delete(group: Group): Promise<void> {
    if (!(await confirmAction(t('admin:groups.confirmDelete', { name: group.name }), t('admin:delete')))) return;
    if (await this.attempt(() => this.api.value!.request('DELETE', `/groups/${group.id}`))) {
      this.notice = t('admin:deleted', { name: group.name });
      this.editing = null;
      await this.#load();
    }
  }

  #renderForm(group: Group | null) {
    const members = new Set(group?.memberIds ?? []);
    return html`<form data-edit @submit=${this.#save} aria-labelledby="form-title" novalidate>
      <h2 id="form-title">${group ? t('admin:editNamed', { name: group.name }) : t('admin:groups.create')}</h2>
      <div class="row">
        ${this.field('name', t('admin:name'), (a) => html`<input id=${a.id} name="name" .value=${group?.name ?? ''} aria-invalid=${a.invalid} aria-describedby=${a.describedBy} />`)}
        ${this.field('description', t('admin:description'), (a) => html`<input id=${a.id} name="description" .value=${group?.description ?? ''} aria-invalid=${a.invalid} aria-describedby=${a.describedBy} />`)}
      </div>
      <fieldset>
        <legend>${t('admin:groups.members')}</legend>
        ${this.staff.length === 0 ? html`<p class="quiet">${t('admin:groups.noStaff')}</p>` : nothing}
        ${this.staff.map((s) => html`<div class="check"><input type="checkbox" id="m-${s.id}" name="member" value=${s.id} ?checked=${members.has(s.id)} /><label for="m-${s.id}">${s.name} (${s.email})</label></div>`)}
        ${this.errors.userIds ? html`<p class="field-error">${this.errors.userIds}</p>` : nothing}
      </fieldset>
      <div class="actions">
        <button class="primary" type="submit" ?disabled=${this.busy}>${t('admin:save')}</button>
        <button type="button" @click=${() => (this.editing = null)}>${t('admin:cancel')}</button>
        ${group ? html`<button type="button" class="danger" @click=${() => this.#delete(group)}>${t('admin:delete')}</button>` : nothing}
      </div>
    </form>`;
  }

  #startEdit(item: Group | 'new'): void {
    this.editing = item;
    void this.reveal();
  }

  render() {
    const writable = this.can('groups.write');
    const names = new Map(this.staff.map((s) => [s.id, s.name]));
    return this.frame('groups', t('admin:section.groups'), html`
      <p class="intro">${t('admin:groups.intro')}</p>
      ${this.renderProblem()}
      ${writable && !this.editing ? html`<div class="actions"><button type="button" class="primary" @click=${() => this.#startEdit('new')}>${t('admin:groups.create')}</button></div>` : nothing}
      ${this.editing ? keyed(this.editing === 'new' ? 'new' : this.editing.id, this.#renderForm(this.editing === 'new' ? null : this.editing)) : nothing}
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">${t('admin:section.groups')}</caption>
          <thead><tr><th scope="col">${t('admin:name')}</th><th scope="col" class="optional">${t('admin:description')}</th><th scope="col">${t('admin:groups.members')}</th></tr></thead>
          <tbody>
            ${this.groups.map((g) => html`<tr>
              <td>${writable ? html`<button type="button" class="link" @click=${() => this.#startEdit(g)} aria-label=${t('admin:editNamed', { name: g.name })}>${g.name}</button>` : g.name}</td><td class="optional">${g.description}</td>
              <td>${g.memberIds.length ? g.memberIds.map((id) => names.get(id) ?? id).join(', ') : '—'}</td>
            </tr>`)}
          </tbody>
        </table>
      </div>
      ${this.groups.length === 0 && !this.busy ? html`<p class="quiet">${t('admin:groups.none')}</p>` : nothing}
    `);
  }
}

customElements.define('to-admin-groups', ToAdminGroups);
