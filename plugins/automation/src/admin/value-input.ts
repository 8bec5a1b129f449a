/**
 * The value control of a condition or a `set_field` action, by the field's kind: pickers for
 * statuses, priorities, types, users and groups (from the kernel APIs), numbers, yes/no, and text;
 * list operators (`in`, `notIn`) take several values separated by commas.
 */
import { html } from '@ticketops/admin-ui/plugin-api';
import type { Catalog, Choice } from './catalog.ts';

const STATUS_CATEGORIES = ['new', 'open', 'pending', 'on-hold', 'solved', 'closed'];
const SLA_METRICS = ['firstResponse', 'nextResponse', 'resolution'];
const plain = (list: string[]): Choice[] => list.map((v) => ({ value: v, label: v }));

/** The choices a field picks from, or null when it is typed in. */
export function choicesFor(field: string, catalog: Catalog): Choice[] | null {
  switch (field) {
    case 'status':
      return catalog.statuses;
    case 'priority':
      return catalog.priorities;
    case 'type':
      return catalog.types;
    case 'statusCategory':
      return plain(STATUS_CATEGORIES);
    case 'sla.metric':
      return plain(SLA_METRICS);
    case 'assigneeId':
    case 'requesterId':
    case 'comment.authorId':
      return catalog.users;
    case 'groupId':
      return catalog.groups;
    default:
      return null;
  }
}

const NUMERIC = new Set(['number', 'hoursSinceCreated', 'hoursSinceUpdated']);
const BOOLEAN = new Set(['comment.internal']);

/** Text typed into a list or a custom field keeps JSON's types (`7` → 7, `true` → true). */
const typed = (v: string): unknown => (/^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v === 'true' ? true : v === 'false' ? false : v === 'null' ? null : v);

export interface ValueInputOptions {
  id: string;
  label: string;
  field: string;
  list: boolean;
  value: unknown;
  catalog: Catalog;
  invalid: boolean;
  describedBy: string;
  onChange: (value: unknown) => void;
}

export function valueInput(o: ValueInputOptions) {
  const choices = choicesFor(o.field, o.catalog);
  const invalid = o.invalid ? 'true' : 'false';
  if (o.list) {
    const text = Array.isArray(o.value) ? o.value.join(', ') : o.value == null ? '' : String(o.value);
    const hint = choices?.length ? choices.map((c) => c.value).join(', ') : '';
    return html`<input id=${o.id} aria-label=${o.label} aria-invalid=${invalid} aria-describedby=${o.describedBy} .value=${text} title=${hint}
      @change=${(e: Event) => o.onChange((e.target as HTMLInputElement).value.split(',').map((s) => s.trim()).filter(Boolean).map((s) => (NUMERIC.has(o.field) ? Number(s) : typed(s))))} />`;
  }
  if (choices) {
    const current = o.value == null ? '' : String(o.value);
    const known = choices.some((c) => c.value === current);
    return html`<select id=${o.id} aria-label=${o.label} aria-invalid=${invalid} aria-describedby=${o.describedBy} @change=${(e: Event) => o.onChange((e.target as HTMLSelectElement).value)}>
      <option value="" ?selected=${current === ''}>—</option>
      ${known || !current ? '' : html`<option .value=${current} selected>${current}</option>`}
      ${choices.map((c) => html`<option .value=${c.value} ?selected=${c.value === current}>${c.label}</option>`)}
    </select>`;
  }
  if (BOOLEAN.has(o.field)) {
    return html`<select id=${o.id} aria-label=${o.label} aria-invalid=${invalid} aria-describedby=${o.describedBy} @change=${(e: Event) => o.onChange((e.target as HTMLSelectElement).value === 'true')}>
      <option value="true" ?selected=${o.value === true}>true</option>
      <option value="false" ?selected=${o.value === false}>false</option>
    </select>`;
  }
  const numeric = NUMERIC.has(o.field);
  return html`<input id=${o.id} aria-label=${o.label} aria-invalid=${invalid} aria-describedby=${o.describedBy} type=${numeric ? 'number' : 'text'} .value=${o.value == null ? '' : String(o.value)}
    @change=${(e: Event) => {
      const raw = (e.target as HTMLInputElement).value;
      o.onChange(numeric && raw !== '' ? Number(raw) : o.field.startsWith('customFields.') ? typed(raw) : raw);
    }} />`;
}
