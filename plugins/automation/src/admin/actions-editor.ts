/**
 * `<to-automation-actions>`: a rule's (or macro's) actions as forms — one form per action type of
 * the action schema, with pickers for statuses, priorities, users, groups and macros, and a
 * placeholder picker for note, reply and notification templates. Fires `actions-change` with the list;
 * the API's errors (by path under `actions`) show beside their control.
 */
import { I18nController, LitElement, html, nothing, t } from '@ticketops/admin-ui/plugin-api';
import type { Action } from '../model/actions.ts';
import './approval-steps-editor.ts';
import type { ApprovalStep } from './approval-steps-editor.ts';
import { type Catalog, type Choice, emptyCatalog } from './catalog.ts';
import { errorsAt, errorsUnder } from './form-errors.ts';
import { formStyles } from './form-styles.ts';
import { valueInput } from './value-input.ts';

type Draft = Record<string, unknown> & { type: string };
const TYPES = ['set_field', 'add_tags', 'remove_tags', 'assign', 'add_note', 'raise_priority', 'notify', 'webhook', 'apply_macro', 'request_approval'] as const;
/** What a new action of each type starts as. */
const BLANK: Record<string, Draft> = {
  set_field: { type: 'set_field', field: 'priority', value: '' },
  add_tags: { type: 'add_tags', tags: [] },
  remove_tags: { type: 'remove_tags', tags: [] },
  assign: { type: 'assign', userId: null, groupId: null },
  add_note: { type: 'add_note', body: '', internal: true },
  raise_priority: { type: 'raise_priority' },
  notify: { type: 'notify', body: '', assignee: true },
  webhook: { type: 'webhook', integrationId: '' },
  apply_macro: { type: 'apply_macro', macroId: '' },
  request_approval: { type: 'request_approval', steps: [{ mode: 'any' }] },
};
/** Handlebars placeholders a template may use (over `{ ticket, event }`), and the registered helpers. */
const PLACEHOLDERS = ['{{ticket.number}}', '{{ticket.title}}', '{{ticket.status}}', '{{ticket.priority}}', '{{ticket.requesterId}}', '{{event.type}}', '{{upper ticket.title}}', '{{date ticket.createdAt}}'];
const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);
const domId = (path: string) => `a-${path.replaceAll('/', '-')}`;

export class ToAutomationActions extends LitElement {
  static properties = { actions: { attribute: false }, catalog: { attribute: false }, errors: { attribute: false } };
  static styles = [formStyles];

  declare actions: Action[];
  declare catalog: Catalog;
  declare errors: Map<string, string[]>;

  constructor() {
    super();
    this.actions = [];
    this.catalog = emptyCatalog();
    this.errors = new Map();
    new I18nController(this);
  }

  #emit(next: Draft[]): void {
    this.actions = next as unknown as Action[];
    this.dispatchEvent(new CustomEvent('actions-change', { detail: next }));
  }

  #set(i: number, change: Record<string, unknown>): void {
    const next = structuredClone(this.actions) as unknown as Draft[];
    const merged: Draft = { ...next[i]!, ...change };
    for (const [key, value] of Object.entries(change)) if (value === undefined) delete merged[key];
    next[i] = merged;
    this.#emit(next);
  }

  /** A labelled control with its errors below; `aria-invalid` when the API named this path. */
  #control(i: number, key: string, label: string, control: (id: string, invalid: string, describedBy: string) => unknown) {
    const path = `actions/${i}/${key}`;
    const problems = errorsUnder(this.errors, path);
    const id = domId(path);
    return html`<div class="field">
      <label for=${id}>${label}</label>
      ${control(id, problems.length ? 'true' : 'false', `${id}-errors`)}
      <div id=${`${id}-errors`}>${problems.map((m) => html`<p class="field-error">${m}</p>`)}</div>
    </div>`;
  }

  #text(i: number, key: string, label: string, value: unknown, multi = false) {
    return this.#control(i, key, label, (id, invalid, describedBy) =>
      multi
        ? html`<textarea id=${id} aria-invalid=${invalid} aria-describedby=${describedBy} .value=${String(value ?? '')} @change=${(e: Event) => this.#set(i, { [key]: (e.target as HTMLTextAreaElement).value })}></textarea>`
        : html`<input id=${id} aria-invalid=${invalid} aria-describedby=${describedBy} .value=${String(value ?? '')} @change=${(e: Event) => this.#set(i, { [key]: (e.target as HTMLInputElement).value || undefined })} />`,
    );
  }

  #tags(i: number, key: string, label: string, value: unknown) {
    return this.#control(i, key, label, (id, invalid, describedBy) => html`<input id=${id} aria-invalid=${invalid} aria-describedby=${describedBy} .value=${((value as string[]) ?? []).join(', ')}
      @change=${(e: Event) => this.#set(i, { [key]: list((e.target as HTMLInputElement).value) })} />`);
  }

  /** A picker; `none` is the label of the empty choice and `empty` what it stores. */
  #pick(i: number, key: string, label: string, value: unknown, choices: Choice[], none: string, empty: unknown) {
    return this.#control(i, key, label, (id, invalid, describedBy) => html`<select id=${id} aria-invalid=${invalid} aria-describedby=${describedBy}
      @change=${(e: Event) => {
        const v = (e.target as HTMLSelectElement).value;
        this.#set(i, { [key]: v === '' ? empty : v });
      }}>
      <option value="" ?selected=${!value}>${none}</option>
      ${choices.map((c) => html`<option .value=${c.value} ?selected=${c.value === value}>${c.label}</option>`)}
    </select>`);
  }

  #many(i: number, key: string, label: string, value: unknown, choices: Choice[]) {
    const chosen = new Set((value as string[]) ?? []);
    return this.#control(i, key, label, (id, invalid, describedBy) => html`<select id=${id} multiple size="4" aria-invalid=${invalid} aria-describedby=${describedBy}
      @change=${(e: Event) => {
        const picked = [...(e.target as HTMLSelectElement).selectedOptions].map((o) => o.value);
        this.#set(i, { [key]: picked.length ? picked : undefined });
      }}>
      ${choices.map((c) => html`<option .value=${c.value} ?selected=${chosen.has(c.value)}>${c.label}</option>`)}
    </select>`);
  }

  #check(i: number, key: string, label: string, value: boolean) {
    const id = domId(`actions/${i}/${key}`);
    return html`<div class="check"><input type="checkbox" id=${id} .checked=${value} @change=${(e: Event) => this.#set(i, { [key]: (e.target as HTMLInputElement).checked })} /><label for=${id}>${label}</label></div>`;
  }

  /** Template body with a placeholder picker that appends the chosen placeholder. */
  #template(i: number, a: Draft, label: string) {
    return html`${this.#text(i, 'body', label, a.body, true)}
      <div class="field">
        <label for=${domId(`actions/${i}/placeholder`)}>${t('automation:insertPlaceholder')}</label>
        <select id=${domId(`actions/${i}/placeholder`)} @change=${(e: Event) => {
          const select = e.target as HTMLSelectElement;
          if (select.value) this.#set(i, { body: `${String(a.body ?? '')}${select.value}` });
          select.value = '';
        }}>
          <option value="">—</option>
          ${PLACEHOLDERS.map((p) => html`<option .value=${p}>${p}</option>`)}
        </select>
      </div>`;
  }

  #fields(a: Draft, i: number) {
    const c = this.catalog;
    switch (a.type) {
      case 'set_field': {
        const fieldId = domId(`actions/${i}/field`);
        const valuePath = `actions/${i}/value`;
        return html`<div class="row">
          ${this.#control(i, 'field', t('automation:setField'), (id, invalid, describedBy) => html`<select id=${id} aria-invalid=${invalid} aria-describedby=${describedBy} @change=${(e: Event) => this.#set(i, { field: (e.target as HTMLSelectElement).value, value: '' })}>
            ${['status', 'priority', 'type'].map((f) => html`<option .value=${f} ?selected=${a.field === f}>${t(`automation:field.${f}`)}</option>`)}
            ${String(a.field).startsWith('customFields.') ? html`<option .value=${String(a.field)} selected>${String(a.field)}</option>` : nothing}
          </select>`)}
          <div class="field">
            <label for=${`${fieldId}-value`}>${t('automation:toValue')}</label>
            ${valueInput({ id: `${fieldId}-value`, label: t('automation:toValue'), field: String(a.field), list: false, value: a.value, catalog: c, invalid: errorsUnder(this.errors, valuePath).length > 0, describedBy: `${fieldId}-value-errors`, onChange: (value) => this.#set(i, { value }) })}
            <div id=${`${fieldId}-value-errors`}>${errorsUnder(this.errors, valuePath).map((m) => html`<p class="field-error">${m}</p>`)}</div>
          </div>
        </div>`;
      }
      case 'add_tags':
      case 'remove_tags':
        return this.#tags(i, 'tags', t('automation:tagsList'), a.tags);
      case 'assign':
        return html`<div class="row">${this.#pick(i, 'userId', t('automation:assignUser'), a.userId, c.users, t('automation:unassigned'), null)}${this.#pick(i, 'groupId', t('automation:assignGroup'), a.groupId, c.groups, t('automation:unassigned'), null)}</div>`;
      case 'add_note':
        return html`${this.#template(i, a, t('automation:noteBody'))}${this.#check(i, 'internal', t('automation:internalNote'), a.internal !== false)}`;
      case 'raise_priority':
        return this.#pick(i, 'to', t('automation:raiseTo'), a.to, c.priorities, t('automation:oneStepUp'), undefined);
      case 'notify':
        return html`${this.#text(i, 'subject', t('automation:subject'), a.subject)}${this.#template(i, a, t('automation:message'))}
          <div class="row">${this.#many(i, 'userIds', t('automation:notifyUsers'), a.userIds, c.users)}${this.#many(i, 'groupIds', t('automation:notifyGroups'), a.groupIds, c.groups)}</div>
          ${this.#check(i, 'assignee', t('automation:notifyAssignee'), a.assignee === true)}${this.#check(i, 'requester', t('automation:notifyRequester'), a.requester === true)}`;
      case 'webhook':
        return this.#text(i, 'integrationId', t('automation:integration'), a.integrationId);
      case 'apply_macro':
        return this.#pick(i, 'macroId', t('automation:macro'), a.macroId, c.macros, '—', '');
      case 'request_approval':
        return html`${this.#text(i, 'title', t('automation:approvalTitle'), a.title)}
          <fieldset>
            <legend>${t('automation:approvalSteps')}</legend>
            <to-automation-approval-steps .steps=${(a.steps as ApprovalStep[]) ?? []} .catalog=${c} .errors=${this.errors} path=${`actions/${i}/steps`}
              @steps-change=${(e: CustomEvent<ApprovalStep[]>) => this.#set(i, { steps: e.detail })}></to-automation-approval-steps>
          </fieldset>
          <div class="row">${(['waitStatus', 'approvedStatus', 'rejectedStatus'] as const).map((k) => this.#pick(i, k, t(`automation:${k}`), a[k], c.statuses, t('automation:statusBefore'), undefined))}</div>`;
      default:
        return nothing;
    }
  }

  render() {
    const actions = (this.actions ?? []) as unknown as Draft[];
    return html`<fieldset>
      <legend>${t('automation:actions')}</legend>
      ${actions.map((a, i) => html`<div class="card" data-action=${i}>
        <div class="row">
          ${this.#control(i, 'type', t('automation:actionType', { n: i + 1 }), (id, invalid, describedBy) => html`<select id=${id} aria-invalid=${invalid} aria-describedby=${describedBy}
            @change=${(e: Event) => {
              const next = structuredClone(actions);
              next[i] = structuredClone(BLANK[(e.target as HTMLSelectElement).value]!);
              this.#emit(next);
            }}>
            ${TYPES.map((type) => html`<option .value=${type} ?selected=${a.type === type}>${t(`automation:action.${type}`)}</option>`)}
          </select>`)}
          <div class="actions">
            <button type="button" ?disabled=${i === 0} aria-label=${t('automation:moveUp', { n: i + 1 })} @click=${() => this.#emit(actions.toSpliced(i - 1, 2, actions[i]!, actions[i - 1]!))}>↑</button>
            <button type="button" ?disabled=${i === actions.length - 1} aria-label=${t('automation:moveDown', { n: i + 1 })} @click=${() => this.#emit(actions.toSpliced(i, 2, actions[i + 1]!, actions[i]!))}>↓</button>
            <button type="button" class="danger" aria-label=${t('automation:removeAction', { n: i + 1 })} @click=${() => this.#emit(actions.toSpliced(i, 1))}>✕</button>
          </div>
        </div>
        ${this.#fields(a, i)}
        ${errorsAt(this.errors, `actions/${i}`).map((m) => html`<p class="field-error">${m}</p>`)}
      </div>`)}
      ${errorsAt(this.errors, 'actions').map((m) => html`<p class="field-error">${m}</p>`)}
      <div class="actions"><button type="button" @click=${() => this.#emit([...actions, structuredClone(BLANK.add_tags!)])}>${t('automation:addAction')}</button></div>
    </fieldset>`;
  }
}

customElements.define('to-automation-actions', ToAutomationActions);
