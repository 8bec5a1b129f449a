/**
 * `<to-sla-escalations>`: a policy's escalation levels — when (at the warning, at the breach, or
 * N business minutes after it), for which metric, and the actions (notify, reassign, raise the
 * priority). Ids are typed as comma-separated lists; the API checks them and its errors show
 * beside the level. Fires `escalations-changed`.
 */
import { I18nController, LitElement, html, nothing, t } from '@ticketops/admin-ui/plugin-api';
import { type EscalationAction, type EscalationLevel, METRICS, errorsUnder, formStyles } from './shared.ts';

const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);
const NEW_ACTION: Record<EscalationAction['type'], EscalationAction> = { notify: { type: 'notify', assignee: true }, reassign: { type: 'reassign' }, raise_priority: { type: 'raise_priority' } };

export class ToSlaEscalations extends LitElement {
  static properties = { levels: { attribute: false }, priorities: { attribute: false }, errors: { attribute: false } };
  static styles = [formStyles];

  declare levels: EscalationLevel[];
  declare priorities: string[];
  declare errors: Map<string, string[]>;

  constructor() {
    super();
    this.levels = [];
    this.priorities = [];
    this.errors = new Map();
    new I18nController(this);
  }

  #emit(levels: EscalationLevel[]): void {
    this.dispatchEvent(new CustomEvent('escalations-changed', { detail: levels, bubbles: true, composed: true }));
  }

  #setLevel(index: number, change: Partial<EscalationLevel>): void {
    this.#emit(this.levels.map((level, i) => (i === index ? { ...level, ...change } : level)));
  }

  #setAction(index: number, a: number, action: EscalationAction): void {
    this.#setLevel(index, { actions: this.levels[index]!.actions.map((x, j) => (j === a ? action : x)) });
  }

  #action(index: number, a: number, action: EscalationAction) {
    const n = { level: index + 1, n: a + 1 };
    const text = (label: string, value: string | undefined, apply: (v: string) => EscalationAction) =>
      html`<input class="grow" aria-label=${label} placeholder=${label} .value=${value ?? ''} @change=${(e: Event) => this.#setAction(index, a, apply((e.target as HTMLInputElement).value))} />`;
    let fields: unknown = nothing;
    if (action.type === 'notify') {
      fields = html`<label class="check"><input type="checkbox" .checked=${action.assignee ?? false} @change=${(e: Event) => this.#setAction(index, a, { ...action, assignee: (e.target as HTMLInputElement).checked || undefined })} />${t('sla:notifyAssignee')}</label>
        ${text(t('sla:userIds', n), action.userIds?.join(', '), (v) => ({ ...action, userIds: list(v).length ? list(v) : undefined }))}
        ${text(t('sla:groupIds', n), action.groupIds?.join(', '), (v) => ({ ...action, groupIds: list(v).length ? list(v) : undefined }))}`;
    } else if (action.type === 'reassign') {
      fields = html`${text(t('sla:groupId', n), action.groupId, (v) => ({ ...action, groupId: v.trim() || undefined }))}
        ${text(t('sla:userId', n), action.userId, (v) => ({ ...action, userId: v.trim() || undefined }))}`;
    } else {
      fields = html`<select aria-label=${t('sla:raiseTo', n)} @change=${(e: Event) => this.#setAction(index, a, { type: 'raise_priority', to: (e.target as HTMLSelectElement).value || undefined })}>
        <option value="" ?selected=${!action.to}>${t('sla:nextPriority')}</option>
        ${this.priorities.map((p) => html`<option value=${p} ?selected=${action.to === p}>${p}</option>`)}
      </select>`;
    }
    const messages = errorsUnder(this.errors, `escalations/${index}/actions/${a}`);
    return html`<div class="actions" data-action=${a}>
      <select aria-label=${t('sla:actionType', n)} @change=${(e: Event) => this.#setAction(index, a, NEW_ACTION[(e.target as HTMLSelectElement).value as EscalationAction['type']])}>
        ${(['notify', 'reassign', 'raise_priority'] as const).map((type) => html`<option value=${type} ?selected=${action.type === type}>${t(`sla:action.${type}`)}</option>`)}
      </select>
      ${fields}
      <button type="button" aria-label=${t('sla:removeAction', n)} @click=${() => this.#setLevel(index, { actions: this.levels[index]!.actions.filter((_, j) => j !== a) })}>${t('sla:remove')}</button>
      ${messages.length ? html`<p class="field-error">${messages.join(' ')}</p>` : nothing}
    </div>`;
  }

  #level(level: EscalationLevel, index: number) {
    const at = typeof level.at === 'string' ? level.at : 'after';
    const n = { level: index + 1 };
    const own = [...errorsUnder(this.errors, `escalations/${index}/at`), ...errorsUnder(this.errors, `escalations/${index}/metric`), ...(this.errors.get(`escalations/${index}`) ?? [])];
    return html`<fieldset data-level=${index}>
      <legend>${t('sla:level', n)}</legend>
      <div class="actions">
        <select aria-label=${t('sla:levelAt', n)} @change=${(e: Event) => {
          const v = (e.target as HTMLSelectElement).value;
          this.#setLevel(index, { at: v === 'after' ? { minutesAfterBreach: 60 } : (v as 'warning' | 'breached') });
        }}>
          ${(['warning', 'breached', 'after'] as const).map((v) => html`<option value=${v} ?selected=${at === v}>${t(`sla:at.${v}`)}</option>`)}
        </select>
        ${typeof level.at === 'object'
          ? html`<input class="minutes" type="number" min="1" aria-label=${t('sla:minutesAfterBreach', n)} .value=${String(level.at.minutesAfterBreach)} @change=${(e: Event) => this.#setLevel(index, { at: { minutesAfterBreach: Number((e.target as HTMLInputElement).value) } })} />`
          : nothing}
        <select aria-label=${t('sla:levelMetric', n)} @change=${(e: Event) => this.#setLevel(index, { metric: (e.target as HTMLSelectElement).value as EscalationLevel['metric'] })}>
          ${[...METRICS, '*' as const].map((m) => html`<option value=${m} ?selected=${level.metric === m}>${m === '*' ? t('sla:everyMetric') : t(`sla:metric.${m}`)}</option>`)}
        </select>
        <button type="button" class="danger" aria-label=${t('sla:removeLevel', n)} @click=${() => this.#emit(this.levels.filter((_, i) => i !== index))}>${t('sla:remove')}</button>
      </div>
      ${own.length ? html`<p class="field-error">${own.join(' ')}</p>` : nothing}
      ${level.actions.map((action, a) => this.#action(index, a, action))}
      <div class="actions"><button type="button" @click=${() => this.#setLevel(index, { actions: [...level.actions, NEW_ACTION.notify] })}>${t('sla:addAction', n)}</button></div>
    </fieldset>`;
  }

  render() {
    return html`<fieldset>
      <legend>${t('sla:escalations')}</legend>
      ${this.levels.length === 0 ? html`<p class="hint">${t('sla:noEscalations')}</p>` : nothing}
      ${this.levels.map((level, i) => this.#level(level, i))}
      <div class="actions"><button type="button" @click=${() => this.#emit([...this.levels, { at: 'breached', metric: '*', actions: [NEW_ACTION.notify] }])}>${t('sla:addLevel')}</button></div>
    </fieldset>`;
  }
}

customElements.define('to-sla-escalations', ToSlaEscalations);

declare global {
  interface HTMLElementTagNameMap {
    'to-sla-escalations': ToSlaEscalations;
  }
}
