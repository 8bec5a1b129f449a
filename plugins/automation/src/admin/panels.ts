/**
 * The automation plugin's admin module, built by `npm run build:admin` (vite.admin.config.ts) into
 * `dist/admin/panels.js` and served at `/admin/plugins/automation/panels.js` while the plugin is on.
 *
 * - `<to-automation-rules>` (settings): rules, versions, dry run with the condition trace, run log;
 * - `<to-automation-macros>` (ticket toolbar): macro buttons with a preview;
 * - `<to-automation-approvals>` (dashboard): the approval inbox.
 */
import './strings.ts';
import './rules-panel.ts';
import './macros-toolbar.ts';
import './approvals-inbox.ts';
