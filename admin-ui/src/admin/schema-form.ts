import { LitElement, type TemplateResult, css, html, nothing } from 'lit';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { adminStyles } from './admin-styles.ts';

export type JsonSchema = Record<string, any>;
type Value = Record<string, unknown>;

const idOf = (pointer: string) => `sf${pointer.replace(/[^A-Za-z0-9_-]/g, '-')}`;
const typeOf = (schema: JsonSchema): string => (Array.isArray(schema.type) ? ((schema.type as string[]).find((x) => x !== 'null') ?? 'string') : (schema.type ?? (schema.properties ? 'object' : 'string')));
const get = (value: unknown, key: string): unknown => (value && typeof value === 'object' ? (value as Value)[key] : undefined);

/** Errors by JSON pointer (`/greeting`, `/smtp/port`) for what the schema says about `value`: required, types, bounds, lengths, patterns, enums. */
export function validateAgainst(schema: JsonSchema, value: unknown, pointer = ''): Record<string, string> {
  const errors: Record<string, string> = {};
  const type = typeOf(schema);
  if (type === 'object') {
    for (const key of (schema.required as string[] | undefined) ?? []) {
      const v = get(value, key);
      if (v === undefined || v === '' || v === null) errors[`${pointer}/${key}`] = t('admin:schema.required');
    }
    for (const [key, sub] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
      const v = get(value, key);
      if (v === undefined || v === null || v === '') continue;
      for (const [at, message] of Object.entries(validateAgainst(sub, v, `${pointer}/${key}`))) errors[at] ??= message;
    }
    return errors;
  }
  if (type === 'number' || type === 'integer') {
    const n = value as number;
    if (typeof n !== 'number' || Number.isNaN(n) || (type === 'integer' && !Number.isInteger(n))) errors[pointer] = t(type === 'integer' ? 'admin:schema.integer' : 'admin:schema.number');
    else if (schema.minimum !== undefined && n < schema.minimum) errors[pointer] = t('admin:schema.minimum', { limit: schema.minimum });
    else if (schema.maximum !== undefined && n > schema.maximum) errors[pointer] = t('admin:schema.maximum', { limit: schema.maximum });
  } else if (type === 'string' && typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) errors[pointer] = t('admin:schema.minLength', { limit: schema.minLength });
    else if (schema.maxLength !== undefined && value.length > schema.maxLength) errors[pointer] = t('admin:schema.maxLength', { limit: schema.maxLength });
    else if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) errors[pointer] = t('admin:schema.pattern', { pattern: schema.pattern });
    else if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors[pointer] = t('admin:schema.enum');
  } else if (type === 'array' && Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) errors[pointer] = t('admin:schema.minItems', { limit: schema.minItems });
    else if (schema.maxItems !== undefined && value.length > schema.maxItems) errors[pointer] = t('admin:schema.maxItems', { limit: schema.maxItems });
    else {
      for (const [i, item] of value.entries()) Object.assign(errors, validateAgainst(schema.items ?? {}, item, `${pointer}/${i}`));
    }
  }
  return errors;
}

/**
 * `<to-schema-form>`: a form for a value described by a JSON Schema — strings (text, date, choice
 * from `enum`), numbers and integers with their bounds, booleans, arrays of strings (one per
 * line, or checkboxes for an `enum` of items), nested objects as fieldsets; `title` or the key as
 * label, `description` as hint, `required` marked. `errors` (by JSON pointer, from the API or from
 * `validate()`) are shown next to their field. `readonly` shows the values without editing them;
 * a value `null` the server withheld (`redacted` pointers) says so. Fires `value-changed`.
 */
export class ToSchemaForm extends LitElement {
  static properties = { schema: { attribute: false }, value: { attribute: false }, errors: { attribute: false }, readonly: { type: Boolean }, redacted: { attribute: false }, redactedHint: { attribute: false } };
  static styles = [
    sharedStyles,
    adminStyles,
    css`
      :host {
        display: grid;
        gap: var(--wa-space-m);
      }
      .required {
        color: var(--wa-color-danger-on-quiet);
      }
    `,
  ];

  declare schema: JsonSchema;
  declare value: Value;
  declare errors: Record<string, string>;
  declare readonly: boolean;
  declare redacted: string[];
  /** What a withheld secret's field says (default: set on the server, not shown). */
  declare redactedHint: string | null;

  constructor() {
    super();
    this.schema = { type: 'object' };
    this.value = {};
    this.errors = {};
    this.readonly = false;
    this.redacted = [];
    this.redactedHint = null;
    new I18nController(this);
  }

  /** Moves the focus to the first field marked invalid (after `errors` changed); false when none is. */
  async focusFirstInvalid(): Promise<boolean> {
    await this.updateComplete;
    const invalid = this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]');
    invalid?.focus();
    return Boolean(invalid);
  }

  /** Checks the current value against the schema, shows the errors and returns whether there were none. */
  validate(): boolean {
    this.errors = validateAgainst(this.schema, this.value);
    return Object.keys(this.errors).length === 0;
  }

  #set(pointer: string, v: unknown): void {
    const keys = pointer.split('/').slice(1);
    const next = structuredClone(this.value ?? {});
    let at: Value = next;
    for (const key of keys.slice(0, -1)) {
      if (!at[key] || typeof at[key] !== 'object') at[key] = {};
      at = at[key] as Value;
    }
    const last = keys.at(-1) as string;
    if (v === undefined) delete at[last];
    else at[last] = v;
    this.value = next;
    this.dispatchEvent(new CustomEvent('value-changed', { detail: next }));
  }

  #describe(pointer: string, schema: JsonSchema): { hint: TemplateResult | typeof nothing; error: TemplateResult | typeof nothing; describedBy: string } {
    const id = idOf(pointer);
    const error = this.errors[pointer];
    const secret = this.redacted.includes(pointer);
    const hintText = [schema.description, secret ? (this.redactedHint ?? t('admin:schema.redacted')) : ''].filter(Boolean).join(' ');
    return {
      hint: hintText ? html`<p class="hint" id="${id}-hint">${hintText}</p>` : nothing,
      error: error ? html`<p class="field-error" id="${id}-error">${error}</p>` : nothing,
      describedBy: [hintText ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' '),
    };
  }

  #field(key: string, schema: JsonSchema, value: unknown, pointer: string, required: boolean): TemplateResult {
    const type = typeOf(schema);
    const label = html`${schema.title ?? key}${required ? html` <span class="required" aria-hidden="true">*</span>` : nothing}`;
    if (type === 'object') {
      return html`<fieldset>
        <legend>${label}</legend>
        ${schema.description ? html`<p class="hint">${schema.description}</p>` : nothing}
        ${this.#fields(schema, value, pointer)}
      </fieldset>`;
    }
    const id = idOf(pointer);
    const { hint, error, describedBy } = this.#describe(pointer, schema);
    const invalid = Boolean(this.errors[pointer]);
    const ro = this.readonly;
    if (type === 'boolean') {
      return html`<div class="field"><div class="check">
          <input type="checkbox" id=${id} .checked=${value === true} ?disabled=${ro} aria-invalid=${invalid} aria-describedby=${describedBy} @change=${(e: Event) => this.#set(pointer, (e.target as HTMLInputElement).checked)} />
          <label for=${id}>${label}</label>
        </div>${hint}${error}</div>`;
    }
    if (type === 'array' && Array.isArray(schema.items?.enum)) {
      const chosen = new Set(Array.isArray(value) ? value : []);
      return html`<fieldset aria-describedby=${describedBy}>
        <legend>${label}</legend>
        ${(schema.items.enum as string[]).map((option, i) => html`<div class="check">
          <input type="checkbox" id="${id}-${i}" .checked=${chosen.has(option)} ?disabled=${ro}
            @change=${(e: Event) => this.#set(pointer, (schema.items.enum as string[]).filter((o) => (o === option ? (e.target as HTMLInputElement).checked : chosen.has(o))))} />
          <label for="${id}-${i}">${option}</label></div>`)}
        ${hint}${error}
      </fieldset>`;
    }
    let control: TemplateResult;
    const common = { id, describedBy, invalid };
    if (type === 'array') {
      control = html`<textarea id=${common.id} rows="3" ?readonly=${ro} aria-invalid=${invalid} aria-required=${required} aria-describedby="${describedBy} ${id}-lines" .value=${Array.isArray(value) ? value.join('\n') : ''}
        @input=${(e: Event) => this.#set(pointer, (e.target as HTMLTextAreaElement).value.split('\n').map((s) => s.trim()).filter(Boolean))}></textarea>
        <p class="hint" id="${id}-lines">${t('admin:schema.onePerLine')}</p>`;
    } else if (Array.isArray(schema.enum)) {
      control = html`<select id=${id} ?disabled=${ro} aria-invalid=${invalid} aria-required=${required} aria-describedby=${describedBy} @change=${(e: Event) => this.#set(pointer, (e.target as HTMLSelectElement).value || undefined)}>
        ${required ? nothing : html`<option value="">—</option>`}
        ${(schema.enum as unknown[]).map((o) => html`<option value=${String(o)} ?selected=${o === value}>${String(o)}</option>`)}
      </select>`;
    } else if (type === 'number' || type === 'integer') {
      control = html`<input id=${id} type="number" ?readonly=${ro} step=${type === 'integer' ? '1' : 'any'} min=${schema.minimum ?? nothing} max=${schema.maximum ?? nothing} .value=${value === undefined || value === null ? '' : String(value)}
        aria-invalid=${invalid} aria-required=${required} aria-describedby=${describedBy} @input=${(e: Event) => {
          const text = (e.target as HTMLInputElement).value;
          this.#set(pointer, text === '' ? undefined : Number(text));
        }} />`;
    } else {
      // A secret (`writeOnly`) is typed unseen and never filled in by the browser.
      const inputType = schema.writeOnly === true ? 'password' : schema.format === 'date' ? 'date' : schema.format === 'email' ? 'email' : schema.format === 'uri' ? 'url' : 'text';
      control = html`<input id=${id} type=${inputType} autocomplete=${schema.writeOnly === true ? 'new-password' : nothing} ?readonly=${ro} maxlength=${schema.maxLength ?? nothing} .value=${typeof value === 'string' ? value : ''} placeholder=${value === null ? '••••••' : nothing}
        aria-invalid=${invalid} aria-required=${required} aria-describedby=${describedBy} @input=${(e: Event) => this.#set(pointer, (e.target as HTMLInputElement).value)} />`;
    }
    return html`<div class="field"><label for=${id}>${label}</label>${control}${hint}${error}</div>`;
  }

  #fields(schema: JsonSchema, value: unknown, pointer: string): TemplateResult {
    const required = new Set<string>(schema.required ?? []);
    const entries = Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>);
    return html`${entries.map(([key, sub]) => this.#field(key, sub, get(value, key) ?? (this.readonly ? undefined : sub.default), `${pointer}/${key}`, required.has(key)))}`;
  }

  render() {
    if (typeOf(this.schema) !== 'object' || !this.schema.properties) return html`<p class="quiet">${t('admin:schema.noFields')}</p>`;
    return html`${this.errors[''] ? html`<p class="field-error">${this.errors['']}</p>` : nothing}${this.#fields(this.schema, this.value, '')}`;
  }
}

customElements.define('to-schema-form', ToSchemaForm);

declare global {
  interface HTMLElementTagNameMap {
    'to-schema-form': ToSchemaForm;
  }
}
