import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pluginAdminBuild } from '@ticketops/admin-ui/plugin-admin-build';
import { mergeConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The script editor runs TypeScript's language service in the browser. TypeScript 7 has no
 * compiler API, so the editor's chunk bundles `typescript@6` (the `typescript6` alias package) and
 * maps `typescript`, which `@valtown/codemirror-ts` imports, to it.
 */
const typescript6 = dirname(createRequire(import.meta.url).resolve('typescript6/package.json'));

/** `virtual:ts-libs`: the ES5…ES2022 standard library declarations the editor checks scripts against (no DOM: scripts run in the sandbox). */
function typescriptLibs() {
  const id = 'virtual:ts-libs';
  return {
    name: 'ticketops-ts-libs',
    resolveId: (source: string) => (source === id ? `\0${id}` : null),
    load(loaded: string) {
      if (loaded !== `\0${id}`) return null;
      const dir = join(typescript6, 'lib');
      const wanted = readdirSync(dir).filter((f) => /^lib\.(es5|es20(1[5-9]|2[0-2])(\.[a-z.]+)?|decorators(\.legacy)?)\.d\.ts$/.test(f) && !f.includes('.full.'));
      const files = Object.fromEntries(wanted.map((f) => [`/${f}`, readFileSync(join(dir, f), 'utf8')]));
      return `export default ${JSON.stringify(files)};`;
    },
  };
}

/** The plugin's admin module (`src/admin/panels.ts`) → `dist/admin/panels.js` (+ the script editor's lazy chunk), served at `/admin/plugins/automation/`. */
export default mergeConfig(pluginAdminBuild({ entry: here('src/admin/panels.ts'), outDir: here('dist/admin') }), {
  plugins: [typescriptLibs()],
  resolve: { alias: [{ find: /^typescript$/, replacement: join(typescript6, 'lib/typescript.js') }] },
});
