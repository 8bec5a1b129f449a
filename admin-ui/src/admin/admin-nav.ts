import { ContextConsumer } from '@lit/context';
import { LitElement, css, html } from 'lit';
import { can, sessionContext } from '../api/context.ts';
import { I18nController } from '../i18n/controller.ts';
import { t } from '../i18n/i18n.ts';
import { sharedStyles } from '../shell/shared-styles.ts';

/** The administration screens, their address under /admin/settings/ and the permission that shows them. */
export const ADMIN_SECTIONS = [
  { id: 'users', permission: 'users.read' },
  { id: 'groups', permission: 'groups.read' },
  { id: 'organizations', permission: 'organizations.read' },
  { id: 'roles', permission: 'roles.read' },
  { id: 'ticket-types', permission: 'ticket-settings.write' },
  { id: 'statuses', permission: 'ticket-settings.write' },
  { id: 'priorities', permission: 'ticket-settings.write' },
  { id: 'tokens', permission: null },
  { id: 'plugins', permission: 'plugins.read' },
  { id: 'audit', permission: 'audit.read' },
] as const;

/** `<to-admin-nav current="users">`: the administration navigation (a landmark), showing only the screens the user may use. */
export class ToAdminNav extends LitElement {
  static properties = { current: { type: String } };
  static styles = [
    sharedStyles,
    css`
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: var(--wa-space-2xs) var(--wa-space-xs);
      }
      a {
        display: inline-block;
        padding: var(--wa-space-2xs) var(--wa-space-s);
        border-radius: var(--wa-border-radius-pill, 999px);
        border: var(--wa-border-width-s) solid var(--wa-color-surface-border);
        color: inherit;
        text-decoration: none;
        font-size: var(--wa-font-size-s);
      }
      a[aria-current='page'] {
        background: var(--wa-color-brand-fill-quiet);
        color: var(--wa-color-brand-on-quiet);
        border-color: var(--wa-color-brand-border-loud, var(--wa-color-surface-border));
        font-weight: var(--wa-font-weight-semibold);
      }
    `,
  ];

  declare current: string;
  readonly #session = new ContextConsumer(this, { context: sessionContext, subscribe: true });

  constructor() {
    super();
    this.current = '';
    new I18nController(this);
  }

  render() {
    const me = this.#session.value;
    const shown = ADMIN_SECTIONS.filter((s) => s.permission === null || can(me, s.permission));
    return html`<nav aria-label=${t('admin:nav')}>
      <ul>
        ${shown.map((s) => html`<li><a href="/admin/settings/${s.id}" aria-current=${s.id === this.current ? 'page' : 'false'}>${t(`admin:section.${s.id}`)}</a></li>`)}
      </ul>
    </nav>`;
  }
}

customElements.define('to-admin-nav', ToAdminNav);

declare global {
  interface HTMLElementTagNameMap {
    'to-admin-nav': ToAdminNav;
  }
}
