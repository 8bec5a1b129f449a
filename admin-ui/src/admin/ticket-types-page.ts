import { html, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { t } from '../i18n/i18n.ts';
import { AdminElement, formValues } from './admin-element.ts';
import { confirmAction } from './confirm-dialog.ts';
import './custom-field-editor.ts';
import { type CustomField, checkFields, fieldsToSchema, schemaToFields } from './custom-fields.ts';
import type { ToSchemaForm } from './schema-form.ts';
import './schema-form.ts';

interface TicketType {
  id: string;
  name: string;
  description: string;
  fieldsSchema: Record<string, unknown>;
  active: boolean;
}
type List<T> = { items: T[]; nextCursor: string | null };

/**
 * `<to-admin-ticket-types>` (`/admin/settings/ticket-types`): ticket types with their custom
 * fields, edited as a list (`<to-custom-field-editor>`) that becomes the type's JSON Schema, shown
 * beside it as it is saved.
 */
export class ToAdminTicketTypes extends AdminElement {
  static properties = { ...AdminElement.properties, types: { state: true }, editing: { state: true }, fields: { state: true }, fieldErrors: { state: true }, previewOk: { state: true } };

  declare types: TicketType[];
  declare editing: TicketType | 'new' | null;
  declare fields: CustomField[];
  declare fieldErrors: Record<string, string>;
  /** The preview's last check passed. */
  declare previewOk: boolean;

  constructor() {
    super();
    this.types = [];
    this.editing = null;
    this.fields = [];
    this.fieldErrors = {};
    this.previewOk = false;
  }

  #fieldsChanged(event: CustomEvent<CustomField[]>): void {
    this.fields = event.detail;
    // Once problems are shown, they follow the edits (a fixed field loses its message at once).
    if (Object.keys(this.fieldErrors).length) this.fieldErrors = checkFields(this.fields);
  }

  /** The preview is the form an agent fills for a ticket of this type, checked like the server will. */
  #checkPreview(): void {
    this.previewOk = (this.renderRoot.querySelector('#preview') as ToSchemaForm).validate();
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    await this.fetching(async () => {
      this.types = (await this.api.value!.get<List<TicketType>>('/ticket-types')).items;
    });
  }

  #open(type: TicketType | 'new'): void {
    this.editing = type;
    this.fields = type === 'new' ? [] : schemaToFields(type.fieldsSchema);
    this.fieldErrors = {};
    this.problem = null;
    void this.reveal();
  }

  async #save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const v = formValues(form);
    this.fieldErrors = checkFields(this.fields);
    if (Object.keys(this.fieldErrors).length) {
      this.problem = t('admin:types.fixFields');
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.problem')?.focus();
      return;
    }
    const body = { name: v.name ?? '', description: v.description ?? '', active: v.active === 'on', fieldsSchema: fieldsToSchema(this.fields) };
    const editing = this.editing;
    const ok = await this.attempt(async () => {
      if (editing === 'new') await this.api.value!.post('/ticket-types', body);
      else if (editing) await this.api.value!.request('PATCH', `/ticket-types/${encodeURIComponent(editing.name)}`, { body });
    }, form);
    if (ok) {
      this.notice = t('admin:saved');
      this.editing = null;
      await this.#load();
    }
  }

  async #delete(type: TicketType): Promise<void> {
    if (!(await confirmAction(t('admin:types.confirmDelete', { name: type.name }), t('admin:delete')))) return;
    if (await this.attempt(() => this.api.value!.request('DELETE', `/ticket-types/${encodeURIComponent(type.name)}`))) {
      this.notice = t('admin:deleted', { name: type.name });
      this.editing = null;
      await this.#load();
    }
  }

  #renderForm(type: TicketType | null) {
    return html`<form data-edit @submit=${this.#save} aria-labelledby="form-title" novalidate>
      <h2 id="form-title">${type ? t('admin:editNamed', { name: type.name }) : t('admin:types.create')}</h2>
      <div class="row">
        ${this.field('name', t('admin:name'), (a) => html`<input id=${a.id} name="name" .value=${type?.name ?? ''} aria-invalid=${a.invalid} aria-describedby=${a.describedBy} />`)}
        ${this.field('description', t('admin:description'), (a) => html`<input id=${a.id} name="description" .value=${type?.description ?? ''} aria-invalid=${a.invalid} aria-describedby=${a.describedBy} />`)}
        <div class="check"><input type="checkbox" id="active" name="active" ?checked=${type?.active ?? true} /><label for="active">${t('admin:active')}</label></div>
      </div>
      <fieldset>
        <legend>${t('admin:types.fields')}</legend>
        <to-custom-field-editor .fields=${this.fields} .errors=${this.fieldErrors} @fields-changed=${this.#fieldsChanged}></to-custom-field-editor>
        ${this.errors.fieldsSchema ? html`<p class="field-error">${this.errors.fieldsSchema}</p>` : nothing}
      </fieldset>
      <details>
        <summary>${t('admin:types.schema')}</summary>
        <pre tabindex="0" aria-label=${t('admin:types.schema')}>${JSON.stringify(fieldsToSchema(this.fields), null, 2)}</pre>
      </details>
      <details>
        <summary>${t('admin:types.preview')}</summary>
        <div class="card">
          <p class="hint">${t('admin:types.previewHint')}</p>
          <to-schema-form id="preview" .schema=${fieldsToSchema(this.fields)}></to-schema-form>
          <div class="actions"><button type="button" @click=${this.#checkPreview}>${t('admin:types.checkPreview')}</button></div>
          ${this.previewOk ? html`<p class="notice" role="status">${t('admin:types.previewOk')}</p>` : nothing}
        </div>
      </details>
      <div class="actions">
        <button class="primary" type="submit" ?disabled=${this.busy}>${t('admin:save')}</button>
        <button type="button" @click=${() => (this.editing = null)}>${t('admin:cancel')}</button>
        ${type ? html`<button type="button" class="danger" @click=${() => this.#delete(type)}>${t('admin:delete')}</button>` : nothing}
      </div>
    </form>`;
  }

  render() {
    return this.frame('ticket-types', t('admin:section.ticket-types'), html`
      <p class="intro">${t('admin:types.intro')}</p>
      ${this.renderProblem()}
      ${!this.editing ? html`<div class="actions"><button type="button" class="primary" @click=${() => this.#open('new')}>${t('admin:types.create')}</button></div>` : nothing}
      ${this.editing ? keyed(this.editing === 'new' ? 'new' : this.editing.id, this.#renderForm(this.editing === 'new' ? null : this.editing)) : nothing}
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">${t('admin:section.ticket-types')}</caption>
          <thead><tr><th scope="col">${t('admin:name')}</th><th scope="col">${t('admin:types.fields')}</th><th scope="col" class="optional">${t('admin:users.state')}</th></tr></thead>
          <tbody>
            ${this.types.map((ty) => html`<tr>
              <td><button type="button" class="link" @click=${() => this.#open(ty)} aria-label=${t('admin:editNamed', { name: ty.name })}>${ty.name}</button><br /><span class="quiet">${ty.description}</span></td>
              <td>${schemaToFields(ty.fieldsSchema).map((f) => f.label).join(', ') || '—'}</td>
              <td class="optional">${ty.active ? t('admin:active') : t('admin:inactive')}</td>
            </tr>`)}
          </tbody>
        </table>
      </div>
    `);
  }
}

customElements.define('to-admin-ticket-types', ToAdminTicketTypes);
