/**
 * The knowledge-base plugin's admin module: the panels it adds to the console and the portal.
 * Built by `npm run build:admin` (vite.admin.config.ts) into `dist/admin/panels.js`, served at
 * `/admin/plugins/knowledge-base/panels.js` while the plugin is enabled. Lit, the API client and
 * i18next come from the console (`@ticketops/admin-ui/plugin-api`); marked and DOMPurify are
 * bundled (the console does not share its markdown renderer).
 *
 * - `<to-knowledge-base-nav>` (nav.main): a link to the editor;
 * - `<to-knowledge-base-editor>` (page `articles`, `/admin/p/knowledge-base/articles[/<article id>]`): search, category filter, the article editor
 *   with preview, publish/archive, files and revisions;
 * - `<to-knowledge-base-ticket>` (ticket.sidebar): linked articles and search-to-link;
 * - `<to-knowledge-base-portal-search>` (portal.home): customers' search and reading.
 */
import './strings.ts';
import './nav-link.ts';
import './editor-panel.ts';
import './ticket-panel.ts';
import './portal-search.ts';
