import { ContextConsumer } from '@lit/context';
import { LitElement, type TemplateResult, css, html } from 'lit';
import { ApiError } from '../api/client.ts';
import { apiContext } from '../api/context.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from './shared-styles.ts';

/**
 * The sign-in card the console (`<to-login>`) and the customer portal (`<to-portal-login>`) share:
 * email and password against the session API, the reason a session ended (`notice`), the API's
 * refusal in words; fires `signed-in` with the user once the session cookie is set. Each page
 * names its strings (`strings`: a key prefix such as `login:`) and what sits under the card.
 */
export abstract class SignInForm extends LitElement {
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
        gap: var(--wa-space-s);
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

  /** The prefix of this page's sign-in strings: `title`, `intro`, `failed`, `email`, `password`, `submit`. */
  protected abstract readonly strings: string;
  /** Under the card (language, theme). */
  protected abstract footer(): TemplateResult;

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
    const s = (key: string, options?: Record<string, unknown>) => t(`${this.strings}${key}`, options);
    return html`<main>
      <section class="card" aria-labelledby="title">
        <h1 id="title">${s('title')}</h1>
        <p>${s('intro')}</p>
        ${this.notice ? html`<wa-callout variant="warning" role="status">${this.notice}</wa-callout>` : null}
        ${this.error ? html`<wa-callout variant="danger" role="alert">${s('failed', { message: this.error })}</wa-callout>` : null}
        <form @submit=${this.#submit} novalidate>
          <wa-input name="email" type="email" label=${s('email')} autocomplete="username" required autofocus></wa-input>
          <wa-input name="password" type="password" label=${s('password')} autocomplete="current-password" required password-toggle></wa-input>
          <wa-button type="submit" variant="brand" ?loading=${this.busy}>${s('submit')}</wa-button>
        </form>
      </section>
      <footer>${this.footer()}</footer>
    </main>`;
  }
}
