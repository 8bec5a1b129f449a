import '@awesome.me/webawesome/dist/components/checkbox/checkbox.js';
import { ContextConsumer } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { apiContext, can, sessionContext } from '../../api/context.ts';
import { I18nController } from '../../i18n/controller.ts';
import { t } from '../../i18n/i18n.ts';
import { sharedStyles } from '../../shell/shared-styles.ts';
import { fieldSpecs, readField, renderField } from './custom-fields.ts';
import { type TicketType, loadTicketTypes } from './directory.ts';
import { type DetailTicket, fieldErrors, isConflict, isSignedOut, patchTicket } from './ticket-api.ts';

const NO_TYPE = '-';

/**
 * `<to-ticket-details-form>`: the ticket's type, the custom fields of that type (drawn from its
 * JSON Schema) and its tags, saved together with `PATCH` and `If-Match`. The API's errors are
 * shown next to the fields they are about; a 412 says someone changed the ticket meanwhile and
 * offers to reload (`ticket-stale`). Fires `ticket-changed` with the saved ticket.
 */
export class ToTicketDetailsForm extends LitElement {
  static properties = {
    ticket: { attribute: false },
    types: { state: true },
    chosenType: { state: true },
    errors: { state: true },
    message: { state: true },
    conflict: { state: true },
    busy: { state: true },
  };
  static styles = [
    sharedStyles,
    css`
      form {
        display: grid;
        gap: var(--wa-space-m);
      }
      .field-error {
        color: var(--wa-color-danger-on-quiet);
        font-weight: var(--wa-font-weight-semibold);
      }
      .note,
      .message {
        margin: 0;
        font-size: var(--wa-font-size-s);
        color: var(--wa-color-text-quiet);
      }
      .message.bad {
        color: var(--wa-color-danger-on-quiet);
      }
    `,
  ];

  declare ticket: DetailTicket;
  declare types: TicketType[];
  /** The type picked in the form (not saved yet); the schema shown is this one's. */
  declare chosenType: string | null;
  declare errors: Map<string, string>;
  declare message: string;
  declare conflict: boolean;
  declare busy: boolean;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #session = new ContextConsumer(this, { context: sessionContext });

  constructor() {
    super();
    this.types = [];
    this.chosenType = null;
    this.errors = new Map();
    this.message = '';
    this.conflict = false;
    this.busy = false;
    new I18nController(this);
  }

  connectedCallback(): void {
    super.connectedCallback();
    void loadTicketTypes(this.#api.value!).then((types) => {
      this.types = types;
    });
  }

  willUpdate(changed: Map<string, unknown>): void {
    const before = changed.get('ticket') as DetailTicket | undefined;
    // Another ticket, or this one saved or changed elsewhere: the form shows it as it is now.
    if (changed.has('ticket') && (!before || before.id !== this.ticket.id || before.version !== this.ticket.version)) {
      this.chosenType = this.ticket.type ?? null;
      if (before?.id !== this.ticket.id) {
        this.errors = new Map();
        this.message = '';
        this.conflict = false;
      }
    }
  }

  get #schema() {
    return this.types.find((type) => type.name === this.chosenType)?.fieldsSchema;
  }

  async #save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const root = this.renderRoot;
    const customFields: Record<string, unknown> = {};
    for (const spec of fieldSpecs(this.#schema)) {
      const value = readField(root, spec);
      if (value !== undefined) customFields[spec.name] = value;
    }
    // Fields of a type no longer chosen are removed with the type change.
    if (this.chosenType !== (this.ticket.type ?? null)) {
      for (const key of Object.keys(this.ticket.customFields ?? {})) if (!(key in customFields)) customFields[key] = null;
    }
    const tagText = (root.querySelector('wa-input[name="tags"]') as HTMLInputElement | null)?.value ?? '';
    const tags = [...new Set(tagText.split(',').map((tag) => tag.trim()).filter(Boolean))];
    const body: Record<string, unknown> = { tags };
    if (this.chosenType !== (this.ticket.type ?? null)) body.type = this.chosenType;
    if (this.chosenType) body.customFields = customFields;
    this.busy = true;
    this.message = '';
    this.conflict = false;
    try {
      const saved = await patchTicket(this.#api.value!, this.ticket, body);
      this.errors = new Map();
      this.message = t('ticket:saved');
      this.dispatchEvent(new CustomEvent('ticket-changed', { detail: saved, bubbles: true, composed: true }));
    } catch (error) {
      if (isSignedOut(error)) return;
      this.conflict = isConflict(error);
      this.errors = fieldErrors(error, '/body/customFields/');
      const other = fieldErrors(error, '/body/');
      this.message = this.conflict
        ? t('ticketDetail:fields.conflict')
        : this.errors.size
          ? t('ticketDetail:fields.invalid')
          : t('shell:error', { message: other.get('tags') ?? other.get('type') ?? (error as Error).message });
    } finally {
      this.busy = false;
    }
  }

  render() {
    const ticket = this.ticket;
    if (!ticket) return null;
    const disabled = !can(this.#session.value, 'tickets.update') || this.busy;
    const specs = fieldSpecs(this.#schema);
    const values = this.chosenType === ticket.type ? (ticket.customFields ?? {}) : {};
    const types = this.types.filter((type) => type.active || type.name === ticket.type);
    return html`<form aria-labelledby="details-title" novalidate @submit=${this.#save}>
      <h2 id="details-title">${t('ticketDetail:fields.details')}</h2>
      <wa-select
        name="type"
        label=${t('ticketDetail:fields.type')}
        .value=${this.chosenType ?? NO_TYPE}
        ?disabled=${disabled}
        @change=${(e: Event) => {
          const value = (e.target as HTMLSelectElement).value;
          this.chosenType = value === NO_TYPE || !value ? null : value;
          this.errors = new Map();
        }}
      >
        <wa-option value=${NO_TYPE}>${t('ticketDetail:fields.noType')}</wa-option>
        ${types.map((type) => html`<wa-option value=${type.name}>${type.name}</wa-option>`)}
      </wa-select>
      ${specs.map((spec) => renderField(spec, values[spec.name], this.errors.get(spec.name), disabled))}
      ${specs.some((spec) => spec.required) ? html`<p class="note">${t('ticketDetail:fields.requiredNote')}</p>` : null}
      <wa-input name="tags" label=${t('ticketDetail:fields.tags')} .value=${(ticket.tags ?? []).join(', ')} ?disabled=${disabled}>
        <span slot="hint">${t('ticketDetail:fields.tagsHint')}</span>
      </wa-input>
      <wa-button type="submit" variant="brand" appearance="outlined" ?loading=${this.busy} ?disabled=${disabled}>${t('ticketDetail:fields.save')}</wa-button>
      <p class="message ${this.conflict || this.errors.size ? 'bad' : ''}" role="status">
        ${this.message}
        ${this.conflict
          ? html`<wa-button size="small" @click=${() => this.dispatchEvent(new CustomEvent('ticket-stale', { bubbles: true, composed: true }))}>${t('ticketDetail:fields.reload')}</wa-button>`
          : null}
      </p>
    </form>`;
  }
}

customElements.define('to-ticket-details-form', ToTicketDetailsForm);

declare global {
  interface HTMLElementTagNameMap {
    'to-ticket-details-form': ToTicketDetailsForm;
  }
}
