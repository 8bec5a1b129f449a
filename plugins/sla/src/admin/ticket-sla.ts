/**
 * `<to-sla-ticket>` (zone `ticket.sidebar`): the ticket's SLA — the applied policy, each metric
 * with a live countdown to its due time, its state in words (running, paused, met, warning,
 * breached; colour only repeats what the text says) and the timeline with causes. Read from
 * `GET /api/v1/sla/tickets/{id}` whenever the console hands the panel a changed ticket.
 */
import { type AdminPanelContext, ApiError, ContextConsumer, I18nController, LitElement, apiContext, css, html, nothing, sharedStyles, t } from '@ticketops/admin-ui/plugin-api';
import { type MetricState, type TicketSla, type TimelineEntry, formatInstant, formatMinutes } from './shared.ts';

type Tone = 'running' | 'paused' | 'fulfilled' | 'warning' | 'breached';

export class ToSlaTicket extends LitElement {
  static properties = { panel: { attribute: false }, sla: { state: true }, missing: { state: true }, failure: { state: true }, now: { state: true } };
  static styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        gap: var(--wa-space-s);
      }
      p {
        margin: 0;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--wa-space-xs);
      }
      .metric {
        display: grid;
        gap: var(--wa-space-3xs);
        padding: var(--wa-space-xs) var(--wa-space-s);
        border-radius: var(--wa-border-radius-s);
        border-inline-start: 4px solid var(--wa-color-neutral-border-loud);
        background: var(--wa-color-neutral-fill-quiet);
        color: var(--wa-color-neutral-on-quiet);
      }
      .metric[data-tone='running'] {
        border-color: var(--wa-color-brand-border-loud);
        background: var(--wa-color-brand-fill-quiet);
        color: var(--wa-color-brand-on-quiet);
      }
      .metric[data-tone='fulfilled'] {
        border-color: var(--wa-color-success-border-loud);
        background: var(--wa-color-success-fill-quiet);
        color: var(--wa-color-success-on-quiet);
      }
      .metric[data-tone='warning'] {
        border-color: var(--wa-color-warning-border-loud);
        background: var(--wa-color-warning-fill-quiet);
        color: var(--wa-color-warning-on-quiet);
      }
      .metric[data-tone='breached'] {
        border-color: var(--wa-color-danger-border-loud);
        background: var(--wa-color-danger-fill-quiet);
        color: var(--wa-color-danger-on-quiet);
      }
      .head {
        display: flex;
        justify-content: space-between;
        gap: var(--wa-space-s);
        font-weight: var(--wa-font-weight-semibold);
      }
      .detail {
        font-size: var(--wa-font-size-s);
      }
      h3 {
        font-size: var(--wa-font-size-s);
        margin-top: var(--wa-space-xs);
      }
      ol {
        margin: 0;
        padding-inline-start: var(--wa-space-l);
        font-size: var(--wa-font-size-s);
        display: grid;
        gap: var(--wa-space-3xs);
      }
      .quiet {
        color: var(--wa-color-text-quiet);
      }
    `,
  ];

  declare panel: AdminPanelContext | undefined;
  declare sla: TicketSla | null;
  declare missing: boolean;
  declare failure: string;
  declare now: number;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  #shownVersion: string | null = null;
  #request = 0;
  #tick: ReturnType<typeof setInterval> | undefined;
  #lastRead = 0;

  constructor() {
    super();
    this.sla = null;
    this.missing = false;
    this.failure = '';
    this.now = Date.now();
    new I18nController(this);
  }

  connectedCallback(): void {
    super.connectedCallback();
    // The countdown moves every second; the business time left is read again each minute, and when a clock falls due.
    this.#tick = setInterval(() => {
      this.now = Date.now();
      const running = this.sla?.metrics.filter((m) => m.state === 'running') ?? [];
      const due = running.some((m) => m.dueAt && !m.breached && Date.parse(m.dueAt) <= this.now);
      if (running.length && (due || this.now - this.#lastRead > 60_000)) void this.#read();
    }, 1000);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#tick);
  }

  willUpdate(): void {
    const ticket = this.panel?.ticket;
    const key = ticket ? `${ticket.id}@${ticket.version}` : null;
    if (key && key !== this.#shownVersion) {
      this.#shownVersion = key;
      void this.#read();
    }
  }

  async #read(): Promise<void> {
    const ticket = this.panel?.ticket;
    const api = this.#api.value;
    if (!ticket || !api) return;
    const request = ++this.#request;
    this.#lastRead = Date.now();
    try {
      const sla = await api.get<TicketSla>(`/sla/tickets/${encodeURIComponent(ticket.id)}`);
      if (request !== this.#request) return;
      this.sla = sla;
      this.missing = false;
      this.failure = '';
    } catch (error) {
      if (request !== this.#request) return;
      this.sla = null;
      this.missing = error instanceof ApiError && error.status === 404;
      this.failure = this.missing ? '' : (error as Error).message;
    } finally {
      if (request === this.#request) this.toggleAttribute('data-ready', true);
    }
  }

  #tone(m: MetricState): Tone {
    if (m.state === 'fulfilled') return m.breached ? 'breached' : 'fulfilled';
    if (m.breached || (m.state === 'running' && m.dueAt && Date.parse(m.dueAt) <= this.now)) return 'breached';
    if (m.warningAt) return 'warning';
    return m.state;
  }

  #metric(m: MetricState) {
    const tone = this.#tone(m);
    const name = t(`sla:metric.${m.metric}`);
    let detail: string;
    if (m.state === 'fulfilled') detail = t('sla:fulfilledAt', { at: formatInstant(m.fulfilledAt) });
    else if (m.state === 'paused') detail = t('sla:pausedDetail', { left: formatMinutes(Math.max(0, m.remainingMinutes)) });
    else if (m.dueAt) {
      const ms = Date.parse(m.dueAt) - this.now;
      detail = ms >= 0 ? t('sla:dueIn', { in: formatMinutes(ms / 60_000), at: formatInstant(m.dueAt) }) : t('sla:overdueBy', { by: formatMinutes(-ms / 60_000), at: formatInstant(m.dueAt) });
    } else detail = '';
    const left = m.state === 'running' && m.remainingMinutes > 0 ? t('sla:businessLeft', { left: formatMinutes(m.remainingMinutes), target: formatMinutes(m.targetMinutes) }) : t('sla:target', { target: formatMinutes(m.targetMinutes) });
    return html`<li class="metric" data-metric=${m.metric} data-tone=${tone}>
      <span class="head"><span>${name}</span><span data-state>${t(`sla:tone.${tone}`)}</span></span>
      <span class="detail" data-countdown>${detail}</span>
      <span class="detail">${left}</span>
    </li>`;
  }

  #entry(e: TimelineEntry) {
    const cause = e.cause ? t(`sla:cause.${e.cause.kind}`) : e.type === 'escalated' ? t('sla:levelReached', { level: (e.level ?? 0) + 1 }) : t('sla:cause.clock');
    return html`<li data-type=${e.type}>
      <time datetime=${e.at}>${formatInstant(e.at)}</time> — ${t(`sla:metric.${e.metric}`)}: ${t(`sla:event.${e.type}`)} <span class="quiet">(${cause})</span>
    </li>`;
  }

  render() {
    if (!this.panel?.ticket) return nothing;
    if (this.missing) return html`<p role="status">${t('sla:noSla')}</p>`;
    if (this.failure) return html`<p role="alert">${t('sla:readFailed', { message: this.failure })}</p>`;
    const sla = this.sla;
    if (!sla) return html`<p role="status">${t('sla:loading')}</p>`;
    if (!sla.policy) return html`<p role="status">${t('sla:noPolicy')}</p>`;
    const paused = sla.metrics.some((m) => m.state === 'paused') && !sla.metrics.some((m) => m.state === 'running');
    return html`<p>${t('sla:policy')}: <strong data-policy>${sla.policy.name}</strong>${paused ? html` — <strong data-paused>${t('sla:allPaused')}</strong>` : nothing}</p>
      <ul aria-label=${t('sla:metrics')}>${sla.metrics.map((m) => this.#metric(m))}</ul>
      <h3 id="sla-timeline">${t('sla:timeline')}</h3>
      <ol aria-labelledby="sla-timeline">${sla.timeline.map((e) => this.#entry(e))}</ol>`;
  }
}

customElements.define('to-sla-ticket', ToSlaTicket);

declare global {
  interface HTMLElementTagNameMap {
    'to-sla-ticket': ToSlaTicket;
  }
}
