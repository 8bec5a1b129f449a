import { ContextConsumer } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { ApiError } from '../api/client.ts';
import { apiContext } from '../api/context.ts';
import type { Ticket } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import '../plugins/zone.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { PortalComposer, appendText } from './composer-handle.ts';
import { navigate } from './router.ts';
import { pageStyles } from './styles.ts';

/**
 * `<to-portal-new-request>` (`/portal/requests/new`): subject and description, and the
 * `portal.composer` zone's panels (attachments: files dropped anywhere on the form). Sending asks
 * the panels first (uploads still running are waited for), opens the ticket (`POST /tickets`,
 * channel `portal`, with an Idempotency-Key so a repeated click opens one), lets the panels link
 * their files to it, then shows the new request.
 */
export class ToPortalNewRequest extends LitElement {
  static properties = { busy: { state: true }, error: { state: true }, created: { state: true } };
  static styles = [
    sharedStyles,
    pageStyles,
    css`
      form.card {
        gap: var(--wa-space-m);
      }
    `,
  ];

  declare busy: boolean;
  declare error: string;
  /** Opened, but a panel could not finish (a file not linked): the form is done, the request is linked instead. */
  declare created: Ticket | null;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #composer = new PortalComposer(
    () => this.renderRoot.querySelector('form') ?? this,
    (text) => appendText(this.renderRoot.querySelector<HTMLTextAreaElement>('wa-textarea'), text),
  );
  /** One key per request being written: a retried submit after a lost answer opens no second ticket. */
  #idempotencyKey = crypto.randomUUID();

  constructor() {
    super();
    this.busy = false;
    this.error = '';
    this.created = null;
    new I18nController(this);
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy || this.created) return;
    const form = event.currentTarget as HTMLFormElement;
    const title = (form.querySelector('[name=title]') as HTMLInputElement).value.trim();
    const description = (form.querySelector('[name=description]') as HTMLTextAreaElement).value.trim();
    if (!title || !description) {
      this.error = t('portal:create.invalid');
      return;
    }
    this.busy = true;
    this.error = '';
    try {
      const refused = await this.#composer.beforeSend();
      if (refused) {
        this.error = t('portal:create.failed', { message: refused });
        return;
      }
      const api = this.#api.value!;
      const { data: ticket } = await api.request<Ticket>('POST', '/tickets', { body: { title, description, channel: 'portal' }, headers: { 'idempotency-key': this.#idempotencyKey } });
      this.#idempotencyKey = crypto.randomUUID();
      const failed = await this.#composer.afterSend({ id: ticket.id, ticketId: ticket.id, internal: false });
      if (failed) {
        this.created = ticket;
        this.error = t('portal:create.partly', { number: ticket.number, message: failed });
        return;
      }
      navigate(`/portal/requests/${ticket.id}`);
    } catch (error) {
      this.error = t('portal:create.failed', { message: error instanceof ApiError ? error.message : String(error) });
    } finally {
      this.busy = false;
    }
  }

  render() {
    return html`<div class="page">
      <h1>${t('portal:create.title')}</h1>
      <p>${t('portal:create.intro')}</p>
      <form class="card" aria-label=${t('portal:create.title')} @submit=${this.#submit} novalidate>
        <wa-input name="title" label=${t('portal:create.subject')} required maxlength="500"></wa-input>
        <wa-textarea name="description" label=${t('portal:create.description')} required rows="6" resize="auto"></wa-textarea>
        <to-zone zone="portal.composer" .composer=${this.#composer.handle}></to-zone>
        ${this.error ? html`<wa-callout variant="danger" role="alert">${this.error}</wa-callout>` : nothing}
        <div class="actions">
          ${this.created
            ? html`<a href="/portal/requests/${this.created.id}">${t('portal:list.number', { number: this.created.number })}</a>`
            : html`<wa-button type="submit" variant="brand" ?loading=${this.busy}>${t('portal:create.submit')}</wa-button>`}
        </div>
      </form>
    </div>`;
  }
}

customElements.define('to-portal-new-request', ToPortalNewRequest);
