import { html, nothing } from 'lit';
import { t } from '../i18n/i18n.ts';
import { AdminElement, formValues, formatDate } from './admin-element.ts';
import { loadStaff } from './staff.ts';

interface Entry {
  id: string;
  action: string;
  actorId: string | null;
  targetType: string | null;
  targetId: string | null;
  data: Record<string, unknown> | null;
  ip: string | null;
  createdAt: string;
}
interface Person {
  id: string;
  name: string;
}
type List<T> = { items: T[]; nextCursor: string | null };

/**
 * `<to-admin-audit>` (`/admin/settings/audit`): the audit log, newest first, fifty at a time,
 * filtered by action (exact, or `role.*` for a family), actor and date range
 * (`GET /audit/search`).
 */
export class ToAdminAudit extends AdminElement {
  static properties = { ...AdminElement.properties, entries: { state: true }, next: { state: true }, people: { state: true } };

  declare entries: Entry[];
  declare next: string | null;
  declare people: Person[];
  #filter: Record<string, string | undefined> = {};

  constructor() {
    super();
    this.entries = [];
    this.next = null;
    this.people = [];
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
    if (this.can('users.read')) {
      // Actors worth filtering by are staff (customers' own actions are few); the list stays short.
      loadStaff(this.api.value!).then((staff) => (this.people = staff), () => {});
    }
  }

  async #load(more = false): Promise<void> {
    await this.fetching(async () => {
      const page = await this.api.value!.get<List<Entry>>('/audit/search', { ...this.#filter, limit: 50, cursor: more ? this.next : undefined });
      this.entries = more ? [...this.entries, ...page.items] : page.items;
      this.next = page.nextCursor;
    });
  }

  #apply(event: SubmitEvent): void {
    event.preventDefault();
    const v = formValues(event.target as HTMLFormElement);
    this.#filter = {
      action: v.action?.trim() || undefined,
      actorId: v.actorId || undefined,
      // Whole days in the user's time zone.
      from: v.from ? new Date(`${v.from}T00:00:00`).toISOString() : undefined,
      to: v.to ? new Date(`${v.to}T23:59:59.999`).toISOString() : undefined,
    };
    void this.#load();
  }

  render() {
    const names = new Map(this.people.map((p) => [p.id, p.name]));
    return this.frame('audit', t('admin:section.audit'), html`
      <form role="search" aria-label=${t('admin:audit.filters')} @submit=${this.#apply}>
        <div class="row">
          <div class="field"><label for="action">${t('admin:audit.action')}</label><input id="action" name="action" placeholder="role.*" aria-describedby="action-hint" /><p class="hint" id="action-hint">${t('admin:audit.actionHint')}</p></div>
          <div class="field"><label for="actor">${t('admin:audit.actor')}</label>
            <select id="actor" name="actorId"><option value="">${t('admin:all')}</option>${this.people.map((p) => html`<option value=${p.id}>${p.name}</option>`)}</select>
          </div>
          <div class="field"><label for="from">${t('admin:audit.from')}</label><input id="from" name="from" type="date" /></div>
          <div class="field"><label for="to">${t('admin:audit.to')}</label><input id="to" name="to" type="date" /></div>
          <button type="submit">${t('admin:audit.apply')}</button>
        </div>
      </form>
      ${this.renderProblem()}
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">${t('admin:section.audit')}</caption>
          <thead><tr><th scope="col">${t('admin:audit.when')}</th><th scope="col">${t('admin:audit.action')}</th><th scope="col">${t('admin:audit.actor')}</th><th scope="col" class="optional">${t('admin:audit.target')}</th><th scope="col">${t('admin:audit.details')}</th></tr></thead>
          <tbody>
            ${this.entries.map((e) => html`<tr data-action=${e.action}>
              <td>${formatDate(e.createdAt)}</td>
              <td><code>${e.action}</code></td>
              <td>${e.actorId ? (names.get(e.actorId) ?? e.actorId) : t('admin:audit.system')}</td>
              <td class="optional">${e.targetType ? `${e.targetType} ${e.targetId ?? ''}` : '—'}</td>
              <td>${e.data ? html`<details><summary>${t('admin:audit.show')}</summary><pre>${JSON.stringify(e.data, null, 2)}</pre></details>` : '—'}</td>
            </tr>`)}
          </tbody>
        </table>
      </div>
      ${this.entries.length === 0 && !this.busy ? html`<p class="quiet">${t('admin:audit.none')}</p>` : nothing}
      ${this.next ? html`<div class="actions"><button type="button" @click=${() => this.#load(true)} ?disabled=${this.busy}>${t('admin:loadMore')}</button></div>` : nothing}
    `);
  }
}

customElements.define('to-admin-audit', ToAdminAudit);
