/**
 * `<to-sla-policies>` (zone `settings.section`, permission `sla.policies.write`): the SLA
 * policies in the order they are tried (the first whose conditions hold applies), moved up and
 * down (`PUT /sla/policies/order`), each opened in `<to-sla-policy-form>`, a new one added, one
 * deleted.
 */
import { type ApiClient, ContextConsumer, I18nController, LitElement, apiContext, html, nothing, t } from '@ticketops/admin-ui/plugin-api';
import { CALENDARS_CHANGED } from './calendars-panel.ts';
import './policy-form.ts';
import type { PolicyCatalog } from './policy-form.ts';
import { type Calendar, type Policy, fieldErrors, formStyles } from './shared.ts';

export class ToSlaPolicies extends LitElement {
  static properties = { panel: { attribute: false }, policies: { state: true }, catalog: { state: true }, editing: { state: true }, notice: { state: true }, problem: { state: true } };
  static styles = [formStyles];

  declare panel: unknown;
  declare policies: Policy[] | null;
  declare catalog: PolicyCatalog;
  declare editing: Policy | 'new' | null;
  declare notice: string;
  declare problem: string;
  readonly #api = new ContextConsumer(this, { context: apiContext });

  constructor() {
    super();
    this.policies = null;
    this.catalog = { calendars: [], priorities: [], statuses: [], types: [], customFields: [], groups: [], organizations: [] };
    this.editing = null;
    this.notice = '';
    this.problem = '';
    new I18nController(this);
  }

  readonly #calendarsChanged = () => void this.#read();

  connectedCallback(): void {
    super.connectedCallback();
    void this.#read();
    window.addEventListener(CALENDARS_CHANGED, this.#calendarsChanged);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener(CALENDARS_CHANGED, this.#calendarsChanged);
  }

  async #read(): Promise<void> {
    const api = this.#api.value!;
    try {
      const [policies, calendars, priorities, statuses, types, groups, organizations] = await Promise.all([
        api.get<{ items: Policy[] }>('/sla/policies'),
        api.get<{ items: Calendar[] }>('/sla/calendars'),
        api.get<{ items: { name: string; active: boolean }[] }>('/ticket-priorities'),
        api.get<{ items: { name: string; category: string; active: boolean }[] }>('/ticket-statuses'),
        api.get<{ items: { name: string; schema?: { properties?: Record<string, unknown> } }[] }>('/ticket-types').catch(() => ({ items: [] })),
        api.get<{ items: { id: string; name: string }[] }>('/groups').catch(() => ({ items: [] })),
        allOrganizations(api),
      ]);
      this.policies = policies.items;
      this.catalog = {
        calendars: calendars.items, priorities: priorities.items.filter((p) => p.active).map((p) => p.name), statuses: statuses.items.filter((s) => s.active),
        types: types.items.map((type) => type.name),
        customFields: [...new Set(types.items.flatMap((type) => Object.keys(type.schema?.properties ?? {})))].sort(),
        groups: groups.items.map((g) => ({ value: g.id, label: g.name })),
        organizations: organizations.map((o) => ({ value: o.id, label: o.name })),
      };
    } catch (error) {
      this.problem = [...fieldErrors(error).values()].flat().join(' ');
    }
  }

  async #run(work: () => Promise<unknown>, done: string): Promise<void> {
    this.notice = '';
    this.problem = '';
    try {
      await work();
      this.notice = done;
      await this.#read();
    } catch (error) {
      this.problem = [...fieldErrors(error).values()].flat().join(' ');
    }
  }

  async #move(index: number, step: -1 | 1, button: HTMLElement): Promise<void> {
    const ids = (this.policies ?? []).map((p) => p.id);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + step, 0, moved!);
    const name = this.policies![index]!.name;
    await this.#run(() => this.#api.value!.request('PUT', '/sla/policies/order', { body: { ids } }), t('sla:policyMoved', { name, position: index + step + 1 }));
    // Keep the keyboard on the policy that moved (its button at the new row), or on the other button at an end.
    await this.updateComplete;
    const row = this.renderRoot.querySelectorAll('tbody tr')[index + step];
    const again = row?.querySelector<HTMLButtonElement>(`button[data-move="${step}"]:not([disabled])`) ?? row?.querySelector<HTMLButtonElement>('button[data-move]:not([disabled])');
    (again ?? button).focus();
  }

  #saved(event: CustomEvent<Policy>): void {
    this.editing = event.detail;
    void this.#run(async () => {}, t('sla:policySaved', { name: event.detail.name }));
  }

  render() {
    const policies = this.policies;
    const calendarName = (id: string) => this.catalog.calendars.find((c) => c.id === id)?.name ?? id;
    return html`<p class="quiet">${t('sla:policiesIntro')}</p>
      ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
      ${this.problem ? html`<p class="problem" role="alert">${this.problem}</p>` : nothing}
      ${policies === null
        ? html`<p role="status">${t('sla:loading')}</p>`
        : policies.length === 0
          ? html`<p>${t('sla:noPolicies')}</p>`
          : html`<table aria-label=${t('sla:policies')}>
              <thead><tr><th scope="col">${t('sla:order')}</th><th scope="col">${t('sla:name')}</th><th scope="col">${t('sla:calendar')}</th><th scope="col">${t('sla:state')}</th><th scope="col"><span class="visually-hidden">${t('sla:actions')}</span></th></tr></thead>
              <tbody>
                ${policies.map(
                  (policy, i) => html`<tr data-policy=${policy.id}>
                    <td>${i + 1}</td>
                    <td>${policy.name}</td>
                    <td>${calendarName(policy.calendarId)}</td>
                    <td>${policy.active ? t('sla:activeYes') : t('sla:activeNo')}</td>
                    <td class="actions">
                      <button type="button" data-move="-1" ?disabled=${i === 0} aria-label=${t('sla:moveUp', { name: policy.name })} @click=${(e: Event) => this.#move(i, -1, e.currentTarget as HTMLElement)}>${t('sla:up')}</button>
                      <button type="button" data-move="1" ?disabled=${i === policies.length - 1} aria-label=${t('sla:moveDown', { name: policy.name })} @click=${(e: Event) => this.#move(i, 1, e.currentTarget as HTMLElement)}>${t('sla:down')}</button>
                      <button type="button" aria-label=${t('sla:editNamed', { name: policy.name })} @click=${() => {
                        this.notice = '';
                        this.editing = policy;
                      }}>${t('sla:edit')}</button>
                      <button type="button" class="danger" aria-label=${t('sla:deleteNamed', { name: policy.name })} @click=${() =>
                        this.#run(async () => {
                          await this.#api.value!.request('DELETE', `/sla/policies/${encodeURIComponent(policy.id)}`);
                          if (this.editing !== 'new' && this.editing?.id === policy.id) this.editing = null;
                        }, t('sla:policyDeleted', { name: policy.name }))}>${t('sla:delete')}</button>
                    </td>
                  </tr>`,
                )}
              </tbody>
            </table>`}
      ${this.editing === null
        ? html`<div class="actions"><button type="button" class="primary" ?disabled=${this.catalog.calendars.length === 0} @click=${() => {
            this.notice = '';
            this.editing = 'new';
          }}>${t('sla:newPolicy')}</button>${this.catalog.calendars.length === 0 && policies ? html`<span class="quiet">${t('sla:needCalendar')}</span>` : nothing}</div>`
        : html`<to-sla-policy-form .policy=${this.editing === 'new' ? null : this.editing} .catalog=${this.catalog} @saved=${this.#saved} @cancel=${() => {
            this.editing = null;
          }}></to-sla-policy-form>`}`;
  }
}

customElements.define('to-sla-policies', ToSlaPolicies);

declare global {
  interface HTMLElementTagNameMap {
    'to-sla-policies': ToSlaPolicies;
  }
}

/** Every organization, page by page (a policy may name any; at most 2,000 are offered). */
async function allOrganizations(api: ApiClient): Promise<{ id: string; name: string }[]> {
  const all: { id: string; name: string }[] = [];
  let cursor: string | null = null;
  try {
    do {
      const page: { items: { id: string; name: string }[]; nextCursor: string | null } = await api.get('/organizations', { limit: 100, ...(cursor ? { cursor } : {}) });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor && all.length < 2000);
  } catch {
    // Without organizations.read the picker offers none; ids already in a policy still show.
  }
  return all;
}
