/**
 * What the console shares with plugin admin modules, served at the fixed address
 * `/admin/plugin-api.js` (built as its own entry; its imports are the console's own chunks, so a
 * panel uses the very same Lit, contexts and i18next instance as the console, and ships none of
 * them). A plugin's admin module imports it as `@ticketops/admin-ui/plugin-api` in its sources,
 * which its build maps to `/admin/plugin-api.js` (see examples/hello-plugin/vite.admin.config.ts).
 *
 * A panel is a custom element named `to-<plugin id>-…`; the zone sets its `panel` property
 * (`AdminPanelContext`: zone, title, language, and the ticket in the ticket zones). It reads the
 * REST client, the signed-in user and the stream from the contexts below, and adds its strings
 * with `addStrings('<plugin id>', { en, de })`.
 */
export type { AdminPanelContext, AdminZone } from '@ticketops/plugin-sdk/admin.ts';
export { ContextConsumer } from '@lit/context';
export { LitElement, css, html, nothing, svg } from 'lit';
export { ApiError } from './api/client.ts';
export type { ApiClient } from './api/client.ts';
export { apiContext, can, sessionContext, streamContext } from './api/context.ts';
export type { StreamClient, StreamMessage } from './api/stream.ts';
export { StreamController } from './api/stream-controller.ts';
export type { Comment, Me, Ticket } from './api/types.ts';
export { I18nController } from './i18n/controller.ts';
export { addStrings, i18n, t } from './i18n/i18n.ts';
export { sharedStyles } from './shell/shared-styles.ts';
export { formStyles } from './shell/form-styles.ts';
