import { ContextConsumer } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { ApiError } from '../api/client.ts';
import { apiContext } from '../api/context.ts';
import { StreamController } from '../api/stream-controller.ts';
import type { BulkAnswer, Priority } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';

interface JobStatus {
  state: string;
  total: number;
  done: number;
  summary: Record<string, number>;
  error?: string | null;
}

/**
 * `<to-bulk-bar>`: actions on the selected tickets — for now the priority, through
 * `POST /tickets/bulk`. A selection above the server's inline limit runs as a background job, whose
 * progress is polled. Fires `bulk-done` (`{ summary, message }`) when finished and `clear-selection` on request.
 */
export class ToBulkBar extends LitElement {
  static properties = { ids: { attribute: false }, priorities: { attribute: false }, choice: { state: true }, busy: { state: true }, message: { state: true }, progress: { state: true } };
  static styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: var(--wa-space-s);
        padding: var(--wa-space-s) var(--wa-space-m);
        border: var(--wa-border-width-s) solid var(--wa-color-brand-border-quiet);
        background: var(--wa-color-brand-fill-quiet);
        border-radius: var(--wa-border-radius-m);
      }
      .count {
        font-weight: var(--wa-font-weight-semibold);
        align-self: center;
      }
      wa-select {
        min-width: 10rem;
      }
      wa-progress-bar {
        flex: 1 1 10rem;
        align-self: center;
      }
    `,
  ];

  declare ids: string[];
  declare priorities: Priority[];
  /** The priority chosen to set; "Apply" waits for one. */
  declare choice: string;
  declare busy: boolean;
  declare message: string;
  declare progress: number | null;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  /** Wakes the progress loop when the stream reports progress of a job (`bulk.progress`). */
  #wake: (() => void) | null = null;
  readonly #live = new StreamController(this, (message) => {
    if (message.type === 'bulk.progress') this.#wake?.();
  });

  constructor() {
    super();
    this.ids = [];
    this.priorities = [];
    this.choice = '';
    this.busy = false;
    this.message = '';
    this.progress = null;
    new I18nController(this);
  }

  async #apply(): Promise<void> {
    const priority = this.choice;
    if (!priority || this.ids.length === 0) return;
    const api = this.#api.value!;
    this.busy = true;
    this.message = '';
    try {
      const answer = await api.post<BulkAnswer>('/tickets/bulk', { ids: this.ids, set: { priority } });
      let summary = answer.summary;
      if (answer.jobId) summary = await this.#follow(answer.jobId);
      this.message = t('tickets:bulkDone', { updated: summary?.updated ?? 0, unchanged: summary?.unchanged ?? 0, skipped: summary?.skipped ?? 0 });
      this.dispatchEvent(new CustomEvent('bulk-done', { detail: { summary, message: this.message }, bubbles: true, composed: true }));
    } catch (error) {
      this.message = t('shell:error', { message: error instanceof ApiError ? error.message : String(error) });
    } finally {
      this.busy = false;
      this.progress = null;
    }
  }

  /** Follows a background bulk job until it completes or fails: read again on each stream progress message, or every 2 s. */
  async #follow(jobId: string): Promise<Record<string, number>> {
    const api = this.#api.value!;
    for (;;) {
      const job = await api.get<JobStatus>(`/tickets/bulk/${jobId}`);
      this.progress = job.total ? Math.round((job.done / job.total) * 100) : 0;
      this.message = t('tickets:bulkQueued', { done: job.done, total: job.total });
      if (job.state === 'completed') return job.summary;
      if (job.state === 'failed') throw new Error(job.error ?? 'bulk job failed');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#live.stream?.state === 'open' ? 2000 : 500);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = null;
    }
  }

  render() {
    return html`<div class="bar" role="region" aria-label=${t('tickets:selected', { count: this.ids.length })}>
        <span class="count">${t('tickets:selected', { count: this.ids.length })}</span>
        <wa-select
          size="small"
          label=${t('tickets:bulkPriority')}
          name="bulk-priority"
          placeholder="—"
          @change=${(e: Event) => {
            this.choice = String((e.target as HTMLSelectElement).value ?? '');
          }}
        >
          ${this.priorities.map((p) => html`<wa-option value=${p.name}>${p.name}</wa-option>`)}
        </wa-select>
        <wa-button size="small" variant="brand" ?loading=${this.busy} ?disabled=${!this.choice || this.ids.length === 0 || this.busy} @click=${this.#apply}>${t('tickets:apply')}</wa-button>
        <wa-button size="small" appearance="plain" @click=${() => this.dispatchEvent(new CustomEvent('clear-selection', { bubbles: true, composed: true }))}
          >${t('tickets:clearSelection')}</wa-button
        >
        ${this.progress !== null ? html`<wa-progress-bar value=${this.progress} label=${this.message}></wa-progress-bar>` : null}
      </div>
      <p role="status" class=${this.message ? '' : 'visually-hidden'}>${this.message}</p>`;
  }
}

customElements.define('to-bulk-bar', ToBulkBar);

declare global {
  interface HTMLElementTagNameMap {
    'to-bulk-bar': ToBulkBar;
  }
}
