import { html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { t } from '../i18n/i18n.ts';
import { AdminElement, formValues } from './admin-element.ts';
import { confirmAction } from './confirm-dialog.ts';

interface Organization {
  id: string;
  name: string;
  domains: string[];
  notes: string;
  sharedTickets: boolean;
  members?: number;
}
type List<T> = { items: T[]; nextCursor: string | null };

/** Domains typed one per line or separated by commas or spaces. */
const parseDomains = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((d) => d.trim())
    .filter(Boolean);

/**
 * `<to-admin-organizations>` (`/admin/settings/organizations`): customer organizations, fifty at a
 * time, filtered by name among those loaded; create and edit (name, email domains, notes, shared
 * tickets), the member count, a link to their tickets, delete (asked first).
 */
export class ToAdminOrganizations extends AdminElement {
  static properties = { ...AdminElement.properties, orgs: { state: true }, next: { state: true }, editing: { state: true }, filter: { state: true } };

  declare orgs: Organization[];
  declare next: string | null;
  declare editing: Organization | 'new' | null;
  declare filter: string;

  constructor() {
    super();
    this.orgs = [];
    this.next = null;
    this.editing = null;
    this.filter = '';
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(more = false): Promise<void> {
    await this.fetching(async () => {
      const page = await this.api.value!.get<List<Organization>>('/organizations', { limit: 50, cursor: more ? this.next : undefined });
      this.orgs = more ? [...this.orgs, ...page.items] : page.items;
      this.next = page.nextCursor;
    });
  }

  async #edit(org: Organization): Promise<void> {
    // The list has no member counts; the single organization does.
    await this.attempt(async () => {
      this.editing = await this.api.value!.get<Organization>(`/organizations/${org.id}`);
    });
    await this.reveal();
  }

  async #save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const v = formValues(form);
    const body = { name: v.name ?? '', domains: parseDomains(v.domains ?? ''), notes: v.notes ?? '', sharedTickets: v.sharedTickets === 'on' };
    const editing = this.editing;
    const ok = await this.attempt(async () => {
      if (editing === 'new') await this.api.value!.post('/organizations', body);
      else if (editing) await this.api.value!.request('PATCH', `/organizations/${editing.id}`, { body });
    }, form);
    if (ok) {
      this.notice = t('admin:saved');
      this.editing = null;
      await this.#load();
    }
  }

  async #delete(org: Organization): Promise<void> {
    if (!(await confirmAction(t('admin:organizations.confirmDelete', { name: org.name }), t('admin:delete')))) return;
    if (await this.attempt(() => this.api.value!.request('DELETE', `/organizations/${org.id}`))) {
      this.notice = t('admin:deleted', { name: org.name });
      this.editing = null;
      await this.#load();
    }
  }

  #renderForm(org: Organization | null) {
    return html`<form data-edit @submit=${this.#save} aria-labelledby="form-title" novalidate>
      <h2 id="form-title">${org ? t('admin:editNamed', { name: org.name }) : t('admin:organizations.create')}</h2>
      ${org ? html`<p class="quiet">${t('admin:organizations.memberCount', { count: org.members ?? 0 })} · <a href="/admin/tickets?organizationId=${org.id}">${t('admin:organizations.tickets')}</a></p>` : nothing}
      <div class="row">
        ${this.field('name', t('admin:name'), (a) => html`<input id=${a.id} name="name" .value=${org?.name ?? ''} aria-invalid=${a.invalid} aria-describedby=${a.describedBy} />`)}
        ${this.field('domains', t('admin:organizations.domains'), (a) => html`<input id=${a.id} name="domains" .value=${(org?.domains ?? []).join(', ')} aria-invalid=${a.invalid} aria-describedby=${a.describedBy} />`, t('admin:organizations.domainsHint'))}
      </div>
      ${this.field('notes', t('admin:organizations.notes'), (a) => html`<textarea id=${a.id} name="notes" rows="3" .value=${org?.notes ?? ''} aria-invalid=${a.invalid} aria-describedby=${a.describedBy}></textarea>`)}
      <div class="check"><input type="checkbox" id="shared" name="sharedTickets" ?checked=${org?.sharedTickets ?? false} /><label for="shared">${t('admin:organizations.shared')}</label></div>
      <div class="actions">
        <button class="primary" type="submit" ?disabled=${this.busy}>${t('admin:save')}</button>
        <button type="button" @click=${() => (this.editing = null)}>${t('admin:cancel')}</button>
        ${org ? html`<button type="button" class="danger" @click=${() => this.#delete(org)}>${t('admin:delete')}</button>` : nothing}
      </div>
    </form>`;
  }

  #startEdit(item: Organization | 'new'): void {
    this.editing = item;
    void this.reveal();
  }

  render() {
    const writable = this.can('organizations.write');
    const needle = this.filter.trim().toLowerCase();
    const shown = needle ? this.orgs.filter((o) => o.name.toLowerCase().includes(needle) || o.domains.some((d) => d.includes(needle))) : this.orgs;
    return this.frame('organizations', t('admin:section.organizations'), html`
      <div class="row">
        <div class="field"><label for="filter">${t('admin:organizations.filter')}</label><input id="filter" type="search" .value=${this.filter} @input=${(e: Event) => (this.filter = (e.target as HTMLInputElement).value)} /></div>
        ${writable && !this.editing ? html`<button type="button" class="primary" @click=${() => this.#startEdit('new')}>${t('admin:organizations.create')}</button>` : nothing}
      </div>
      ${this.renderProblem()}
      ${this.editing ? keyed(this.editing === 'new' ? 'new' : this.editing.id, this.#renderForm(this.editing === 'new' ? null : this.editing)) : nothing}
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">${t('admin:section.organizations')}</caption>
          <thead><tr><th scope="col">${t('admin:name')}</th><th scope="col">${t('admin:organizations.domains')}</th><th scope="col" class="optional">${t('admin:organizations.tickets')}</th></tr></thead>
          <tbody>
            ${shown.map((o) => html`<tr>
              <td><button type="button" class="link" @click=${() => this.#edit(o)} aria-label=${t(writable ? 'admin:editNamed' : 'admin:showNamed', { name: o.name })}>${o.name}</button></td><td>${o.domains.join(', ') || '—'}</td>
              <td class="optional"><a href="/admin/tickets?organizationId=${o.id}" aria-label=${t('admin:organizations.ticketsOf', { name: o.name })}>${t('admin:organizations.tickets')}</a></td>
            </tr>`)}
          </tbody>
        </table>
      </div>
      ${shown.length === 0 && !this.busy ? html`<p class="quiet">${t('admin:organizations.none')}</p>` : nothing}
      ${this.next ? html`<div class="actions"><button type="button" @click=${() => this.#load(true)} ?disabled=${this.busy}>${t('admin:loadMore')}</button></div>` : nothing}
    `);
  }
}

customElements.define('to-admin-organizations', ToAdminOrganizations);
