import { LitElement, css, html, nothing } from 'lit';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { adminStyles } from './admin-styles.ts';
import { type CustomField, FIELD_TYPES, type FieldType } from './custom-fields.ts';

/**
 * `<to-custom-field-editor>`: a ticket type's custom fields — add, remove, move up and down; each
 * with a key, label, type (text, number, yes/no, date, choice with options) and a required flag.
 * Fires `fields-changed` with the new list (`detail`); `errors` (by `index/property`) are shown
 * next to the field they concern.
 */
export class ToCustomFieldEditor extends LitElement {
  static properties = { fields: { attribute: false }, errors: { attribute: false } };
  static styles = [
    sharedStyles,
    adminStyles,
    css`
      :host {
        display: grid;
        gap: var(--wa-space-s);
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--wa-space-s);
      }
      .row {
        align-items: start;
      }
      .row > .check {
        align-self: center;
      }
      li {
        display: grid;
        gap: var(--wa-space-s);
        padding: var(--wa-space-s);
        border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
        border-radius: var(--wa-border-radius-s);
      }
    `,
  ];

  declare fields: CustomField[];
  declare errors: Record<string, string>;

  constructor() {
    super();
    this.fields = [];
    this.errors = {};
    new I18nController(this);
  }

  #emit(fields: CustomField[]): void {
    this.fields = fields;
    this.dispatchEvent(new CustomEvent('fields-changed', { detail: fields }));
  }

  #change(index: number, patch: Partial<CustomField>): void {
    this.#emit(this.fields.map((f, i) => (i === index ? { ...f, ...patch } : f)));
  }

  async #move(index: number, by: number): Promise<void> {
    const next = [...this.fields];
    const [moved] = next.splice(index, 1);
    next.splice(index + by, 0, moved as CustomField);
    this.#emit(next);
    await this.updateComplete;
    // Keep the focus on the same button of the moved field, so repeated moves need no hunting.
    this.renderRoot.querySelector<HTMLButtonElement>(`#f${index + by}-${by < 0 ? 'up' : 'down'}`)?.focus();
  }

  async #add(): Promise<void> {
    this.#emit([...this.fields, { key: '', label: '', type: 'text', required: false, options: [] }]);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>(`#f${this.fields.length - 1}-key`)?.focus();
  }

  #error(index: number, property: string) {
    const code = this.errors[`${index}/${property}`];
    return code ? html`<p class="field-error" id="f${index}-${property}-error">${t(`admin:types.error.${code}`, { defaultValue: code })}</p>` : nothing;
  }

  #row(field: CustomField, i: number) {
    const invalid = (p: string) => Boolean(this.errors[`${i}/${p}`]);
    const label = field.label || field.key || t('admin:types.fieldNumber', { number: i + 1 });
    return html`<li aria-label=${label}>
      <div class="row">
        <div class="field">
          <label for="f${i}-key">${t('admin:types.key')}</label>
          <input id="f${i}-key" .value=${field.key} aria-invalid=${invalid('key')} aria-describedby="f${i}-key-hint ${invalid('key') ? `f${i}-key-error` : ''}" @input=${(e: Event) => this.#change(i, { key: (e.target as HTMLInputElement).value.trim() })} />
          <p class="hint" id="f${i}-key-hint">${t('admin:types.keyHint')}</p>
          ${this.#error(i, 'key')}
        </div>
        <div class="field">
          <label for="f${i}-label">${t('admin:types.label')}</label>
          <input id="f${i}-label" .value=${field.label} @input=${(e: Event) => this.#change(i, { label: (e.target as HTMLInputElement).value })} />
        </div>
        <div class="field">
          <label for="f${i}-type">${t('admin:types.type')}</label>
          <select id="f${i}-type" .value=${field.type} @change=${(e: Event) => this.#change(i, { type: (e.target as HTMLSelectElement).value as FieldType })}>
            ${FIELD_TYPES.map((type) => html`<option value=${type} ?selected=${type === field.type}>${t(`admin:types.fieldType.${type}`)}</option>`)}
          </select>
        </div>
        <div class="check">
          <input type="checkbox" id="f${i}-required" .checked=${field.required} @change=${(e: Event) => this.#change(i, { required: (e.target as HTMLInputElement).checked })} />
          <label for="f${i}-required">${t('admin:types.required')}</label>
        </div>
      </div>
      ${field.type === 'select'
        ? html`<div class="field">
            <label for="f${i}-options">${t('admin:types.options')}</label>
            <textarea id="f${i}-options" rows="3" .value=${field.options.join('\n')} aria-invalid=${invalid('options')} aria-describedby="f${i}-options-hint ${invalid('options') ? `f${i}-options-error` : ''}"
              @input=${(e: Event) => this.#change(i, { options: (e.target as HTMLTextAreaElement).value.split('\n').map((o) => o.trim()).filter(Boolean) })}></textarea>
            <p class="hint" id="f${i}-options-hint">${t('admin:types.optionsHint')}</p>
            ${this.#error(i, 'options')}
          </div>`
        : nothing}
      <div class="actions">
        <button type="button" id="f${i}-up" ?disabled=${i === 0} aria-label=${t('admin:types.moveUp', { name: label })} @click=${() => this.#move(i, -1)}>↑ ${t('admin:types.up')}</button>
        <button type="button" id="f${i}-down" ?disabled=${i === this.fields.length - 1} aria-label=${t('admin:types.moveDown', { name: label })} @click=${() => this.#move(i, 1)}>↓ ${t('admin:types.down')}</button>
        <button type="button" class="danger" aria-label=${t('admin:types.removeField', { name: label })} @click=${() => this.#emit(this.fields.filter((_, j) => j !== i))}>${t('admin:remove')}</button>
      </div>
    </li>`;
  }

  render() {
    return html`${this.fields.length ? html`<ol>${this.fields.map((f, i) => this.#row(f, i))}</ol>` : html`<p class="quiet">${t('admin:types.noFields')}</p>`}
      <div class="actions"><button type="button" @click=${this.#add}>${t('admin:types.addField')}</button></div>`;
  }
}

customElements.define('to-custom-field-editor', ToCustomFieldEditor);

declare global {
  interface HTMLElementTagNameMap {
    'to-custom-field-editor': ToCustomFieldEditor;
  }
}
