import { html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { t } from '../i18n/i18n.ts';
import { AdminElement, formValues } from './admin-element.ts';
import { confirmAction } from './confirm-dialog.ts';

interface AdminUser {
  id: string;
  email: string;
  name: string;
  role: string;
  organizationId: string | null;
  active: boolean;
}
interface Named {
  id: string;
  name: string;
}
interface Group extends Named {
  memberIds: string[];
}
type List<T> = { items: T[]; nextCursor: string | null };

/**
 * `<to-admin-users>` (`/admin/settings/users`): users found by name or email and role, fifty at a
 * time; create an agent or customer; change a user's role, organization and groups; deactivate
 * (asked first). The last-admin guard's answer is shown as the API words it.
 */
export class ToAdminUsers extends AdminElement {
  static properties = { ...AdminElement.properties, users: { state: true }, next: { state: true }, editing: { state: true }, roles: { state: true }, groups: { state: true }, orgs: { state: true } };

  declare users: AdminUser[];
  declare next: string | null;
  declare editing: AdminUser | null;
  declare roles: string[];
  declare groups: Group[];
  declare orgs: Named[];
  #query = { q: '', role: '' };

  constructor() {
    super();
    this.users = [];
    this.next = null;
    this.editing = null;
    this.roles = ['admin', 'agent', 'customer'];
    this.groups = [];
    this.orgs = [];
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
    const api = this.api.value!;
    api.get<List<{ name: string }>>('/roles').then((r) => (this.roles = r.items.map((x) => x.name)), () => {});
    if (this.can('groups.read')) api.get<List<Group>>('/groups').then((r) => (this.groups = r.items), () => {});
    if (this.can('organizations.read')) api.get<List<Named>>('/organizations', { limit: 200 }).then((r) => (this.orgs = r.items), () => {});
  }

  async #load(more = false): Promise<void> {
    await this.fetching(async () => {
      const page = await this.api.value!.get<List<AdminUser>>('/users/search', { ...this.#query, limit: 50, cursor: more ? this.next : undefined });
      this.users = more ? [...this.users, ...page.items] : page.items;
      this.next = page.nextCursor;
    });
  }

  #search(event: SubmitEvent): void {
    event.preventDefault();
    const v = formValues(event.target as HTMLFormElement);
    this.#query = { q: v.q ?? '', role: v.role ?? '' };
    void this.#load();
  }

  async #create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const v = formValues(form);
    const body: Record<string, string> = { name: v.name ?? '', email: v.email ?? '', role: v.role ?? 'agent' };
    if (v.password) body.password = v.password;
    const ok = await this.attempt(() => this.api.value!.post('/users', body), form, 'new-');
    if (ok) {
      form.reset();
      this.notice = t('admin:users.created', { name: body.name });
      await this.#load();
    }
  }

  async #save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const user = this.editing as AdminUser;
    const v = formValues(form);
    const api = this.api.value!;
    const chosen = new Set(new FormData(form).getAll('group') as string[]);
    const ok = await this.attempt(async () => {
      await api.request('PATCH', `/users/${user.id}`, { body: { name: v.name, role: v.role, ...(this.orgs.length ? { organizationId: v.organizationId || null } : {}) } });
      for (const group of this.groups) {
        const member = group.memberIds.includes(user.id);
        if (member === chosen.has(group.id)) continue;
        const memberIds = member ? group.memberIds.filter((id) => id !== user.id) : [...group.memberIds, user.id];
        const { data } = await api.request<Group>('PUT', `/groups/${group.id}/members`, { body: { userIds: memberIds } });
        this.groups = this.groups.map((g) => (g.id === data.id ? data : g));
      }
    }, form, 'edit-');
    if (ok) {
      this.notice = t('admin:saved');
      this.editing = null;
      await this.#load();
    }
  }

  async #setActive(user: AdminUser, active: boolean): Promise<void> {
    if (!active && !(await confirmAction(t('admin:users.confirmDeactivate', { name: user.name }), t('admin:users.deactivate')))) return;
    const ok = await this.attempt(() => this.api.value!.request('PATCH', `/users/${user.id}`, { body: { active } }));
    if (ok) {
      this.notice = t(active ? 'admin:users.reactivated' : 'admin:users.deactivated', { name: user.name });
      this.editing = null;
      await this.#load();
    }
  }

  #roleOptions(selected: string) {
    return this.roles.map((r) => html`<option value=${r} ?selected=${r === selected}>${r}</option>`);
  }

  #renderEdit(user: AdminUser) {
    return html`<form data-edit @submit=${this.#save} aria-labelledby="edit-title">
      <h2 id="edit-title">${t('admin:users.editTitle', { name: user.name })}</h2>
      <div class="row">
        ${this.field('name', t('admin:name'), (a) => html`<input id=${a.id} name="name" required .value=${user.name} aria-invalid=${a.invalid} aria-describedby=${a.describedBy} />`, undefined, 'edit-')}
        ${this.field('role', t('admin:users.role'), (a) => html`<select id=${a.id} name="role" aria-invalid=${a.invalid} aria-describedby=${a.describedBy}>${this.#roleOptions(user.role)}</select>`, undefined, 'edit-')}
        ${this.orgs.length
          ? this.field('organizationId', t('admin:users.organization'), (a) => html`<select id=${a.id} name="organizationId" aria-invalid=${a.invalid} aria-describedby=${a.describedBy}>
              <option value="">${t('admin:none')}</option>
              ${this.orgs.map((o) => html`<option value=${o.id} ?selected=${o.id === user.organizationId}>${o.name}</option>`)}
            </select>`, undefined, 'edit-')
          : nothing}
      </div>
      ${this.groups.length && user.role !== 'customer'
        ? html`<fieldset>
            <legend>${t('admin:users.groups')}</legend>
            ${this.groups.map((g) => html`<div class="check"><input type="checkbox" id="g-${g.id}" name="group" value=${g.id} ?checked=${g.memberIds.includes(user.id)} /><label for="g-${g.id}">${g.name}</label></div>`)}
            ${this.errors.userIds ? html`<p class="field-error">${this.errors.userIds}</p>` : nothing}
          </fieldset>`
        : nothing}
      <div class="actions">
        <button class="primary" type="submit" ?disabled=${this.busy}>${t('admin:save')}</button>
        <button type="button" @click=${() => (this.editing = null)}>${t('admin:cancel')}</button>
        ${user.active
          ? html`<button type="button" class="danger" @click=${() => this.#setActive(user, false)}>${t('admin:users.deactivate')}</button>`
          : html`<button type="button" @click=${() => this.#setActive(user, true)}>${t('admin:users.reactivate')}</button>`}
      </div>
    </form>`;
  }

  #startEdit(item: AdminUser): void {
    this.editing = item;
    void this.reveal();
  }

  render() {
    const writable = this.can('users.write');
    return this.frame('users', t('admin:section.users'), html`
      <form role="search" @submit=${this.#search} aria-label=${t('admin:users.search')}>
        <div class="row">
          <div class="field"><label for="q">${t('admin:users.searchLabel')}</label><input id="q" name="q" type="search" autocomplete="off" /></div>
          <div class="field"><label for="role-filter">${t('admin:users.role')}</label>
            <select id="role-filter" name="role"><option value="">${t('admin:all')}</option>${this.roles.map((r) => html`<option value=${r}>${r}</option>`)}</select>
          </div>
          <button type="submit">${t('admin:searchButton')}</button>
        </div>
      </form>
      ${this.renderProblem()}
      ${this.editing ? keyed(this.editing.id, this.#renderEdit(this.editing)) : nothing}
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">${t('admin:section.users')}</caption>
          <thead><tr><th scope="col">${t('admin:name')}</th><th scope="col">${t('admin:users.email')}</th><th scope="col">${t('admin:users.role')}</th><th scope="col" class="optional">${t('admin:users.state')}</th></tr></thead>
          <tbody>
            ${this.users.map((u) => html`<tr>
              <td>${writable ? html`<button type="button" class="link" @click=${() => this.#startEdit(u)} aria-label=${t('admin:editNamed', { name: u.name })}>${u.name}</button>` : u.name}</td><td>${u.email}</td><td><span class="tag">${u.role}</span></td>
              <td class="optional">${u.active ? t('admin:users.active') : t('admin:users.inactive')}</td>
            </tr>`)}
          </tbody>
        </table>
      </div>
      ${this.users.length === 0 && !this.busy ? html`<p class="quiet">${t('admin:users.none')}</p>` : nothing}
      ${this.next ? html`<div class="actions"><button type="button" @click=${() => this.#load(true)} ?disabled=${this.busy}>${t('admin:loadMore')}</button></div>` : nothing}
      ${writable
        ? html`<form @submit=${this.#create} aria-labelledby="create-title" novalidate>
            <h2 id="create-title">${t('admin:users.create')}</h2>
            <div class="row">
              ${this.field('name', t('admin:name'), (a) => html`<input id=${a.id} name="name" autocomplete="off" aria-invalid=${a.invalid} aria-describedby=${a.describedBy} />`, undefined, 'new-')}
              ${this.field('email', t('admin:users.email'), (a) => html`<input id=${a.id} name="email" type="email" autocomplete="off" aria-invalid=${a.invalid} aria-describedby=${a.describedBy} />`, undefined, 'new-')}
              ${this.field('role', t('admin:users.role'), (a) => html`<select id=${a.id} name="role" aria-invalid=${a.invalid} aria-describedby=${a.describedBy}>${this.#roleOptions('agent')}</select>`, undefined, 'new-')}
              ${this.field('password', t('admin:users.password'), (a) => html`<input id=${a.id} name="password" type="password" autocomplete="new-password" aria-invalid=${a.invalid} aria-describedby=${a.describedBy} />`, t('admin:users.passwordHint'), 'new-')}
            </div>
            <div class="actions"><button class="primary" type="submit" ?disabled=${this.busy}>${t('admin:create')}</button></div>
          </form>`
        : nothing}
    `);
  }
}

customElements.define('to-admin-users', ToAdminUsers);
