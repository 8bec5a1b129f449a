import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Builds the plugin's admin module (`src/admin/panels.ts`) into `dist/admin/panels.js`, an ES
 * module the core serves at `/admin/plugins/sla/panels.js`. The console's shared module is not
 * bundled: `@ticketops/admin-ui/plugin-api` becomes an import of `/admin/plugin-api.js`, so Lit,
 * the contexts and i18next are the console's own.
 */
export default defineConfig({
  plugins: [
    {
      name: 'ticketops-console-plugin-api',
      enforce: 'pre',
      resolveId(id) {
        if (id === '@ticketops/admin-ui/plugin-api') return { id: '/admin/plugin-api.js', external: true };
        return null;
      },
    },
  ],
  build: {
    outDir: here('dist/admin'),
    emptyOutDir: true,
    target: 'es2022',
    lib: { entry: here('src/admin/panels.ts'), formats: ['es'], fileName: () => 'panels.js' },
  },
});
