import { fileURLToPath } from 'node:url';
import { pluginAdminBuild } from '@ticketops/admin-ui/plugin-admin-build';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The plugin's admin module (`src/admin/panels.ts`) → `dist/admin/panels.js`, served at `/admin/plugins/knowledge-base/panels.js`. */
export default pluginAdminBuild({ entry: here('src/admin/panels.ts'), outDir: here('dist/admin') });
