import '@awesome.me/webawesome/dist/components/checkbox/checkbox.js';
import { ContextConsumer } from '@lit/context';
import { LitElement, html } from 'lit';
import { apiContext, can, sessionContext } from '../../api/context.ts';
import { I18nController } from '../../i18n/controller.ts';
import { i18n, t } from '../../i18n/i18n.ts';
import { sharedStyles } from '../../shell/shared-styles.ts';
import { userById } from '../people.ts';
import { panelStyles } from './panel-styles.ts';
import { isSignedOut } from './ticket-api.ts';

interface TimeEntry {
  id: string;
  userId: string;
  minutes: number;
  date: string;
  activity: string;
  billable: boolean;
  note: string;
}

interface TimeEntries {
  items: TimeEntry[];
  totalMinutes: number;
  billableMinutes: number;
}

/** `90` → "1 h 30 min" (in the language shown). */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const unit = (value: number, u: 'hour' | 'minute') => new Intl.NumberFormat(i18n.language, { style: 'unit', unit: u, unitDisplay: 'short' }).format(value);
  return h ? (m ? `${unit(h, 'hour')} ${unit(m, 'minute')}` : unit(h, 'hour')) : unit(m, 'minute');
}

/**
 * `<to-ticket-time>`: time worked on the ticket. The timer runs on the server (`timer/start`,
 * `timer/stop`), so it survives reloads and other tabs; stopping it logs the minutes. Time can
 * also be logged by hand. The entries are listed with the total and the billable part.
 */
export class ToTicketTime extends LitElement {
  static properties = { ticketId: { attribute: false }, entries: { state: true }, runningSince: { state: true }, names: { state: true }, message: { state: true }, busy: { state: true } };
  static styles = [sharedStyles, panelStyles];

  declare ticketId: string;
  declare entries: TimeEntries | null;
  /** When this user's timer on this ticket started (null: not running). */
  declare runningSince: string | null;
  declare names: Map<string, string>;
  declare message: string;
  declare busy: boolean;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #session = new ContextConsumer(this, { context: sessionContext });

  constructor() {
    super();
    this.ticketId = '';
    this.entries = null;
    this.runningSince = null;
    this.names = new Map();
    this.message = '';
    this.busy = false;
    new I18nController(this);
  }

  willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('ticketId') && this.ticketId) {
      this.entries = null;
      this.runningSince = null;
      this.message = '';
      void this.reload();
    }
  }

  async reload(): Promise<void> {
    const api = this.#api.value!;
    const id = this.ticketId;
    const me = this.#session.value ?? null;
    const [entries, timers] = await Promise.all([
      can(me, 'time.read') ? api.get<TimeEntries>(`/tickets/${encodeURIComponent(id)}/time-entries`).catch(() => null) : null,
      can(me, 'time.write') ? api.get<{ items: { ticketId: string; startedAt: string }[] }>('/me/timers').catch(() => ({ items: [] })) : { items: [] },
    ]);
    if (id !== this.ticketId) return;
    this.entries = entries;
    this.runningSince = timers.items.find((timer) => timer.ticketId === id)?.startedAt ?? null;
    const names = new Map(this.names);
    for (const entry of entries?.items ?? []) names.set(entry.userId, (await userById(api, entry.userId))?.name ?? entry.userId);
    this.names = names;
  }

  async #run(action: () => Promise<unknown>, done: string): Promise<void> {
    this.busy = true;
    this.message = '';
    try {
      await action();
      this.message = done;
      await this.reload();
    } catch (error) {
      if (!isSignedOut(error)) this.message = t('shell:error', { message: (error as Error).message });
    } finally {
      this.busy = false;
    }
  }

  /** Starts or stops the timer: the `t` shortcut and the button. */
  toggleTimer(): Promise<void> {
    const path = `/tickets/${encodeURIComponent(this.ticketId)}/timer/${this.runningSince ? 'stop' : 'start'}`;
    return this.#run(() => this.#api.value!.post(path, this.runningSince ? {} : undefined), this.runningSince ? t('ticketDetail:time.stopped') : t('ticketDetail:time.started'));
  }

  #log(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const value = (name: string) => (form.querySelector(`[name="${name}"]`) as HTMLInputElement | null)?.value ?? '';
    const minutes = Number(value('minutes'));
    if (!Number.isInteger(minutes) || minutes < 1) {
      this.message = t('ticketDetail:time.badMinutes');
      return Promise.resolve();
    }
    const body = { minutes, ...(value('date') ? { date: value('date') } : {}), ...(value('note').trim() ? { note: value('note').trim() } : {}), billable: Boolean((form.querySelector('wa-checkbox[name="billable"]') as HTMLInputElement | null)?.checked) };
    return this.#run(async () => {
      await this.#api.value!.post(`/tickets/${encodeURIComponent(this.ticketId)}/time-entries`, body);
      form.reset();
      for (const input of form.querySelectorAll('wa-input')) (input as unknown as HTMLInputElement).value = '';
    }, t('ticketDetail:time.logged', { time: formatMinutes(minutes) }));
  }

  render() {
    const me = this.#session.value ?? null;
    if (!this.ticketId || !(can(me, 'time.read') || can(me, 'time.write'))) return null;
    const entries = this.entries;
    return html`<section aria-labelledby="time-title">
      <h2 id="time-title">${t('ticketDetail:time.title')}</h2>
      ${can(me, 'time.write')
        ? html`<div class="row">
            <wa-button data-timer=${this.runningSince ? 'running' : 'stopped'} variant=${this.runningSince ? 'danger' : 'brand'} ?loading=${this.busy} @click=${() => this.toggleTimer()}>
              ${this.runningSince ? t('ticketDetail:time.stop') : t('ticketDetail:time.start')}
            </wa-button>
            ${this.runningSince ? html`<span class="quiet">${t('ticketDetail:time.runningSince', { time: new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short' }).format(new Date(this.runningSince)) })}</span>` : null}
          </div>`
        : null}
      ${entries
        ? html`<p data-total=${entries.totalMinutes}>
              <strong>${t('ticketDetail:time.total', { time: formatMinutes(entries.totalMinutes) })}</strong>
              <span class="quiet">${t('ticketDetail:time.billable', { time: formatMinutes(entries.billableMinutes) })}</span>
            </p>
            <ul class="items" aria-label=${t('ticketDetail:time.entries')}>
              ${entries.items.map(
                (e) => html`<li data-entry=${e.id}>
                  <strong>${formatMinutes(e.minutes)}</strong>
                  <span>${this.names.get(e.userId) ?? '…'}</span>
                  <span class="quiet">${e.date}${e.billable ? ` · ${t('ticketDetail:time.isBillable')}` : ''}${e.note ? ` · ${e.note}` : ''}</span>
                </li>`,
              )}
            </ul>`
        : null}
      ${can(me, 'time.write')
        ? html`<details>
            <summary>${t('ticketDetail:time.logTitle')}</summary>
            <form @submit=${this.#log}>
              <div class="row">
                <wa-input class="grow" name="minutes" type="number" label=${t('ticketDetail:time.minutes')}></wa-input>
                <wa-input class="grow" name="date" type="date" label=${t('ticketDetail:time.date')}></wa-input>
              </div>
              <wa-input name="note" label=${t('ticketDetail:time.note')}></wa-input>
              <wa-checkbox name="billable">${t('ticketDetail:time.isBillable')}</wa-checkbox>
              <wa-button type="submit" appearance="outlined">${t('ticketDetail:time.log')}</wa-button>
            </form>
          </details>`
        : null}
      <p class="message" role="status">${this.message}</p>
    </section>`;
  }
}

customElements.define('to-ticket-time', ToTicketTime);

declare global {
  interface HTMLElementTagNameMap {
    'to-ticket-time': ToTicketTime;
  }
}
