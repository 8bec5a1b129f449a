#!/usr/bin/env node
// Launcher: runs the TypeScript CLI on the Node 24 the repository pins, whatever `node` started us.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  let pinned;
  try {
    const require = createRequire(import.meta.url);
    pinned = join(dirname(require.resolve('node/package.json')), 'bin', 'node');
  } catch {
    console.error(`ticketops needs Node.js 24 (found ${process.version}); run "npm install" in the repository first`);
    process.exit(1);
  }
  const result = spawnSync(pinned, [process.argv[1], ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
await import('../src/cli/main.ts');
