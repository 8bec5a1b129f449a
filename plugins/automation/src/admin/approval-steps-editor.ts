/**
 * `<to-automation-approval-steps>`: a `request_approval` action's steps as forms — each step's
 * mode (any / all of its approvers), the agents and groups who approve and whether the requester's
 * manager does, in order, at most five (the action schema's limit). Fires `steps-change` with the
 * list; the API's errors under `actions/<i>/steps/<j>` show beside the step's controls.
 */
import { I18nController, LitElement, html, t } from '@ticketops/admin-ui/plugin-api';
import { type Catalog, type Choice, emptyCatalog } from './catalog.ts';
import { errorsAt, errorsUnder } from './form-errors.ts';
import { formStyles } from './form-styles.ts';

export interface ApprovalStep {
  mode: 'any' | 'all';
  userIds?: string[];
  groupIds?: string[];
  requesterManager?: boolean;
}

/** The action schema's `maxItems` for steps. */
const MAX_STEPS = 5;

export class ToAutomationApprovalSteps extends LitElement {
  static properties = { steps: { attribute: false }, catalog: { attribute: false }, errors: { attribute: false }, path: {} };
  static styles = [formStyles];

  declare steps: ApprovalStep[];
  declare catalog: Catalog;
  declare errors: Map<string, string[]>;
  /** Where the steps sit in the rule body (`actions/2/steps`), for ids and error lookup. */
  declare path: string;

  constructor() {
    super();
    this.steps = [];
    this.catalog = emptyCatalog();
    this.errors = new Map();
    this.path = 'steps';
    new I18nController(this);
  }

  #emit(next: ApprovalStep[]): void {
    this.steps = next;
    this.dispatchEvent(new CustomEvent('steps-change', { detail: next }));
  }

  #set(j: number, change: Partial<ApprovalStep>): void {
    const next = structuredClone(this.steps);
    const merged = { ...next[j]!, ...change };
    // Empty lists are left out rather than sent as [] so the stored rule stays minimal.
    for (const key of ['userIds', 'groupIds'] as const) if (merged[key]?.length === 0) delete merged[key];
    if (merged.requesterManager === false) delete merged.requesterManager;
    next[j] = merged;
    this.#emit(next);
  }

  #id(j: number, key: string): string {
    return `a-${this.path.replaceAll('/', '-')}-${j}-${key}`;
  }

  #errors(id: string, messages: string[]) {
    return html`<div id=${`${id}-errors`}>${messages.map((m) => html`<p class="field-error">${m}</p>`)}</div>`;
  }

  #many(j: number, key: 'userIds' | 'groupIds', label: string, choices: Choice[]) {
    const id = this.#id(j, key);
    const problems = errorsUnder(this.errors, `${this.path}/${j}/${key}`);
    const chosen = new Set(this.steps[j]?.[key] ?? []);
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <select id=${id} multiple size="4" aria-invalid=${problems.length ? 'true' : 'false'} aria-describedby=${`${id}-errors`}
        @change=${(e: Event) => this.#set(j, { [key]: [...(e.target as HTMLSelectElement).selectedOptions].map((o) => o.value) })}>
        ${choices.map((c) => html`<option .value=${c.value} ?selected=${chosen.has(c.value)}>${c.label}</option>`)}
      </select>
      ${this.#errors(id, problems)}
    </div>`;
  }

  #step(step: ApprovalStep, j: number) {
    const steps = this.steps;
    const modeId = this.#id(j, 'mode');
    const managerId = this.#id(j, 'manager');
    return html`<fieldset class="card" data-step=${j}>
      <legend>${t('automation:approvalStep', { n: j + 1 })}</legend>
      <div class="row">
        <div class="field">
          <label for=${modeId}>${t('automation:approvalMode')}</label>
          <select id=${modeId} aria-describedby=${`${modeId}-errors`} @change=${(e: Event) => this.#set(j, { mode: (e.target as HTMLSelectElement).value as 'any' | 'all' })}>
            <option value="any" ?selected=${step.mode !== 'all'}>${t('automation:approvalModeAny')}</option>
            <option value="all" ?selected=${step.mode === 'all'}>${t('automation:approvalModeAll')}</option>
          </select>
          ${this.#errors(modeId, errorsUnder(this.errors, `${this.path}/${j}/mode`))}
        </div>
        <div class="actions">
          <button type="button" ?disabled=${j === 0} aria-label=${t('automation:moveStepUp', { n: j + 1 })} @click=${() => this.#emit(steps.toSpliced(j - 1, 2, steps[j]!, steps[j - 1]!))}>↑</button>
          <button type="button" ?disabled=${j === steps.length - 1} aria-label=${t('automation:moveStepDown', { n: j + 1 })} @click=${() => this.#emit(steps.toSpliced(j, 2, steps[j + 1]!, steps[j]!))}>↓</button>
          <button type="button" class="danger" ?disabled=${steps.length === 1} aria-label=${t('automation:removeStep', { n: j + 1 })} @click=${() => this.#emit(steps.toSpliced(j, 1))}>✕</button>
        </div>
      </div>
      <div class="row">${this.#many(j, 'userIds', t('automation:approvers'), this.catalog.users)}${this.#many(j, 'groupIds', t('automation:approverGroups'), this.catalog.groups)}</div>
      <div class="check"><input type="checkbox" id=${managerId} .checked=${step.requesterManager === true} @change=${(e: Event) => this.#set(j, { requesterManager: (e.target as HTMLInputElement).checked })} /><label for=${managerId}>${t('automation:requesterManager')}</label></div>
      ${errorsAt(this.errors, `${this.path}/${j}`).map((m) => html`<p class="field-error">${m}</p>`)}
    </fieldset>`;
  }

  render() {
    const steps = this.steps ?? [];
    return html`${steps.map((step, j) => this.#step(step, j))}
      ${errorsAt(this.errors, this.path).map((m) => html`<p class="field-error">${m}</p>`)}
      <div class="actions">
        <button type="button" ?disabled=${steps.length >= MAX_STEPS} @click=${() => this.#emit([...steps, { mode: 'any' }])}>${t('automation:addStep')}</button>
      </div>`;
  }
}

customElements.define('to-automation-approval-steps', ToAutomationApprovalSteps);
