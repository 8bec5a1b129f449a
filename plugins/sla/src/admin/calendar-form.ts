/**
 * `<to-sla-calendar-form>`: creates or changes one business calendar — name, IANA time zone
 * (picked from the browser's list and checked against it), weekly hours or 24×7, holidays, the
 * public holidays of a country/region, an iCal file. The API's field errors show beside their
 * fields. As the form or the minutes change, it previews when a ticket arriving now would be due in
 * the calendar as edited, saved or not (`POST /sla/calendars/preview-due`). Fires `saved` with the calendar.
 */
import { ContextConsumer, I18nController, LitElement, apiContext, html, nothing, t } from '@ticketops/admin-ui/plugin-api';
import './hours-editor.ts';
import { type Calendar, WEEKDAYS, debounced, errorsUnder, fieldErrors, formStyles, formatInstant, timeZones } from './shared.ts';

type Draft = Omit<Calendar, 'id'> & { id?: string };

const ALL_DAY = Object.fromEntries(WEEKDAYS.map((d) => [d, [['00:00', '24:00']]])) as Calendar['hours'];
const OFFICE = Object.fromEntries(WEEKDAYS.map((d) => [d, d === 'sat' || d === 'sun' ? [] : [['09:00', '17:00']]])) as Calendar['hours'];
const is24x7 = (hours: Calendar['hours']) => WEEKDAYS.every((d) => hours[d]?.length === 1 && hours[d]![0]![0] === '00:00' && hours[d]![0]![1] === '24:00');

export class ToSlaCalendarForm extends LitElement {
  static properties = { calendar: { attribute: false }, draft: { state: true }, errors: { state: true }, busy: { state: true }, previewMinutes: { state: true }, preview: { state: true } };
  static styles = [formStyles];

  /** The calendar to change; null for a new one. */
  declare calendar: Calendar | null;
  declare draft: Draft;
  declare errors: Map<string, string[]>;
  declare busy: boolean;
  declare previewMinutes: number;
  declare preview: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #zones = timeZones();
  readonly #later = debounced(300);

  constructor() {
    super();
    this.calendar = null;
    this.draft = ToSlaCalendarForm.#blank();
    this.errors = new Map();
    this.busy = false;
    this.previewMinutes = 60;
    this.preview = '';
    new I18nController(this);
  }

  static #blank(): Draft {
    return { name: '', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', hours: OFFICE, holidays: [], country: null, region: null, ical: null };
  }

  willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (!changed.has('calendar')) return;
    this.errors = new Map();
    this.preview = '';
    if (!this.calendar) {
      this.draft = ToSlaCalendarForm.#blank();
      return;
    }
    const { id, name, timeZone, hours, holidays, country, region, ical } = this.calendar;
    this.draft = { id, name, timeZone, hours, holidays: holidays ?? [], country: country ?? null, region: region ?? null, ical: ical ?? null };
    this.#previewLater();
  }

  #patch(change: Partial<Draft>): void {
    this.draft = { ...this.draft, ...change };
    this.#previewLater();
  }

  #zoneError(): string | null {
    return this.#zones.includes(this.draft.timeZone) ? null : t('sla:unknownZone');
  }

  #previewLater(): void {
    this.#later(() => void this.#preview());
  }

  /** The calendar as edited, saved or not (`POST /sla/calendars/preview-due` computes with what is in the form). */
  async #preview(): Promise<void> {
    const api = this.#api.value;
    if (!api || !(this.previewMinutes >= 0) || this.#zoneError()) return;
    const { id: _id, name: _name, ...calendar } = this.draft;
    const start = new Date().toISOString();
    try {
      const { due: [due] } = await api.post<{ due: string[] }>('/sla/calendars/preview-due', { calendar, start, minutes: [this.previewMinutes] });
      if (!due) return;
      this.dataset.previewStart = start;
      this.preview = t('sla:previewDue', { minutes: this.previewMinutes, at: formatInstant(due, this.draft.timeZone), zone: this.draft.timeZone });
      this.dataset.previewDue = due;
    } catch (error) {
      this.preview = [...fieldErrors(error).values()].flat().join(' ');
    }
  }

  async #readIcal(event: Event): Promise<void> {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file) this.#patch({ ical: await file.text() });
  }

  async #save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const api = this.#api.value;
    if (!api) return;
    if (this.#zoneError()) {
      this.errors = new Map([['timeZone', [this.#zoneError()!]]]);
      return;
    }
    const { id, ...body } = this.draft;
    this.busy = true;
    this.errors = new Map();
    try {
      const saved = id
        ? (await api.request<Calendar>('PATCH', `/sla/calendars/${encodeURIComponent(id)}`, { body })).data
        : await api.post<Calendar>('/sla/calendars', body);
      this.calendar = saved;
      this.dispatchEvent(new CustomEvent('saved', { detail: saved, bubbles: true, composed: true }));
    } catch (error) {
      this.errors = fieldErrors(error);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"], .problem')?.focus();
    } finally {
      this.busy = false;
    }
  }

  /** A labelled input with its errors underneath, tied together by `aria-describedby`. */
  #field(path: string, label: string, control: (describedBy: string | undefined, invalid: boolean) => unknown, hint?: string) {
    const messages = errorsUnder(this.errors, path);
    const errorId = `err-${path.replace(/\W/g, '-')}`;
    const hintId = hint ? `hint-${path}` : '';
    const describedBy = [messages.length ? errorId : '', hintId].filter(Boolean).join(' ') || undefined;
    return html`<div class="field">
      <label for="f-${path}">${label}</label>
      ${control(describedBy, messages.length > 0)}
      ${hint ? html`<p class="hint" id=${hintId}>${hint}</p>` : nothing}
      ${messages.length ? html`<p class="field-error" id=${errorId}>${messages.join(' ')}</p>` : nothing}
    </div>`;
  }

  #holidays() {
    const holidays = this.draft.holidays;
    const set = (index: number, change: Partial<{ date: string; name: string }>) =>
      this.#patch({ holidays: holidays.map((h, i) => (i === index ? { ...h, ...change } : h)) });
    return html`<fieldset>
      <legend>${t('sla:holidays')}</legend>
      ${holidays.length === 0 ? html`<p class="quiet">${t('sla:noHolidays')}</p>` : nothing}
      ${holidays.map((holiday, i) => {
        const messages = errorsUnder(this.errors, `holidays/${i}`);
        return html`<div class="actions">
          <input type="date" class="date" aria-label=${t('sla:holidayDate', { n: i + 1 })} .value=${holiday.date} aria-invalid=${errorsUnder(this.errors, `holidays/${i}/date`).length ? 'true' : 'false'} @change=${(e: Event) => set(i, { date: (e.target as HTMLInputElement).value })} />
          <input class="grow" aria-label=${t('sla:holidayName', { n: i + 1 })} .value=${holiday.name} aria-invalid=${errorsUnder(this.errors, `holidays/${i}/name`).length ? 'true' : 'false'} @change=${(e: Event) => set(i, { name: (e.target as HTMLInputElement).value })} />
          <button type="button" aria-label=${t('sla:removeHoliday', { n: i + 1 })} @click=${() => this.#patch({ holidays: holidays.filter((_, j) => j !== i) })}>${t('sla:remove')}</button>
          ${messages.length ? html`<p class="field-error">${messages.join(' ')}</p>` : nothing}
        </div>`;
      })}
      <div class="actions"><button type="button" @click=${() => this.#patch({ holidays: [...holidays, { date: '', name: '' }] })}>${t('sla:addHoliday')}</button></div>
      <div class="row">
        ${this.#field('country', t('sla:country'), (d, invalid) => html`<input id="f-country" maxlength="2" .value=${this.draft.country ?? ''} aria-describedby=${d ?? nothing} aria-invalid=${invalid ? 'true' : 'false'} @change=${(e: Event) => this.#patch({ country: (e.target as HTMLInputElement).value.trim().toUpperCase() || null })} />`, t('sla:countryHint'))}
        ${this.#field('region', t('sla:region'), (d, invalid) => html`<input id="f-region" maxlength="3" .value=${this.draft.region ?? ''} aria-describedby=${d ?? nothing} aria-invalid=${invalid ? 'true' : 'false'} @change=${(e: Event) => this.#patch({ region: (e.target as HTMLInputElement).value.trim().toUpperCase() || null })} />`, t('sla:regionHint'))}
      </div>
      ${this.#field('ical', t('sla:ical'), (d, invalid) => html`<input id="f-ical" type="file" accept=".ics,text/calendar" aria-describedby=${d ?? nothing} aria-invalid=${invalid ? 'true' : 'false'} @change=${this.#readIcal} />`, this.draft.ical ? t('sla:icalLoaded', { count: (this.draft.ical.match(/BEGIN:VEVENT/g) ?? []).length }) : t('sla:icalHint'))}
      ${this.draft.ical ? html`<div class="actions"><button type="button" @click=${() => this.#patch({ ical: null })}>${t('sla:removeIcal')}</button></div>` : nothing}
    </fieldset>`;
  }

  render() {
    const draft = this.draft;
    const allDay = is24x7(draft.hours);
    const zoneProblem = this.#zoneError();
    const general = this.errors.get('') ?? [];
    return html`<form @submit=${this.#save} novalidate aria-label=${draft.id ? t('sla:editCalendar', { name: this.calendar?.name ?? '' }) : t('sla:newCalendar')}>
      ${general.length ? html`<p class="problem" role="alert" tabindex="-1">${general.join(' ')}</p>` : nothing}
      <div class="row">
        ${this.#field('name', t('sla:name'), (d, invalid) => html`<input id="f-name" required .value=${draft.name} aria-describedby=${d ?? nothing} aria-invalid=${invalid ? 'true' : 'false'} @input=${(e: Event) => this.#patch({ name: (e.target as HTMLInputElement).value })} />`)}
        <div class="field">
          <label for="f-timeZone">${t('sla:timeZone')}</label>
          <input id="f-timeZone" list="zones" autocomplete="off" .value=${draft.timeZone} aria-invalid=${zoneProblem || errorsUnder(this.errors, 'timeZone').length ? 'true' : 'false'} aria-describedby=${zoneProblem || errorsUnder(this.errors, 'timeZone').length ? 'err-timeZone' : nothing} @input=${(e: Event) => this.#patch({ timeZone: (e.target as HTMLInputElement).value.trim() })} />
          <datalist id="zones">${this.#zones.map((zone) => html`<option value=${zone}></option>`)}</datalist>
          <p class="field-error" id="err-timeZone">${[zoneProblem, ...errorsUnder(this.errors, 'timeZone')].filter(Boolean).join(' ')}</p>
        </div>
      </div>
      <div class="check">
        <input type="checkbox" id="f-247" .checked=${allDay} @change=${(e: Event) => this.#patch({ hours: (e.target as HTMLInputElement).checked ? ALL_DAY : OFFICE })} />
        <label for="f-247">${t('sla:allDay')}</label>
      </div>
      ${allDay ? html`<p class="hint">${t('sla:allDayHint')}</p>` : html`<to-sla-hours .hours=${draft.hours} .errors=${this.errors} @hours-changed=${(e: CustomEvent<Calendar['hours']>) => this.#patch({ hours: e.detail })}></to-sla-hours>`}
      ${this.#holidays()}
      <div class="field">
        <label for="f-preview">${t('sla:previewMinutes')}</label>
        <input id="f-preview" class="minutes" type="number" min="0" .value=${String(this.previewMinutes)} @input=${(e: Event) => {
          this.previewMinutes = Number((e.target as HTMLInputElement).value);
          this.#previewLater();
        }} />
        <p class="preview" role="status" data-preview>${this.preview}</p>
        <p class="hint">${t('sla:previewSavedHint')}</p>
      </div>
      <div class="actions">
        <button class="primary" type="submit" ?disabled=${this.busy}>${t('sla:saveCalendar')}</button>
        <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('cancel', { bubbles: true, composed: true }))}>${t('sla:cancel')}</button>
      </div>
    </form>`;
  }
}

customElements.define('to-sla-calendar-form', ToSlaCalendarForm);

declare global {
  interface HTMLElementTagNameMap {
    'to-sla-calendar-form': ToSlaCalendarForm;
  }
}
