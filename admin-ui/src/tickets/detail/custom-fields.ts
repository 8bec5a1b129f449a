import { html } from 'lit';
import { t } from '../../i18n/i18n.ts';
import type { JsonSchema } from './directory.ts';

/**
 * The custom fields of a ticket type, drawn from its JSON Schema: `enum` → a select, `boolean` →
 * a checkbox, `number`/`integer` → a number field, `string` with format `date` / `date-time` →
 * a date / date-and-time field, other strings → a text field. Required ones are marked. The
 * values are not checked here: the API validates them against the schema, and its errors
 * (`/body/customFields/<name>`) are shown under each field.
 */
export interface FieldSpec {
  name: string;
  label: string;
  kind: 'enum' | 'boolean' | 'number' | 'integer' | 'date' | 'datetime' | 'text';
  required: boolean;
  options: string[];
  description?: string;
}

const typeOf = (schema: JsonSchema) => (Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type);

export function fieldSpecs(schema: JsonSchema | undefined): FieldSpec[] {
  const required = new Set(schema?.required ?? []);
  return Object.entries(schema?.properties ?? {}).map(([name, prop]) => {
    const type = typeOf(prop);
    const kind: FieldSpec['kind'] = prop.enum
      ? 'enum'
      : type === 'boolean'
        ? 'boolean'
        : type === 'number' || type === 'integer'
          ? type
          : prop.format === 'date'
            ? 'date'
            : prop.format === 'date-time'
              ? 'datetime'
              : 'text';
    return { name, label: prop.title ?? name, kind, required: required.has(name), options: (prop.enum ?? []).map(String), description: prop.description };
  });
}

/** The value of a field as typed, for the API (an emptied field is `null`: merge-patch removes it). */
export function readField(root: ParentNode, spec: FieldSpec): unknown {
  const control = root.querySelector(`[data-custom="${CSS.escape(spec.name)}"]`) as (HTMLInputElement & { checked?: boolean }) | null;
  if (!control) return undefined;
  if (spec.kind === 'boolean') return Boolean(control.checked);
  const value = String(control.value ?? '').trim();
  if (!value) return null;
  if (spec.kind === 'number' || spec.kind === 'integer') return Number.isNaN(Number(value)) ? value : Number(value);
  if (spec.kind === 'datetime') return new Date(value).toISOString();
  return value;
}

const toLocalDateTime = (value: unknown) => {
  if (typeof value !== 'string' || !value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

export function renderField(spec: FieldSpec, value: unknown, error: string | undefined, disabled: boolean) {
  const label = spec.required ? `${spec.label} *` : spec.label;
  const hint = error
    ? html`<span slot="hint" class="field-error" data-error-for=${spec.name}>${error}</span>`
    : spec.description
      ? html`<span slot="hint">${spec.description}</span>`
      : null;
  const common = { name: spec.name, label };
  switch (spec.kind) {
    case 'boolean':
      return html`<wa-checkbox data-custom=${spec.name} name=${common.name} .checked=${value === true} ?disabled=${disabled}>${label}${hint}</wa-checkbox>`;
    case 'enum':
      return html`<wa-select data-custom=${spec.name} name=${common.name} label=${label} .value=${value == null ? '' : String(value)} ?disabled=${disabled} with-clear>
        ${spec.options.map((o) => html`<wa-option value=${o}>${o}</wa-option>`)}${hint}
      </wa-select>`;
    default: {
      const type = spec.kind === 'number' || spec.kind === 'integer' ? 'number' : spec.kind === 'date' ? 'date' : spec.kind === 'datetime' ? 'datetime-local' : 'text';
      const shown = spec.kind === 'datetime' ? toLocalDateTime(value) : value == null ? '' : String(value);
      return html`<wa-input data-custom=${spec.name} name=${common.name} type=${type} label=${label} .value=${shown} ?disabled=${disabled}>${hint}</wa-input>`;
    }
  }
}

export const requiredNote = () => t('ticketDetail:fields.requiredNote');
