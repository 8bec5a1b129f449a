/**
 * `<to-sla-targets>`: a policy's targets — per priority (and `*`, every other priority) the
 * business time allowed for first response, next response and resolution, in minutes or hours.
 * Beside each target, a live preview: "if a ticket arrived now it would be due …", computed by
 * the chosen calendar (`POST /sla/calendars/{id}/due`) once typing rests. Fires `targets-changed`.
 */
import { ContextConsumer, I18nController, LitElement, apiContext, html, nothing, t } from '@ticketops/admin-ui/plugin-api';
import { METRICS, type Metric, type Targets, debounced, errorsUnder, formStyles, formatInstant } from './shared.ts';

type Unit = 'min' | 'h';

export class ToSlaTargets extends LitElement {
  static properties = {
    targets: { attribute: false },
    priorities: { attribute: false },
    calendarId: { attribute: false },
    timeZone: { attribute: false },
    errors: { attribute: false },
    units: { state: true },
    dues: { state: true },
  };
  static styles = [formStyles];

  declare targets: Targets;
  /** The tenant's priority names, in order; `*` is added for the rest. */
  declare priorities: string[];
  declare calendarId: string;
  declare timeZone: string | undefined;
  declare errors: Map<string, string[]>;
  declare units: Map<string, Unit>;
  /** Due instants by target minutes, for the calendar and start of the last preview. */
  declare dues: Map<number, string>;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #later = debounced(300);
  #previewRun = 0;

  constructor() {
    super();
    this.targets = {};
    this.priorities = [];
    this.calendarId = '';
    this.timeZone = undefined;
    this.errors = new Map();
    this.units = new Map();
    this.dues = new Map();
    new I18nController(this);
  }

  willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('targets') || changed.has('calendarId')) this.#later(() => void this.#preview());
  }

  /** One `due` request per distinct target, all from the same "now". */
  async #preview(): Promise<void> {
    const api = this.#api.value;
    const run = ++this.#previewRun;
    if (!api || !this.calendarId) {
      this.dues = new Map();
      return;
    }
    const start = new Date().toISOString();
    const minutes = [...new Set(Object.values(this.targets).flatMap((row) => METRICS.map((m) => row[m]).filter((v): v is number => typeof v === 'number' && v > 0)))];
    const answers = await Promise.all(
      minutes.map((m) =>
        api.post<{ due: string }>(`/sla/calendars/${encodeURIComponent(this.calendarId)}/due`, { start, minutes: m }).then(
          (answer) => [m, answer.due] as const,
          () => null,
        ),
      ),
    );
    if (run !== this.#previewRun) return;
    // The instant the preview counted from, for anyone checking it against the API.
    this.dataset.previewStart = start;
    this.dues = new Map(answers.filter((a): a is readonly [number, string] => a !== null));
  }

  #unit(key: string, minutes: number | null | undefined): Unit {
    return this.units.get(key) ?? (minutes && minutes >= 60 && minutes % 60 === 0 ? 'h' : 'min');
  }

  #set(priority: string, metric: Metric, minutes: number | null): void {
    const row = { ...(this.targets[priority] ?? {}) };
    if (minutes === null) delete row[metric];
    else row[metric] = minutes;
    const targets = { ...this.targets, [priority]: row };
    if (Object.keys(row).length === 0) delete targets[priority];
    this.dispatchEvent(new CustomEvent('targets-changed', { detail: targets, bubbles: true, composed: true }));
  }

  #cell(priority: string, metric: Metric) {
    const key = `${priority}/${metric}`;
    const minutes = this.targets[priority]?.[metric] ?? null;
    const unit = this.#unit(key, minutes);
    const shown = minutes === null ? '' : unit === 'h' ? String(minutes / 60) : String(minutes);
    const label = t('sla:targetFor', { metric: t(`sla:metric.${metric}`), priority: priority === '*' ? t('sla:otherPriorities') : priority });
    const messages = errorsUnder(this.errors, `targets/${key}`);
    const due = minutes ? this.dues.get(minutes) : undefined;
    const read = (input: HTMLInputElement, u: Unit) => {
      const value = input.value.trim();
      if (!value) return this.#set(priority, metric, null);
      const number = Number(value);
      if (Number.isFinite(number)) this.#set(priority, metric, Math.round(u === 'h' ? number * 60 : number));
    };
    return html`<td data-target=${key}>
      <div class="actions">
        <input class="minutes" type="number" min="0" step="any" aria-label=${label} .value=${shown} aria-invalid=${messages.length ? 'true' : 'false'} @input=${(e: Event) => read(e.target as HTMLInputElement, unit)} />
        <select aria-label=${t('sla:unitFor', { target: label })} .value=${unit} @change=${(e: Event) => {
          const next = (e.target as HTMLSelectElement).value as Unit;
          this.units = new Map(this.units).set(key, next);
          const input = (e.target as HTMLElement).parentElement!.querySelector('input')!;
          read(input, next);
        }}>
          <option value="min" ?selected=${unit === 'min'}>${t('sla:unitMinutes')}</option>
          <option value="h" ?selected=${unit === 'h'}>${t('sla:unitHours')}</option>
        </select>
      </div>
      ${due ? html`<p class="preview" data-due=${due}>${t('sla:wouldBeDue', { at: formatInstant(due, this.timeZone) })}</p>` : nothing}
      ${messages.length ? html`<p class="field-error">${messages.join(' ')}</p>` : nothing}
    </td>`;
  }

  render() {
    const rows = [...this.priorities, ...Object.keys(this.targets).filter((p) => p !== '*' && !this.priorities.includes(p)), '*'];
    const general = errorsUnder(new Map([...this.errors].filter(([key]) => key === 'targets')), 'targets');
    return html`<fieldset>
      <legend>${t('sla:targets')}</legend>
      <p class="hint">${t('sla:targetsHint')}</p>
      ${general.length ? html`<p class="field-error">${general.join(' ')}</p>` : nothing}
      <table>
        <thead>
          <tr>
            <th scope="col">${t('sla:priority')}</th>
            ${METRICS.map((m) => html`<th scope="col">${t(`sla:metric.${m}`)}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${rows.map((priority) => html`<tr><th scope="row">${priority === '*' ? t('sla:otherPriorities') : priority}</th>${METRICS.map((m) => this.#cell(priority, m))}</tr>`)}
        </tbody>
      </table>
      <p class="hint" role="status">${this.dues.size ? t('sla:previewNote', { zone: this.timeZone ?? '' }) : nothing}</p>
    </fieldset>`;
  }
}

customElements.define('to-sla-targets', ToSlaTargets);

declare global {
  interface HTMLElementTagNameMap {
    'to-sla-targets': ToSlaTargets;
  }
}
