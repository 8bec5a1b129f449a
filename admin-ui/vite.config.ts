import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The console is built into `dist/` and served by the core at `/admin` (core/src/http/console.ts).
 * Everything is bundled from node_modules: the build needs no network, and the page loads nothing
 * from another origin.
 */
export default defineConfig({
  root: here('.'),
  base: '/admin/',
  publicDir: here('public'),
  resolve: {
    alias: [
      // @vaadin/router pulls in Vaadin's usage statistics, which would phone home from a
      // development host; the console never sends anything anywhere but its own API.
      { find: /^@vaadin\/vaadin-usage-statistics\/vaadin-usage-statistics\.js$/, replacement: here('src/shell/no-usage-statistics.ts') },
    ],
  },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
  server: {
    // `npm run dev --workspace admin-ui` next to `npm start`: the API answers from the server.
    proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true } },
  },
});
