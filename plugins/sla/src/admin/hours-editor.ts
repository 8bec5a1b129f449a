/**
 * `<to-sla-hours>`: a calendar's weekly business hours — per weekday any number of intervals
 * (`09:00`–`12:00`, `13:00`–`17:00`; `24:00` ends a day), added and removed with buttons. Fires
 * `hours-changed` with the new hours; shows the API's errors (`hours/tue/0`) beside their interval.
 */
import { I18nController, LitElement, html, nothing, t } from '@ticketops/admin-ui/plugin-api';
import { type Calendar, type Interval, WEEKDAYS, type Weekday, errorsUnder, formStyles } from './shared.ts';

export class ToSlaHours extends LitElement {
  static properties = { hours: { attribute: false }, errors: { attribute: false } };
  static styles = [formStyles];

  declare hours: Calendar['hours'];
  declare errors: Map<string, string[]>;

  constructor() {
    super();
    this.hours = {};
    this.errors = new Map();
    new I18nController(this);
  }

  #emit(day: Weekday, intervals: Interval[]): void {
    const hours = { ...this.hours, [day]: intervals };
    this.dispatchEvent(new CustomEvent('hours-changed', { detail: hours, bubbles: true, composed: true }));
  }

  #set(day: Weekday, index: number, end: 0 | 1, value: string): void {
    const intervals = (this.hours[day] ?? []).map((i) => [...i] as Interval);
    intervals[index]![end] = value.trim();
    this.#emit(day, intervals);
  }

  #add(day: Weekday): void {
    const intervals = this.hours[day] ?? [];
    const last = intervals.at(-1);
    // A new interval starts where the last ended, so a lunch break is one edit away.
    const next: Interval = last ? [last[1], last[1] < '17:00' ? '17:00' : '24:00'] : ['09:00', '17:00'];
    this.#emit(day, [...intervals, next]);
  }

  #remove(day: Weekday, index: number): void {
    this.#emit(day, (this.hours[day] ?? []).filter((_, i) => i !== index));
  }

  render() {
    const dayErrors = errorsUnder(new Map([...this.errors].filter(([key]) => key === 'hours')), 'hours');
    return html`<fieldset>
      <legend>${t('sla:hours')}</legend>
      ${dayErrors.length ? html`<p class="field-error" id="hours-error">${dayErrors.join(' ')}</p>` : nothing}
      <table>
        <tbody>
          ${WEEKDAYS.map((day) => {
            const intervals = this.hours[day] ?? [];
            const dayName = t(`sla:day.${day}`);
            return html`<tr data-day=${day}>
              <th scope="row">${dayName}</th>
              <td>
                ${intervals.length === 0 ? html`<span class="quiet">${t('sla:closed')}</span>` : nothing}
                ${intervals.map((interval, i) => {
                  const path = `hours/${day}/${i}`;
                  const messages = errorsUnder(this.errors, path);
                  const id = `err-${day}-${i}`;
                  return html`<div class="actions" data-interval=${i}>
                    <input class="clock" aria-label=${t('sla:intervalFrom', { day: dayName, n: i + 1 })} .value=${interval[0]} placeholder="09:00" pattern="\\d{2}:\\d{2}" aria-invalid=${messages.length ? 'true' : 'false'} aria-describedby=${messages.length ? id : nothing} @input=${(e: Event) => this.#set(day, i, 0, (e.target as HTMLInputElement).value)} />
                    <span aria-hidden="true">–</span>
                    <input class="clock" aria-label=${t('sla:intervalTo', { day: dayName, n: i + 1 })} .value=${interval[1]} placeholder="17:00" pattern="\\d{2}:\\d{2}" aria-invalid=${messages.length ? 'true' : 'false'} aria-describedby=${messages.length ? id : nothing} @input=${(e: Event) => this.#set(day, i, 1, (e.target as HTMLInputElement).value)} />
                    <button type="button" aria-label=${t('sla:removeInterval', { day: dayName, n: i + 1 })} @click=${() => this.#remove(day, i)}>${t('sla:remove')}</button>
                    ${messages.length ? html`<p class="field-error" id=${id}>${messages.join(' ')}</p>` : nothing}
                  </div>`;
                })}
                <button type="button" aria-label=${t('sla:addIntervalOn', { day: dayName })} @click=${() => this.#add(day)}>${t('sla:addInterval')}</button>
              </td>
            </tr>`;
          })}
        </tbody>
      </table>
    </fieldset>`;
  }
}

customElements.define('to-sla-hours', ToSlaHours);

declare global {
  interface HTMLElementTagNameMap {
    'to-sla-hours': ToSlaHours;
  }
}
