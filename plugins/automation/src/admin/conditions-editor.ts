/**
 * `<to-automation-conditions>`: a rule's conditions as forms — an "all of" and an "any of" list,
 * each item a predicate (field, operator filtered by the field's kind, value control by kind) or
 * a nested group, at most three groups deep like the API allows. Fires `conditions-change` with the group;
 * the API's errors (by path under `conditions`) show beside the control they name.
 */
import { I18nController, LitElement, html, nothing, t } from '@ticketops/admin-ui/plugin-api';
import type { ConditionGroup, ConditionItem, Predicate } from '../model/conditions.ts';
import { FIELDS, type FieldKind, OPERATORS_BY_KIND, type Operator, UNARY, fieldKind } from '../model/fields.ts';
import { type Catalog, emptyCatalog } from './catalog.ts';
import { errorsAt, errorsUnder } from './form-errors.ts';
import { formStyles } from './form-styles.ts';
import { valueInput } from './value-input.ts';

const MAX_DEPTH = 3;
const LISTS: ReadonlySet<Operator> = new Set(['in', 'notIn']);
const isGroup = (item: ConditionItem): item is ConditionGroup => !('field' in item);
const domId = (path: string) => `c-${path.replaceAll('/', '-')}`;

export class ToAutomationConditions extends LitElement {
  static properties = { group: { attribute: false }, catalog: { attribute: false }, errors: { attribute: false } };
  static styles = [formStyles];

  declare group: ConditionGroup;
  declare catalog: Catalog;
  declare errors: Map<string, string[]>;

  constructor() {
    super();
    this.group = {};
    this.catalog = emptyCatalog();
    this.errors = new Map();
    new I18nController(this);
  }

  /** Applies a change to a copy of the whole group and tells the form. */
  #change(mutate: (root: ConditionGroup) => void): void {
    const root = structuredClone(this.group);
    mutate(root);
    for (const key of ['all', 'any'] as const) if (root[key]?.length === 0) delete root[key];
    this.group = root;
    this.dispatchEvent(new CustomEvent('conditions-change', { detail: root }));
  }

  /** The list at `path` (e.g. `all/1/any`) inside `root`. */
  #listAt(root: ConditionGroup, path: string[]): ConditionItem[] {
    let node: unknown = root;
    for (const key of path.slice(0, -1)) node = (node as Record<string, unknown>)[key];
    const group = node as ConditionGroup;
    const key = path.at(-1) as 'all' | 'any';
    group[key] ??= [];
    return group[key]!;
  }

  #where(path: string[]): string {
    const parts: string[] = [];
    for (let i = 0; i < path.length; i += 2) {
      const word = path[i] === 'all' ? t('automation:allShort') : t('automation:anyShort');
      parts.push(path[i + 1] === undefined ? word : `${word} ${Number(path[i + 1]) + 1}`);
    }
    return parts.join(' › ');
  }

  #predicate(item: Predicate, path: string[]) {
    const key = path.join('/');
    const where = this.#where(path);
    const kind: FieldKind | null = fieldKind(item.field);
    const operators = kind ? OPERATORS_BY_KIND[kind] : [];
    const unary = UNARY.has(item.operator);
    const at = (part: string) => errorsAt(this.errors, `conditions/${key}/${part}`);
    const fieldProblems = [...errorsAt(this.errors, `conditions/${key}`), ...at('field')];
    const update = (change: Partial<Predicate>) => this.#change((root) => {
      const list = this.#listAt(root, path.slice(0, -1));
      const next = { ...(list[Number(path.at(-1))] as Predicate), ...change };
      if (UNARY.has(next.operator)) delete next.value;
      list[Number(path.at(-1))] = next;
    });
    const custom = item.field.startsWith('customFields.');
    return html`<div class="predicate" data-path=${key}>
      <div class="row">
        <div class="field">
          <select id=${domId(`${key}-field`)} aria-label=${t('automation:conditionField', { where })} aria-invalid=${fieldProblems.length ? 'true' : 'false'} aria-describedby=${domId(`${key}-errors`)}
            @change=${(e: Event) => {
              const field = (e.target as HTMLSelectElement).value;
              const allowed = OPERATORS_BY_KIND[fieldKind(field === 'customFields.' ? 'customFields.key' : field) ?? 'text'];
              update({ field: field === 'customFields.' ? 'customFields.' : field, operator: allowed.includes(item.operator) ? item.operator : allowed[0]!, value: undefined });
            }}>
            ${Object.keys(FIELDS).map((f) => html`<option .value=${f} ?selected=${f === item.field}>${t(`automation:field.${f}`, { defaultValue: f })}</option>`)}
            <option value="customFields." ?selected=${custom}>${t('automation:customField')}</option>
          </select>
          ${custom ? html`<input aria-label=${t('automation:customFieldKey', { where })} .value=${item.field.slice('customFields.'.length)} @change=${(e: Event) => update({ field: `customFields.${(e.target as HTMLInputElement).value.trim()}` })} />` : nothing}
        </div>
        <div class="field">
          <select aria-label=${t('automation:conditionOperator', { where })} aria-invalid=${at('operator').length ? 'true' : 'false'} aria-describedby=${domId(`${key}-errors`)}
            @change=${(e: Event) => update({ operator: (e.target as HTMLSelectElement).value as Operator })}>
            ${(operators.length ? operators : OPERATORS_BY_KIND.json).map((op) => html`<option .value=${op} ?selected=${op === item.operator}>${t(`automation:op.${op}`, { defaultValue: op })}</option>`)}
          </select>
        </div>
        ${unary
          ? nothing
          : html`<div class="field">${valueInput({
              id: domId(`${key}-value`), label: t('automation:conditionValue', { where }), field: item.field, list: LISTS.has(item.operator), value: item.value, catalog: this.catalog,
              invalid: errorsUnder(this.errors, `conditions/${key}/value`).length > 0, describedBy: domId(`${key}-errors`), onChange: (value) => update({ value }),
            })}</div>`}
        <button type="button" class="danger" aria-label=${t('automation:removeCondition', { where })} @click=${() => this.#change((root) => this.#listAt(root, path.slice(0, -1)).splice(Number(path.at(-1)), 1))}>✕</button>
      </div>
      <div id=${domId(`${key}-errors`)}>${errorsUnder(this.errors, `conditions/${key}`).map((m) => html`<p class="field-error">${m}</p>`)}</div>
    </div>`;
  }

  /** One `all` or `any` list of the group at `path` (depth 1 is the rule's own group). */
  #list(group: ConditionGroup, base: string[], key: 'all' | 'any', depth: number): unknown {
    const path = [...base, key];
    const where = this.#where(path);
    const items = group[key] ?? [];
    return html`<fieldset data-list=${path.join('/')}>
      <legend>${key === 'all' ? t('automation:allOf') : t('automation:anyOf')}${base.length ? html` <span class="quiet">(${this.#where(base)})</span>` : nothing}</legend>
      ${items.map((item, i) => (isGroup(item) ? this.#group(item, [...path, String(i)], depth + 1) : this.#predicate(item, [...path, String(i)])))}
      ${errorsAt(this.errors, `conditions/${path.join('/')}`).map((m) => html`<p class="field-error">${m}</p>`)}
      <div class="actions">
        <button type="button" aria-label=${t('automation:addConditionTo', { where })} @click=${() => this.#change((root) => this.#listAt(root, path).push({ field: 'priority', operator: 'equals', value: '' }))}>${t('automation:addCondition')}</button>
        ${depth < MAX_DEPTH
          ? html`<button type="button" aria-label=${t('automation:addGroupTo', { where })} @click=${() => this.#change((root) => this.#listAt(root, path).push({ any: [{ field: 'priority', operator: 'equals', value: '' }] }))}>${t('automation:addGroup')}</button>`
          : nothing}
      </div>
    </fieldset>`;
  }

  #group(group: ConditionGroup, path: string[], depth: number): unknown {
    const nested = path.length > 0;
    return html`<div class=${nested ? 'group nested' : 'group'} data-group=${path.join('/')}>
      ${this.#list(group, path, 'all', depth)} ${this.#list(group, path, 'any', depth)}
      ${nested
        ? html`<div class="actions"><button type="button" class="danger" @click=${() => this.#change((root) => this.#listAt(root, path.slice(0, -1)).splice(Number(path.at(-1)), 1))}>${t('automation:removeGroup', { where: this.#where(path) })}</button></div>`
        : nothing}
    </div>`;
  }

  render() {
    return this.#group(this.group ?? {}, [], 1);
  }
}

customElements.define('to-automation-conditions', ToAutomationConditions);
