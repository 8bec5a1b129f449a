import { defineConfig } from 'vite';

/**
 * The Vite config that builds a plugin's admin module (its console panels) into one ES module the
 * core serves at `/admin/plugins/<id>/<fileName>`. The console's shared module is not bundled:
 * `@ticketops/admin-ui/plugin-api` becomes an import of `/admin/plugin-api.js`, so Lit, the
 * contexts and i18next are the console's own. Plain JavaScript so Vite loads it from a plugin's
 * config as it is.
 *
 * @param {{ entry: string; outDir: string; fileName?: string; emptyOutDir?: boolean }} options
 */
export function pluginAdminBuild({ entry, outDir, fileName = 'panels.js', emptyOutDir = true }) {
  return defineConfig({
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
      outDir,
      emptyOutDir,
      target: 'es2022',
      lib: { entry, formats: ['es'], fileName: () => fileName },
      // Library mode keeps ES output unminified (`build.minify` only drops dead code there); these
      // modules are served to browsers — the automation editor's TypeScript chunk is 5.6 MB
      // unminified — so Rolldown minifies them fully, as the console's own build does.
      rolldownOptions: { output: { minify: true } },
    },
  });
}
