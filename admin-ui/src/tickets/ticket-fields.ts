import { ContextConsumer } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { apiContext, can, sessionContext } from '../api/context.ts';
import type { User } from '../api/types.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';
import type { Catalog } from './catalog.ts';
import { type Group, type Organization, loadGroups, loadOrganizations } from './detail/directory.ts';
import { type DetailTicket, isConflict, isSignedOut, patchTicket } from './detail/ticket-api.ts';
import { rememberUsers, userById } from './people.ts';
import './detail/user-picker.ts';

/** A select's value for "nobody" / "none" (Web Awesome's select treats an empty value as no choice). */
const NONE = '-';
type Field = 'status' | 'priority' | 'assigneeId' | 'groupId' | 'organizationId' | 'requesterId';

/**
 * `<to-ticket-fields>`: status, priority, assignee, group and organization, and who asked. Each
 * change is saved at once with `PATCH /tickets/{id}` and `If-Match` on the version shown; when
 * someone changed the ticket meanwhile (412) it says so and offers to reload (`ticket-stale`).
 * Fires `ticket-changed` with the saved ticket.
 */
export class ToTicketFields extends LitElement {
  static properties = {
    ticket: { attribute: false },
    catalog: { attribute: false },
    groups: { state: true },
    organizations: { state: true },
    requester: { state: true },
    changingRequester: { state: true },
    message: { state: true },
    conflict: { state: true },
    busy: { state: true },
  };
  static styles = [
    sharedStyles,
    css`
      section {
        display: grid;
        gap: var(--wa-space-m);
      }
      .message {
        margin: 0;
        color: var(--wa-color-text-quiet);
      }
      dl {
        margin: 0;
      }
      dt {
        font-weight: var(--wa-font-weight-semibold);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      summary {
        cursor: pointer;
      }
      .quiet {
        color: var(--wa-color-text-quiet);
        font-size: var(--wa-font-size-s);
      }
    `,
  ];

  declare ticket: DetailTicket;
  declare catalog: Catalog | null;
  declare groups: Group[];
  declare organizations: Organization[];
  declare requester: User | null;
  /** "Change the requester" is open (its search field is drawn only then). */
  declare changingRequester: boolean;
  declare message: string;
  declare conflict: boolean;
  declare busy: boolean;
  readonly #api = new ContextConsumer(this, { context: apiContext });
  readonly #session = new ContextConsumer(this, { context: sessionContext });

  constructor() {
    super();
    this.catalog = null;
    this.groups = [];
    this.organizations = [];
    this.requester = null;
    this.changingRequester = false;
    this.message = '';
    this.conflict = false;
    this.busy = false;
    new I18nController(this);
  }

  connectedCallback(): void {
    super.connectedCallback();
    const api = this.#api.value!;
    void loadGroups(api).then((groups) => {
      this.groups = groups;
    });
    if (can(this.#session.value, 'organizations.read')) {
      void loadOrganizations(api).then((organizations) => {
        this.organizations = organizations;
      });
    }
  }

  willUpdate(changed: Map<string, unknown>): void {
    const id = this.ticket?.requesterId;
    if (changed.has('ticket') && id && id !== this.requester?.id) {
      void userById(this.#api.value!, id).then((user) => {
        if (this.ticket.requesterId === id) this.requester = user;
      });
    }
  }

  /** The `a` shortcut: assigns the ticket to the signed-in agent. */
  async assignToMe(): Promise<void> {
    const me = this.#session.value?.id;
    if (me) await this.#save('assigneeId', me);
  }

  /** Saves one field at once; true when it was saved. */
  async #save(field: Field, raw: string): Promise<boolean> {
    const value = raw === NONE ? null : raw;
    if (!raw || value === (this.ticket[field] ?? null)) return false;
    this.busy = true;
    this.message = '';
    this.conflict = false;
    try {
      const saved = await patchTicket(this.#api.value!, this.ticket, { [field]: value });
      this.message = t('ticket:saved');
      this.dispatchEvent(new CustomEvent('ticket-changed', { detail: saved, bubbles: true, composed: true }));
      return true;
    } catch (error) {
      if (isConflict(error)) {
        this.conflict = true;
        this.message = t('ticketDetail:fields.conflict');
      } else if (!isSignedOut(error)) {
        this.message = t('shell:error', { message: (error as Error).message });
      }
    } finally {
      this.busy = false;
    }
    return false;
  }

  #select(field: Field, label: string, options: { value: string; label: string }[], disabled: boolean) {
    const current = this.ticket[field] ?? NONE;
    return html`<wa-select name=${field} label=${label} .value=${current} ?disabled=${disabled} @change=${(e: Event) => this.#save(field, (e.target as HTMLSelectElement).value)}>
      ${options.some((o) => o.value === current) ? null : html`<wa-option value=${current}>${current}</wa-option>`}
      ${options.map((o) => html`<wa-option value=${o.value}>${o.label}</wa-option>`)}
    </wa-select>`;
  }

  /** Any active user can be found by name or email (the server searches as one types). */
  #renderRequesterChange() {
    return html`<details .open=${this.changingRequester} @toggle=${(e: Event) => (this.changingRequester = (e.target as HTMLDetailsElement).open)}>
      <summary>${t('ticketDetail:fields.changeRequester')}</summary>
      ${this.changingRequester
        ? html`<to-user-picker
            label=${t('ticketDetail:fields.newRequester')}
            @user-picked=${async (e: CustomEvent<User>) => {
              rememberUsers(this.#api.value!, [e.detail]);
              if (await this.#save('requesterId', e.detail.id)) this.changingRequester = false;
            }}
          ></to-user-picker>`
        : null}
    </details>`;
  }

  render() {
    const ticket = this.ticket;
    if (!ticket) return null;
    const disabled = !can(this.#session.value, 'tickets.update') || this.busy;
    const named = (items: { name: string }[]) => items.map((i) => ({ value: i.name, label: i.name }));
    const none = (label: string) => ({ value: NONE, label });
    const agents = (this.catalog?.agents ?? []).map((u) => ({ value: u.id, label: u.name }));
    return html`<section aria-labelledby="fields-title">
      <h2 id="fields-title">${t('ticket:fields')}</h2>
      ${this.#select('status', t('ticket:status'), named(this.catalog?.statuses ?? []), disabled)}
      ${this.#select('priority', t('ticket:priority'), named(this.catalog?.priorities ?? []), disabled)}
      ${this.#select('assigneeId', t('ticketDetail:fields.assignee'), [none(t('ticketDetail:fields.unassigned')), ...agents], disabled)}
      ${this.#select('groupId', t('ticketDetail:fields.group'), [none(t('ticketDetail:fields.noGroup')), ...this.groups.map((g) => ({ value: g.id, label: g.name }))], disabled)}
      ${this.organizations.length || ticket.organizationId
        ? this.#select('organizationId', t('ticketDetail:fields.organization'), [none(t('ticketDetail:fields.noOrganization')), ...this.organizations.map((o) => ({ value: o.id, label: o.name }))], disabled)
        : null}
      <dl>
        <dt>${t('ticketDetail:fields.requester')}</dt>
        <dd data-field="requester">${ticket.requesterId ? html`${this.requester?.name ?? '…'} <span class="quiet">${this.requester?.email ?? ''}</span>` : t('ticketDetail:fields.none')}</dd>
      </dl>
      ${can(this.#session.value, 'users.read') && !disabled ? this.#renderRequesterChange() : null}
      <p class="message" role="status">
        ${this.message}
        ${this.conflict
          ? html`<wa-button size="small" @click=${() => this.dispatchEvent(new CustomEvent('ticket-stale', { bubbles: true, composed: true }))}>${t('ticketDetail:fields.reload')}</wa-button>`
          : null}
      </p>
    </section>`;
  }
}

customElements.define('to-ticket-fields', ToTicketFields);

declare global {
  interface HTMLElementTagNameMap {
    'to-ticket-fields': ToTicketFields;
  }
}
