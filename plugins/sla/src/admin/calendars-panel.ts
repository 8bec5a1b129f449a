/**
 * `<to-sla-calendars>` (zone `settings.section`, permission `sla.calendars.write`): the business
 * calendars, each opened in `<to-sla-calendar-form>` to change, a new one added, an unused one
 * deleted (a calendar a policy uses is refused with 409, said in words).
 */
import { ContextConsumer, I18nController, LitElement, apiContext, html, nothing, t } from '@ticketops/admin-ui/plugin-api';
import './calendar-form.ts';
import { type Calendar, WEEKDAYS, fieldErrors, formStyles } from './shared.ts';

/** Sent on `window` after the calendars were read again. */
export const CALENDARS_CHANGED = 'sla-calendars-changed';

export class ToSlaCalendars extends LitElement {
  static properties = { panel: { attribute: false }, calendars: { state: true }, editing: { state: true }, notice: { state: true }, problem: { state: true } };
  static styles = [formStyles];

  declare panel: unknown;
  declare calendars: Calendar[] | null;
  /** The calendar open in the form: one of the list, `'new'`, or null (none). */
  declare editing: Calendar | 'new' | null;
  declare notice: string;
  declare problem: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.calendars = null;
    this.editing = null;
    this.notice = '';
    this.problem = '';
    new I18nController(this);
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.#read();
  }

  async #read(): Promise<void> {
    try {
      this.calendars = (await this.#api.value!.get<{ items: Calendar[] }>('/sla/calendars')).items;
      // The policy editor on the same page offers the calendars: tell it they changed.
      window.dispatchEvent(new CustomEvent(CALENDARS_CHANGED));
    } catch (error) {
      this.problem = [...fieldErrors(error).values()].flat().join(' ');
    }
  }

  async #saved(event: CustomEvent<Calendar>): Promise<void> {
    this.notice = t('sla:calendarSaved', { name: event.detail.name });
    this.editing = event.detail;
    await this.#read();
  }

  async #delete(calendar: Calendar): Promise<void> {
    this.notice = '';
    this.problem = '';
    try {
      await this.#api.value!.request('DELETE', `/sla/calendars/${encodeURIComponent(calendar.id)}`);
      this.notice = t('sla:calendarDeleted', { name: calendar.name });
      if (this.editing !== 'new' && this.editing?.id === calendar.id) this.editing = null;
      await this.#read();
    } catch (error) {
      this.problem = [...fieldErrors(error).values()].flat().join(' ');
    }
  }

  #summary(calendar: Calendar): string {
    const open = WEEKDAYS.filter((d) => (calendar.hours[d] ?? []).length > 0).map((d) => t(`sla:dayShort.${d}`));
    return open.join(', ') || t('sla:closed');
  }

  render() {
    const editing = this.editing;
    return html`<p class="quiet">${t('sla:calendarsIntro')}</p>
      ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      ${this.calendars === null
        ? html`<p role="status">${t('sla:loading')}</p>`
        : this.calendars.length === 0
          ? html`<p>${t('sla:noCalendars')}</p>`
          : html`<table aria-label=${t('sla:calendars')}>
              <thead><tr><th scope="col">${t('sla:name')}</th><th scope="col">${t('sla:timeZone')}</th><th scope="col">${t('sla:openDays')}</th><th scope="col"><span class="visually-hidden">${t('sla:actions')}</span></th></tr></thead>
              <tbody>
                ${this.calendars.map(
                  (calendar) => html`<tr data-calendar=${calendar.id}>
                    <td>${calendar.name}</td>
                    <td>${calendar.timeZone}</td>
                    <td>${this.#summary(calendar)}</td>
                    <td class="actions">
                      <button type="button" aria-label=${t('sla:editNamed', { name: calendar.name })} @click=${() => {
                        this.notice = '';
                        this.editing = calendar;
                      }}>${t('sla:edit')}</button>
                      <button type="button" class="danger" aria-label=${t('sla:deleteNamed', { name: calendar.name })} @click=${() => this.#delete(calendar)}>${t('sla:delete')}</button>
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
      ${editing === null
        ? html`<div class="actions"><button type="button" class="primary" @click=${() => {
            this.notice = '';
            this.editing = 'new';
          }}>${t('sla:newCalendar')}</button></div>`
        : html`<to-sla-calendar-form .calendar=${editing === 'new' ? null : editing} @saved=${this.#saved} @cancel=${() => {
            this.editing = null;
          }}></to-sla-calendar-form>`}`;
  }
}

customElements.define('to-sla-calendars', ToSlaCalendars);

declare global {
  interface HTMLElementTagNameMap {
    'to-sla-calendars': ToSlaCalendars;
  }
}
