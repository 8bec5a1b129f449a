import { ContextConsumer } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { ApiError } from '../api/client.ts';
import { apiContext } from '../api/context.ts';
import type { Comment, Ticket } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import '../plugins/zone.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { PortalComposer, appendText } from './composer-handle.ts';
import { pageStyles } from './styles.ts';

/**
 * `<to-portal-reply-form .ticket=${…}>`: the customer's reply (always public: the API refuses
 * internal notes from customers) with the `portal.composer` zone's panels (attachments). Fires
 * `replied` with the new comment once it is sent and the panels have taken part.
 */
export class ToPortalReplyForm extends LitElement {
  static properties = { ticket: { attribute: false }, busy: { state: true }, error: { state: true }, status: { state: true } };
  static styles = [sharedStyles, pageStyles, css``];

  declare ticket: Ticket | null;
  declare busy: boolean;
  declare error: string;
  declare status: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #composer = new PortalComposer(
    () => this.renderRoot.querySelector('form') ?? this,
    (text) => appendText(this.#field, text),
  );

  constructor() {
    super();
    this.ticket = null;
    this.busy = false;
    this.error = '';
    this.status = '';
    new I18nController(this);
  }

  get #field(): HTMLTextAreaElement | null {
    return this.renderRoot.querySelector<HTMLTextAreaElement>('wa-textarea');
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const field = this.#field;
    const body = field?.value.trim() ?? '';
    if (this.busy || !this.ticket) return;
    if (!body) {
      this.error = t('portal:request.empty');
      return;
    }
    this.busy = true;
    this.error = '';
    this.status = '';
    try {
      const refused = await this.#composer.beforeSend();
      if (refused) {
        this.error = t('portal:request.failed', { message: refused });
        return;
      }
      const comment = await this.#api.value!.post<Comment>(`/tickets/${encodeURIComponent(this.ticket.id)}/comments`, { body });
      if (field) field.value = '';
      this.dispatchEvent(new CustomEvent('replied', { detail: comment, bubbles: true, composed: true }));
      const failed = await this.#composer.afterSend({ id: comment.id, ticketId: comment.ticketId, internal: false });
      if (failed) this.error = t('portal:request.partly', { message: failed });
      else this.status = t('portal:request.sent');
    } catch (error) {
      this.error = t('portal:request.failed', { message: error instanceof ApiError ? error.message : String(error) });
    } finally {
      this.busy = false;
    }
  }

  render() {
    return html`<section aria-labelledby="reply">
      <form class="card" aria-labelledby="reply" @submit=${this.#submit} novalidate>
        <h2 id="reply">${t('portal:request.reply')}</h2>
        <wa-textarea name="body" label=${t('portal:request.message')} rows="4" resize="auto"></wa-textarea>
        <to-zone zone="portal.composer" .ticket=${this.ticket} .composer=${this.#composer.handle}></to-zone>
        ${this.error ? html`<wa-callout variant="danger" role="alert">${this.error}</wa-callout>` : nothing}
        <div class="actions">
          <wa-button type="submit" variant="brand" ?loading=${this.busy}>${t('portal:request.send')}</wa-button>
          <span class="quiet" role="status">${this.status}</span>
        </div>
      </form>
    </section>`;
  }
}

customElements.define('to-portal-reply-form', ToPortalReplyForm);
