/**
 * `<to-sla-policy-form>`: creates or changes one SLA policy — name, active, calendar, conditions
 * (priorities, types, tags, groups, organizations), targets per priority with the live due-time
 * preview, pause statuses, warning threshold and escalation levels. The API's field errors show
 * beside their fields. Fires `saved` with the policy.
 */
import { ContextConsumer, I18nController, LitElement, apiContext, html, nothing, t } from '@ticketops/admin-ui/plugin-api';
import './choice-picker.ts';
import type { Choice } from './choice-picker.ts';
import './escalations-editor.ts';
import './targets-editor.ts';
import { type Calendar, type EscalationLevel, type Policy, type Targets, errorsUnder, fieldErrors, formStyles } from './shared.ts';

type Draft = Omit<Policy, 'id' | 'position'> & { id?: string };
export interface PolicyCatalog {
  calendars: Calendar[];
  priorities: string[];
  statuses: { name: string; category: string }[];
  /** Ticket type names, the custom fields their schemas define, groups and organizations by id. */
  types: string[];
  customFields: string[];
  groups: Choice[];
  organizations: Choice[];
}

const TAG_CONDITIONS = ['tagsAll', 'tagsAny', 'tagsNone'] as const;
interface CustomFieldRow {
  name: string;
  values: (string | number | boolean | null)[];
}
const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);
/** `7` → 7, `true` → true, `null` → null, anything else stays text (custom-field values keep JSON types). */
const typed = (v: string): string | number | boolean | null => (/^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v === 'true' ? true : v === 'false' ? false : v === 'null' ? null : v);

export class ToSlaPolicyForm extends LitElement {
  static properties = { policy: { attribute: false }, catalog: { attribute: false }, draft: { state: true }, errors: { state: true }, busy: { state: true }, cfRows: { state: true } };
  static styles = [formStyles];

  declare policy: Policy | null;
  declare catalog: PolicyCatalog;
  declare draft: Draft;
  declare errors: Map<string, string[]>;
  declare busy: boolean;
  declare cfRows: CustomFieldRow[];
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.policy = null;
    this.catalog = { calendars: [], priorities: [], statuses: [], types: [], customFields: [], groups: [], organizations: [] };
    this.draft = this.#blank();
    this.errors = new Map();
    this.busy = false;
    this.cfRows = [];
    new I18nController(this);
  }

  #blank(): Draft {
    return { name: '', active: true, calendarId: this.catalog?.calendars[0]?.id ?? '', conditions: {}, targets: {}, pauseStatuses: null, warningPercent: 80, escalations: [] };
  }

  willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('policy')) {
      this.errors = new Map();
      if (this.policy) {
        const { id, name, active, calendarId, conditions, targets, pauseStatuses, warningPercent, escalations } = this.policy;
        this.draft = { id, name, active, calendarId, conditions: conditions ?? {}, targets, pauseStatuses, warningPercent, escalations: escalations ?? [] };
      } else this.draft = this.#blank();
      const custom = (this.draft.conditions as { customFields?: Record<string, unknown> }).customFields ?? {};
      this.cfRows = Object.entries(custom).map(([name, v]) => ({ name, values: (Array.isArray(v) ? v : [v]) as CustomFieldRow['values'] }));
    }
    if (changed.has('catalog') && !this.draft.calendarId && this.catalog.calendars[0]) this.draft = { ...this.draft, calendarId: this.catalog.calendars[0].id };
  }

  #patch(change: Partial<Draft>): void {
    this.draft = { ...this.draft, ...change };
  }

  #condition(key: string, value: string[] | null): void {
    const conditions = { ...this.draft.conditions };
    if (value?.length) conditions[key] = value;
    else delete conditions[key];
    this.#patch({ conditions });
  }

  async #save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const api = this.#api.value;
    if (!api) return;
    const { id, ...body } = this.draft;
    this.busy = true;
    this.errors = new Map();
    try {
      const saved = id ? (await api.request<Policy>('PATCH', `/sla/policies/${encodeURIComponent(id)}`, { body })).data : await api.post<Policy>('/sla/policies', body);
      this.policy = saved;
      this.dispatchEvent(new CustomEvent('saved', { detail: saved, bubbles: true, composed: true }));
    } catch (error) {
      this.errors = fieldErrors(error);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"], .problem')?.focus();
    } finally {
      this.busy = false;
    }
  }

  #errorText(path: string, id: string) {
    const messages = errorsUnder(this.errors, path);
    return messages.length ? html`<p class="field-error" id=${id}>${messages.join(' ')}</p>` : nothing;
  }

  #checkboxes(legend: string, path: string, options: string[], chosen: string[], set: (values: string[]) => void) {
    return html`<fieldset>
      <legend>${legend}</legend>
      <div class="actions">
        ${options.map((option, i) => html`<span class="check"><input type="checkbox" id="${path}-${i}" .checked=${chosen.includes(option)} @change=${(e: Event) => set((e.target as HTMLInputElement).checked ? [...chosen, option] : chosen.filter((c) => c !== option))} /><label for="${path}-${i}">${option}</label></span>`)}
      </div>
      ${this.#errorText(path, `err-${path.replace(/\W/g, '-')}`)}
    </fieldset>`;
  }

  #conditions() {
    const c = this.draft.conditions as Record<string, unknown>;
    const values = (key: string) => (Array.isArray(c[key]) ? (c[key] as unknown[]).map((v) => (v === null ? '' : String(v))) : []);
    const raw = (key: string) => (Array.isArray(c[key]) ? (c[key] as (string | null)[]) : []);
    const types: Choice[] = [...this.catalog.types.map((name) => ({ value: name, label: name })), { value: null, label: t('sla:noType') }];
    const picker = (key: 'types' | 'groupIds' | 'organizationIds', options: Choice[]) => html`<div>
      <to-sla-choice-picker .label=${t(`sla:cond.${key}`)} .options=${options} .chosen=${raw(key)} data-condition=${key}
        @change=${(e: CustomEvent<(string | null)[]>) => this.#condition(key, e.detail as string[])}></to-sla-choice-picker>
      ${this.#errorText(`conditions/${key}`, `err-c-${key}`)}
    </div>`;
    return html`<fieldset>
      <legend>${t('sla:conditions')}</legend>
      <p class="hint">${t('sla:conditionsHint')}</p>
      ${this.#checkboxes(t('sla:cond.priorities'), 'conditions/priorities', this.catalog.priorities, values('priorities'), (v) => this.#condition('priorities', v))}
      <div class="row">
        ${picker('types', types)} ${picker('groupIds', this.catalog.groups)} ${picker('organizationIds', this.catalog.organizations)}
      </div>
      ${this.#customFields()}
      <div class="row">
        ${TAG_CONDITIONS.map((key) => {
          const invalid = errorsUnder(this.errors, `conditions/${key}`).length > 0;
          return html`<div class="field">
            <label for="c-${key}">${t(`sla:cond.${key}`)}</label>
            <input id="c-${key}" .value=${values(key).join(', ')} aria-invalid=${invalid ? 'true' : 'false'} aria-describedby="c-${key}-hint${invalid ? ` err-c-${key}` : ''}" @change=${(e: Event) => this.#condition(key, list((e.target as HTMLInputElement).value))} />
            <p class="hint" id="c-${key}-hint">${t('sla:commaSeparated')}</p>
            ${this.#errorText(`conditions/${key}`, `err-c-${key}`)}
          </div>`;
        })}
      </div>
    </fieldset>`;
  }

  /** Conditions on custom fields: a field name and the values any of which matches (rows without a name are not sent). */
  #customFields() {
    const rows = this.cfRows;
    const set = (next: CustomFieldRow[]) => {
      this.cfRows = next;
      const conditions = { ...this.draft.conditions } as Record<string, unknown>;
      const named = next.filter((row) => row.name.trim());
      if (named.length) conditions.customFields = Object.fromEntries(named.map((row) => [row.name.trim(), row.values]));
      else delete conditions.customFields;
      this.#patch({ conditions } as Partial<Draft>);
    };
    const change = (i: number, row: Partial<CustomFieldRow>) => set(rows.map((r, j) => (j === i ? { ...r, ...row } : r)));
    return html`<fieldset data-condition="customFields">
      <legend>${t('sla:cond.customFields')}</legend>
      <datalist id="custom-field-names">${this.catalog.customFields.map((name) => html`<option value=${name}></option>`)}</datalist>
      ${rows.map((row, i) => html`<div class="row">
        <div class="field">
          <label for="cf-name-${i}">${t('sla:customField')}</label>
          <input id="cf-name-${i}" list="custom-field-names" .value=${row.name} @change=${(e: Event) => change(i, { name: (e.target as HTMLInputElement).value.trim() })} />
        </div>
        <div class="field">
          <label for="cf-values-${i}">${t('sla:customValues')}</label>
          <input id="cf-values-${i}" .value=${row.values.map(String).join(', ')} aria-describedby="cf-hint" @change=${(e: Event) => change(i, { values: list((e.target as HTMLInputElement).value).map(typed) })} />
        </div>
        <button type="button" aria-label=${t('sla:removeCustomField', { field: row.name || '…' })} @click=${() => set(rows.filter((_, j) => j !== i))}>×</button>
      </div>`)}
      <p class="hint" id="cf-hint">${t('sla:customValuesHint')}</p>
      ${this.#errorText('conditions/customFields', 'err-c-customFields')}
      <button type="button" @click=${() => set([...rows, { name: this.catalog.customFields.find((f) => !rows.some((r) => r.name === f)) ?? '', values: [] }])}>${t('sla:addCustomField')}</button>
    </fieldset>`;
  }

  #pause() {
    const custom = this.draft.pauseStatuses !== null;
    return html`<fieldset>
      <legend>${t('sla:pauseStatuses')}</legend>
      <span class="check"><input type="radio" name="pause" id="pause-default" .checked=${!custom} @change=${() => this.#patch({ pauseStatuses: null })} /><label for="pause-default">${t('sla:pauseDefault')}</label></span>
      <span class="check"><input type="radio" name="pause" id="pause-custom" .checked=${custom} @change=${() => this.#patch({ pauseStatuses: this.catalog.statuses.filter((s) => s.category === 'pending' || s.category === 'on-hold').map((s) => s.name) })} /><label for="pause-custom">${t('sla:pauseCustom')}</label></span>
      ${custom ? this.#checkboxes(t('sla:pauseWhich'), 'pauseStatuses', this.catalog.statuses.map((s) => s.name), this.draft.pauseStatuses ?? [], (v) => this.#patch({ pauseStatuses: v })) : this.#errorText('pauseStatuses', 'err-pause')}
    </fieldset>`;
  }

  render() {
    const d = this.draft;
    const calendar = this.catalog.calendars.find((c) => c.id === d.calendarId);
    const general = this.errors.get('') ?? [];
    const invalid = (path: string) => (errorsUnder(this.errors, path).length ? 'true' : 'false');
    // Only ids that are on the page: the hint, and the error once there is one.
    const refs = (path: string, error: string, hint = '') => [hint, errorsUnder(this.errors, path).length ? error : ''].filter(Boolean).join(' ') || nothing;
    return html`<form @submit=${this.#save} novalidate aria-label=${d.id ? t('sla:editPolicy', { name: this.policy?.name ?? '' }) : t('sla:newPolicy')}>
      ${general.length ? html`<p class="problem" role="alert" tabindex="-1">${general.join(' ')}</p>` : nothing}
      <div class="row">
        <div class="field">
          <label for="p-name">${t('sla:name')}</label>
          <input id="p-name" .value=${d.name} aria-invalid=${invalid('name')} aria-describedby=${refs('name', 'err-p-name')} @input=${(e: Event) => this.#patch({ name: (e.target as HTMLInputElement).value })} />
          ${this.#errorText('name', 'err-p-name')}
        </div>
        <div class="field">
          <label for="p-calendar">${t('sla:calendar')}</label>
          <select id="p-calendar" aria-invalid=${invalid('calendarId')} aria-describedby=${refs('calendarId', 'err-p-calendar')} @change=${(e: Event) => this.#patch({ calendarId: (e.target as HTMLSelectElement).value })}>
            ${d.calendarId ? nothing : html`<option value="" selected>${t('sla:chooseCalendar')}</option>`}
            ${this.catalog.calendars.map((c) => html`<option value=${c.id} ?selected=${c.id === d.calendarId}>${c.name} (${c.timeZone})</option>`)}
          </select>
          ${this.#errorText('calendarId', 'err-p-calendar')}
        </div>
        <div class="field">
          <label for="p-warning">${t('sla:warningPercent')}</label>
          <input id="p-warning" class="minutes" type="number" min="1" max="99" .value=${d.warningPercent === null ? '' : String(d.warningPercent)} aria-invalid=${invalid('warningPercent')} aria-describedby=${refs('warningPercent', 'err-p-warning', 'p-warning-hint')} @input=${(e: Event) => {
            const v = (e.target as HTMLInputElement).value;
            this.#patch({ warningPercent: v === '' ? null : Number(v) });
          }} />
          <p class="hint" id="p-warning-hint">${t('sla:warningHint')}</p>
          ${this.#errorText('warningPercent', 'err-p-warning')}
        </div>
      </div>
      <span class="check"><input type="checkbox" id="p-active" .checked=${d.active} @change=${(e: Event) => this.#patch({ active: (e.target as HTMLInputElement).checked })} /><label for="p-active">${t('sla:active')}</label></span>
      ${this.#conditions()}
      <to-sla-targets .targets=${d.targets} .priorities=${this.catalog.priorities} .calendarId=${d.calendarId} .timeZone=${calendar?.timeZone} .errors=${this.errors} @targets-changed=${(e: CustomEvent<Targets>) => this.#patch({ targets: e.detail })}></to-sla-targets>
      ${this.#pause()}
      <to-sla-escalations .levels=${d.escalations} .priorities=${this.catalog.priorities} .errors=${this.errors} @escalations-changed=${(e: CustomEvent<EscalationLevel[]>) => this.#patch({ escalations: e.detail })}></to-sla-escalations>
      <div class="actions">
        <button class="primary" type="submit" ?disabled=${this.busy}>${t('sla:savePolicy')}</button>
        <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('cancel', { bubbles: true, composed: true }))}>${t('sla:cancel')}</button>
      </div>
    </form>`;
  }
}

customElements.define('to-sla-policy-form', ToSlaPolicyForm);

declare global {
  interface HTMLElementTagNameMap {
    'to-sla-policy-form': ToSlaPolicyForm;
  }
}
