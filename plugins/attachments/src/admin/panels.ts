/**
 * The attachments plugin's admin module. Built by `npm run build:admin` (vite.admin.config.ts)
 * into `dist/admin/panels.js`, served at `/admin/plugins/attachments/panels.js` while the plugin is
 * enabled and imported the first time a zone shows one of its panels; Lit, the API client and
 * i18next come from the console (`@ticketops/admin-ui/plugin-api`).
 *
 * - `<to-attachments-composer>` (`ticket.composer`): upload with progress, cancel, retry; insert
 *   into the message; linked to the message when it is sent;
 * - `<to-attachments-comment>` (`comment.attachments`): a message's files with their scan status.
 */
import './strings.ts';
import './composer-panel.ts';
import './comment-files.ts';
