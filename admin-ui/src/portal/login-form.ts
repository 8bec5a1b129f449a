import { ContextConsumer } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { ApiError } from '../api/client.ts';
import { apiContext } from '../api/context.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import './language-select.ts';

/** `<to-portal-login>`: email and password against the console's session API; fires `signed-in` with the user. */
export class ToPortalLogin extends LitElement {
  static properties = { notice: { attribute: false }, error: { state: true }, busy: { state: true } };
  static styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        place-items: center;
        min-height: 100vh;
        padding: var(--wa-space-m);
        background: var(--wa-color-surface-lowered);
      }
      main {
        width: min(26rem, 100%);
      }
      .card {
        background: var(--wa-color-surface-default);
        border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
        border-radius: var(--wa-border-radius-l);
        padding: var(--wa-space-xl);
        display: grid;
        gap: var(--wa-space-m);
      }
      form {
        display: grid;
        gap: var(--wa-space-m);
      }
      footer {
        display: flex;
        justify-content: flex-end;
        margin-top: var(--wa-space-m);
      }
      p {
        margin: 0;
      }
    `,
  ];

  declare notice: string | null;
  declare error: string | null;
  declare busy: boolean;
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.notice = null;
    this.error = null;
    this.busy = false;
    new I18nController(this);
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const email = (form.querySelector('[name=email]') as HTMLInputElement).value.trim();
    const password = (form.querySelector('[name=password]') as HTMLInputElement).value;
    if (!email || !password) return;
    this.busy = true;
    this.error = null;
    try {
      const me = await this.#api.value!.login(email, password);
      this.dispatchEvent(new CustomEvent('signed-in', { detail: me, bubbles: true, composed: true }));
    } catch (error) {
      this.error = error instanceof ApiError ? error.message : String(error);
    } finally {
      this.busy = false;
    }
  }

  render() {
    return html`<main>
      <section class="card" aria-labelledby="title">
        <h1 id="title">${t('portal:login.title')}</h1>
        <p>${t('portal:login.intro')}</p>
        ${this.notice ? html`<wa-callout variant="warning" role="status">${this.notice}</wa-callout>` : null}
        ${this.error ? html`<wa-callout variant="danger" role="alert">${t('portal:login.failed', { message: this.error })}</wa-callout>` : null}
        <form @submit=${this.#submit} novalidate>
          <wa-input name="email" type="email" label=${t('portal:login.email')} autocomplete="username" required autofocus></wa-input>
          <wa-input name="password" type="password" label=${t('portal:login.password')} autocomplete="current-password" required password-toggle></wa-input>
          <wa-button type="submit" variant="brand" ?loading=${this.busy}>${t('portal:login.submit')}</wa-button>
        </form>
      </section>
      <footer><to-portal-language></to-portal-language></footer>
    </main>`;
  }
}

customElements.define('to-portal-login', ToPortalLogin);
