/**
 * The SLA plugin's admin module: the panels it adds to the console. Built by
 * `npm run build:admin` (vite.admin.config.ts) into `dist/admin/panels.js`, served at
 * `/admin/plugins/sla/panels.js` while the plugin is enabled and imported the first time a zone
 * shows one of its panels. Lit, the API client and i18next come from the console
 * (`@ticketops/admin-ui/plugin-api`).
 *
 * - `<to-sla-calendars>` (settings): business calendars and their editor;
 * - `<to-sla-policies>` (settings): policies in order, their editor with the due-time preview;
 * - `<to-sla-ticket>` (ticket sidebar): the ticket's clocks, live countdowns and timeline.
 */
import './strings.ts';
import './calendars-panel.ts';
import './policies-panel.ts';
import './ticket-sla.ts';
