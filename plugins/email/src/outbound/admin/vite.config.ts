import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Builds the outbound part's admin module (`templates-panel.ts`) into
 * `plugins/email/dist/admin/outbound.js`. As in examples/hello-plugin, the console's shared module
 * is not bundled: `@ticketops/admin-ui/plugin-api` becomes an import of `/admin/plugin-api.js`.
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
    outDir: process.env.TICKETOPS_EMAIL_ADMIN_OUT ?? here('../../../dist/admin'),
    emptyOutDir: false,
    target: 'es2022',
    lib: { entry: here('templates-panel.ts'), formats: ['es'], fileName: () => 'outbound.js' },
  },
});
