/**
 * The email plugin's admin module: every panel of its parts, in one module the console loads
 * when a zone shows one of them (built by `vite.admin.config.ts` into `dist/admin/panels.js`).
 */
import '../outbound/admin/templates-panel.ts';
import '../inbound/admin/mailboxes-panel.ts';
import '../inbound/admin/quarantine-panel.ts';
import '../inbound/admin/email-details.ts';
