import { ContextConsumer } from '@lit/context';
import { LitElement, type TemplateResult, html, nothing } from 'lit';
import { ApiError } from '../api/client.ts';
import { apiContext, can, sessionContext } from '../api/context.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import { adminStyles } from './admin-styles.ts';
import './admin-nav.ts';

/** Field errors by the body path the API's problem names (`/body/name` → `name`, `/body/domains/0` → `domains/0`). */
export type FieldErrors = Record<string, string>;

export function fieldErrorsOf(error: unknown): FieldErrors {
  const out: FieldErrors = {};
  if (!(error instanceof ApiError)) return out;
  for (const e of error.errors) {
    const path = e.pointer.replace(/^\/(body|query|params)\/?/, '');
    out[path] ??= e.message;
    const first = path.split('/')[0] as string;
    out[first] ??= path === first ? e.message : `${path.slice(first.length + 1)}: ${e.message}`;
  }
  return out;
}

/** The sentence shown above a form for a failed request: conflicts and stale writes explained. */
export function problemText(error: unknown): string {
  if (!(error instanceof ApiError)) return t('shell:error', { message: (error as Error)?.message ?? String(error) });
  if (error.status === 412) return t('admin:staleWrite');
  if (error.status === 409) return t('admin:conflict', { message: error.message });
  if (error.status === 403) return t('admin:forbidden', { message: error.message });
  if (error.status === 0) return t('admin:network');
  return error.message;
}

/**
 * The base of every administration screen: the API and the signed-in user from context, the
 * shared styles, a page-level problem and per-field errors from the last failed request, and a
 * `field()` helper that ties label, control, hint and error together by id (all in one shadow
 * root, so `aria-describedby` reaches them).
 */
export class AdminElement extends LitElement {
  static properties = { problem: { state: true }, errors: { state: true }, busy: { state: true }, notice: { state: true }, errorScope: { state: true } };
  static styles = [sharedStyles, adminStyles];

  declare problem: string | null;
  declare errors: FieldErrors;
  declare busy: boolean;
  declare notice: string | null;
  /** Which form the field errors belong to (several forms on a screen name the same fields). */
  declare errorScope: string;
  protected readonly api = new ContextConsumer(this, { context: apiContext });
  protected readonly session = new ContextConsumer(this, { context: sessionContext, subscribe: true });

  constructor() {
    super();
    this.problem = null;
    this.errors = {};
    this.busy = false;
    this.notice = null;
    this.errorScope = '';
    new I18nController(this);
  }

  protected can(permission: string): boolean {
    return can(this.session.value, permission);
  }

  /** Runs a request: clears old errors, keeps the form busy, and on failure shows the problem and the field errors. True when it succeeded. */
  protected async attempt(work: () => Promise<unknown>, form?: HTMLFormElement | null, scope = ''): Promise<boolean> {
    this.busy = true;
    this.errorScope = scope;
    this.problem = null;
    this.errors = {};
    this.notice = null;
    try {
      await work();
      return true;
    } catch (error) {
      this.errors = fieldErrorsOf(error);
      this.problem = problemText(error);
      await this.updateComplete;
      // Focus the first field the API named, else the problem, so a keyboard user lands on it.
      const invalid = (form ?? this.renderRoot).querySelector<HTMLElement>('[aria-invalid="true"]');
      (invalid ?? this.renderRoot.querySelector<HTMLElement>('.problem'))?.focus();
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** After opening an edit form (marked `data-edit`), moves the focus to its first control, so keyboard and screen-reader users land in it. */
  protected async reveal(): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('form[data-edit] :is(input, select, textarea)')?.focus();
  }

  /** Reads what a screen shows: a failure becomes the page's problem; notices and field errors stay. */
  protected async fetching(work: () => Promise<unknown>): Promise<void> {
    this.busy = true;
    this.problem = null;
    try {
      await work();
    } catch (error) {
      this.problem = problemText(error);
    } finally {
      this.busy = false;
    }
  }

  /** Label, control, hint and the API's error for `name`; `control` gets the id and ARIA attributes through the returned ids. */
  protected field(name: string, label: string, control: (a: { id: string; invalid: boolean; describedBy: string }) => TemplateResult, hint?: string, scope = ''): TemplateResult {
    const id = `f-${scope}${name.replaceAll('/', '-')}`;
    const error = this.errorScope === scope ? this.errors[name] : undefined;
    const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <label for=${id}>${label}</label>
      ${control({ id, invalid: Boolean(error), describedBy })}
      ${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : nothing}
      ${error ? html`<p class="field-error" id="${id}-error">${error}</p>` : nothing}
    </div>`;
  }

  protected renderProblem(): TemplateResult | typeof nothing {
    return html`${this.problem ? html`<p class="problem" role="alert" tabindex="-1">${this.problem}</p>` : nothing}
    ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}`;
  }

  /** The page frame: the administration navigation, the heading and the screen's content. */
  protected frame(section: string, title: string, body: TemplateResult): TemplateResult {
    return html`<to-admin-nav current=${section}></to-admin-nav>
      <h1>${title}</h1>
      ${body}`;
  }
}

/** Values of a form by control name (checkbox: its checked state). */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new FormData(form)) if (typeof value === 'string') out[key] = value;
  return out;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(document.documentElement.lang || undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
