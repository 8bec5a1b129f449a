/**
 * `<to-email-quarantine>` (zone `settings.section`, permission `email.quarantine.read`): mail kept
 * aside by inbound (MIME bombs, oversize, rate limit, refused senders), newest first — when, the
 * reason in words, sender, subject (when the mail could be parsed), Message-ID, size, and a download of the raw bytes when they were kept.
 * The API pages by `limit` only (newest first, at most 500), so "Show more" asks for a longer list.
 */
import { ContextConsumer, I18nController, LitElement, apiContext, html, nothing, t } from '@ticketops/admin-ui/plugin-api';
import { type Quarantined, fieldErrors, formatInstant, formatSize, panelStyles } from './shared.ts';
import './strings.ts';

const PAGE = 25;
const MAX = 500;

export class ToEmailQuarantine extends LitElement {
  static properties = { panel: { attribute: false }, items: { state: true }, limit: { state: true }, problem: { state: true } };
  static styles = [panelStyles];

  declare panel: unknown;
  declare items: Quarantined[] | null;
  declare limit: number;
  declare problem: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.items = null;
    this.limit = PAGE;
    this.problem = '';
    new I18nController(this);
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.#read();
  }

  async #read(): Promise<void> {
    try {
      this.items = (await this.#api.value!.get<{ items: Quarantined[] }>('/email/quarantine', { limit: this.limit })).items;
      this.problem = '';
    } catch (error) {
      this.problem = [...fieldErrors(error).values()].flat().join(' ');
    }
  }

  async #more(): Promise<void> {
    const shown = this.items?.length ?? 0;
    this.limit = Math.min(MAX, this.limit + PAGE);
    await this.#read();
    // Keyboard users go on where the new rows start.
    await this.updateComplete;
    this.renderRoot.querySelectorAll<HTMLElement>('tbody tr')[shown]?.querySelector<HTMLElement>('a, th')?.focus();
  }

  #reason(reason: string): string {
    const key = `email:inbound.reasons.${reason}`;
    const text = t(key);
    return text === key || text === `inbound.reasons.${reason}` ? reason : text;
  }

  #row(item: Quarantined) {
    const date = formatInstant(item.createdAt);
    const sender = item.sender ?? t('email:inbound.unknownSender');
    return html`<tr data-quarantine=${item.id} data-reason=${item.reason}>
      <th scope="row" tabindex="-1" class="nowrap"><time datetime=${item.createdAt}>${date}</time></th>
      <td>${this.#reason(item.reason)}</td>
      <td class="long">${sender}</td>
      <td class="long" data-subject>${item.subject ?? '—'}</td>
      <td class="long">${item.messageId ?? '—'}</td>
      <td class="nowrap">${formatSize(item.size)}</td>
      <td class="nowrap">
        ${item.rawUrl
          ? html`<a href=${item.rawUrl} download aria-label=${t('email:inbound.downloadNamed', { sender, date })}>${t('email:inbound.download')}</a>`
          : html`<span class="quiet">${t('email:inbound.noRaw')}</span>`}
      </td>
    </tr>`;
  }

  render() {
    const items = this.items;
    const more = items !== null && items.length >= this.limit && this.limit < MAX;
    return html`<p class="quiet">${t('email:inbound.quarantineIntro')}</p>
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      ${items === null
        ? html`<p>${t('email:inbound.loading')}</p>`
        : items.length === 0
          ? html`<p>${t('email:inbound.noQuarantine')}</p>`
          : html`<div class="table-wrap"><table aria-label=${t('email:inbound.quarantined')}>
                <thead><tr>
                  <th scope="col">${t('email:inbound.received')}</th><th scope="col">${t('email:inbound.reason')}</th><th scope="col">${t('email:inbound.sender')}</th>
                  <th scope="col">${t('email:inbound.subject')}</th><th scope="col" class="nowrap">${t('email:inbound.messageId')}</th><th scope="col">${t('email:inbound.size')}</th><th scope="col"><span class="visually-hidden">${t('email:inbound.download')}</span></th>
                </tr></thead>
                <tbody>${items.map((item) => this.#row(item))}</tbody>
              </table></div>
              <p class="quiet">${t('email:inbound.shown', { count: items.length })}</p>`}
      ${more ? html`<div class="actions"><button type="button" @click=${() => this.#more()}>${t('email:inbound.more')}</button></div>` : nothing}`;
  }
}

customElements.define('to-email-quarantine', ToEmailQuarantine);

declare global {
  interface HTMLElementTagNameMap {
    'to-email-quarantine': ToEmailQuarantine;
  }
}
