import { html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { t } from '../i18n/i18n.ts';
import { AdminElement, formValues } from './admin-element.ts';
import { confirmAction } from './confirm-dialog.ts';

interface Role {
  id: string;
  name: string;
  description: string;
  permissions: string[];
  builtin: boolean;
}
interface Permission {
  name: string;
  description: string;
}
type List<T> = { items: T[]; nextCursor: string | null };

/** Permissions grouped by their first segment (`tickets.read` → `tickets`; a plugin's under its id). */
export function groupPermissions(all: Permission[]): [string, Permission[]][] {
  const groups = new Map<string, Permission[]>();
  for (const p of all) {
    const key = p.name.split('.')[0] as string;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** Checks every permission of the button's group, or clears them all when all were checked. */
function toggleAll(event: Event): void {
  const boxes = [...((event.target as HTMLElement).closest('fieldset')?.querySelectorAll<HTMLInputElement>('input[type="checkbox"]') ?? [])];
  const all = boxes.every((b) => b.checked);
  for (const box of boxes) box.checked = !all;
}

/**
 * `<to-admin-roles>` (`/admin/settings/roles`): the built-in roles (read-only: their permissions
 * come from the kernel and plugins) and custom roles, created and edited as a checklist of the
 * permission catalogue (`GET /permissions`, plugins' permissions included), grouped by area.
 */
export class ToAdminRoles extends AdminElement {
  static properties = { ...AdminElement.properties, roles: { state: true }, catalogue: { state: true }, editing: { state: true } };

  declare roles: Role[];
  declare catalogue: Permission[];
  declare editing: Role | 'new' | null;

  constructor() {
    super();
    this.roles = [];
    this.catalogue = [];
    this.editing = null;
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    await this.fetching(async () => {
      const api = this.api.value!;
      const [roles, permissions] = await Promise.all([api.get<List<Role>>('/roles'), api.get<List<Permission>>('/permissions')]);
      this.roles = roles.items;
      this.catalogue = permissions.items;
    });
  }

  async #save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const v = formValues(form);
    const permissions = new FormData(form).getAll('permission') as string[];
    const editing = this.editing;
    const ok = await this.attempt(async () => {
      if (editing === 'new') await this.api.value!.post('/roles', { name: v.name ?? '', description: v.description ?? '', permissions });
      else if (editing) await this.api.value!.request('PATCH', `/roles/${encodeURIComponent(editing.name)}`, { body: { description: v.description ?? '', permissions } });
    }, form);
    if (ok) {
      this.notice = t('admin:saved');
      this.editing = null;
      await this.#load();
    }
  }

  async #delete(role: Role): Promise<void> {
    if (!(await confirmAction(t('admin:roles.confirmDelete', { name: role.name }), t('admin:delete')))) return;
    if (await this.attempt(() => this.api.value!.request('DELETE', `/roles/${encodeURIComponent(role.name)}`))) {
      this.notice = t('admin:deleted', { name: role.name });
      this.editing = null;
      await this.#load();
    }
  }

  #renderForm(role: Role | null) {
    const held = new Set(role?.permissions ?? []);
    return html`<form data-edit @submit=${this.#save} aria-labelledby="form-title" novalidate>
      <h2 id="form-title">${role ? t('admin:editNamed', { name: role.name }) : t('admin:roles.create')}</h2>
      <div class="row">
        ${role
          ? html`<div class="field"><span class="quiet">${t('admin:name')}</span><strong>${role.name}</strong></div>`
          : this.field('name', t('admin:name'), (a) => html`<input id=${a.id} name="name" autocomplete="off" aria-invalid=${a.invalid} aria-describedby=${a.describedBy} />`, t('admin:roles.nameHint'))}
        ${this.field('description', t('admin:description'), (a) => html`<input id=${a.id} name="description" .value=${role?.description ?? ''} aria-invalid=${a.invalid} aria-describedby=${a.describedBy} />`)}
      </div>
      ${this.errors.permissions ? html`<p class="field-error" role="alert">${this.errors.permissions}</p>` : nothing}
      ${groupPermissions(this.catalogue).map(
        ([area, items]) => html`<fieldset>
          <legend>${area}</legend>
          <div><button type="button" class="link" @click=${toggleAll}>${t('admin:roles.toggleAll', { area })}</button></div>
          ${items.map((p) => html`<div class="check">
            <input type="checkbox" id="p-${p.name}" name="permission" value=${p.name} ?checked=${held.has(p.name)} aria-describedby="pd-${p.name}" />
            <label for="p-${p.name}"><code>${p.name}</code></label>
            <span class="hint" id="pd-${p.name}">${p.description}</span>
          </div>`)}
        </fieldset>`,
      )}
      <div class="actions">
        <button class="primary" type="submit" ?disabled=${this.busy}>${t('admin:save')}</button>
        <button type="button" @click=${() => (this.editing = null)}>${t('admin:cancel')}</button>
        ${role ? html`<button type="button" class="danger" @click=${() => this.#delete(role)}>${t('admin:delete')}</button>` : nothing}
      </div>
    </form>`;
  }

  #startEdit(item: Role | 'new'): void {
    this.editing = item;
    void this.reveal();
  }

  render() {
    const writable = this.can('roles.write');
    return this.frame('roles', t('admin:section.roles'), html`
      <p class="intro">${t('admin:roles.intro')}</p>
      ${this.renderProblem()}
      ${writable && !this.editing ? html`<div class="actions"><button type="button" class="primary" @click=${() => this.#startEdit('new')}>${t('admin:roles.create')}</button></div>` : nothing}
      ${this.editing ? keyed(this.editing === 'new' ? 'new' : this.editing.id, this.#renderForm(this.editing === 'new' ? null : this.editing)) : nothing}
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">${t('admin:section.roles')}</caption>
          <thead><tr><th scope="col">${t('admin:name')}</th><th scope="col">${t('admin:roles.permissions')}</th><th scope="col"><span class="visually-hidden">${t('admin:actions')}</span></th></tr></thead>
          <tbody>
            ${this.roles.map((r) => html`<tr data-role=${r.name}>
              <td><strong>${r.name}</strong>${r.builtin ? html` <span class="tag">${t('admin:roles.builtin')}</span>` : nothing}<br /><span class="quiet">${r.description}</span></td>
              <td><details><summary>${t('admin:roles.permissionCount', { count: r.permissions.length })}</summary><p>${r.permissions.map((p) => html`<code>${p}</code> `)}</p></details></td>
              <td>${writable && !r.builtin ? html`<button type="button" class="link" @click=${() => this.#startEdit(r)} aria-label=${t('admin:editNamed', { name: r.name })}>${t('admin:edit')}</button>` : html`<span class="quiet">${t('admin:readOnly')}</span>`}</td>
            </tr>`)}
          </tbody>
        </table>
      </div>
    `);
  }
}

customElements.define('to-admin-roles', ToAdminRoles);
