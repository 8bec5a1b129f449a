import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Plugin, type Rolldown, defineConfig, transformWithOxc } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const BASE = '/admin/';

/** Every file under `dir`, as paths relative to it with forward slashes. */
function filesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

/** The files of the build that only the portal's page loads (`portal.html` and its own chunks and styles). */
function portalFiles(bundle: Rolldown.OutputBundle): Set<string> {
  const reach = (roots: string[]) => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      const item = bundle[file];
      if (seen.has(file) || !item) return;
      seen.add(file);
      if (item.type !== 'chunk') return;
      for (const next of [...item.imports, ...item.dynamicImports, ...(item.viteMetadata?.importedCss ?? [])]) visit(next);
    };
    for (const root of roots) visit(root);
    return seen;
  };
  const entries = Object.values(bundle).filter((item): item is Rolldown.OutputChunk => item.type === 'chunk' && item.isEntry);
  const portal = entries.filter((chunk) => chunk.name === 'portal').map((chunk) => chunk.fileName);
  const console = reach(entries.filter((chunk) => chunk.name !== 'portal').map((chunk) => chunk.fileName));
  return new Set(['portal.html', ...[...reach(portal)].filter((file) => !console.has(file))]);
}

/**
 * Emits `sw.js`, the console's service worker (src/pwa/service-worker.ts, types stripped), with the
 * list of the build's files to cache on install and a version derived from their contents, so each
 * build installs its own cache and drops the last one. Nothing is fetched: the build stays offline.
 */
function serviceWorker(): Plugin {
  return {
    name: 'ticketops-service-worker',
    apply: 'build',
    async generateBundle(_options, bundle) {
      const publicDir = here('public');
      // The customer portal (portal.html) shares this build but is not the console: its page and
      // the files only it loads stay out of the console's cache.
      const portalOnly = portalFiles(bundle);
      const built = Object.keys(bundle).filter((file) => !file.endsWith('.map') && !portalOnly.has(file));
      const files = [...built, ...filesIn(publicDir)].sort();
      const hash = createHash('sha256');
      for (const file of files) {
        const item = bundle[file];
        hash.update(file);
        hash.update(item ? (item.type === 'chunk' ? item.code : item.source) : readFileSync(join(publicDir, file)));
      }
      const precache = [BASE, ...files.filter((file) => file !== 'index.html').map((file) => `${BASE}${file}`)];
      const source = here('src/pwa/service-worker.ts');
      const { code } = await transformWithOxc(readFileSync(source, 'utf8'), source, { lang: 'ts' });
      const prelude = `const PRECACHE = ${JSON.stringify(precache)};\nconst VERSION = ${JSON.stringify(hash.digest('hex').slice(0, 16))};\n`;
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: prelude + code });
    },
  };
}

/**
 * The console is built into `dist/` and served by the core at `/admin` (core/src/http/console.ts).
 * Everything is bundled from node_modules: the build needs no network, and the page loads nothing
 * from another origin.
 */
export default defineConfig({
  root: here('.'),
  base: BASE,
  plugins: [serviceWorker()],
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
    rolldownOptions: {
      // The page, and the module plugin panels import at a fixed address (src/plugin-api.ts).
      // The customer portal (served at /portal) is a page of its own in the same build.
      input: { index: here('index.html'), 'plugin-api': here('src/plugin-api.ts'), portal: here('portal.html') },
      // Its exports are its purpose: keep them (Vite drops an app entry's exports by default).
      preserveEntrySignatures: 'exports-only',
      output: {
        entryFileNames: (chunk) => (chunk.name === 'plugin-api' ? 'plugin-api.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  server: {
    // `npm run dev --workspace admin-ui` next to `npm start`: the API answers from the server.
    proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true } },
  },
});
