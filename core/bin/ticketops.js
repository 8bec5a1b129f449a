#!/usr/bin/env node
// Launcher: runs the TypeScript CLI on the Node 24 the repository pins, whatever `node` started us,
// with `--expose-gc` (large uploads hint minor collections so their read buffers are freed early).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const major = Number(process.versions.node.split('.')[0]);
const args = ['--expose-gc', process.argv[1], ...process.argv.slice(2)];

if (major < 24) {
  let pinned;
  try {
    const require = createRequire(import.meta.url);
    pinned = join(dirname(require.resolve('node/package.json')), 'bin', 'node');
  } catch {
    console.error(`ticketops needs Node.js 24 (found ${process.version}); run "npm install" in the repository first`);
    process.exit(1);
  }
  // This Node cannot replace itself: run the pinned one as a child and pass signals on, so a
  // process manager's SIGTERM reaches the server (graceful shutdown) instead of orphaning it.
  const child = spawn(pinned, args, { stdio: 'inherit' });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
} else if (typeof globalThis.gc !== 'function') {
  // Same process id, same signals: Node 24 can replace the running process.
  process.execve(process.execPath, [process.execPath, ...args], process.env);
} else {
  await import('../src/cli/main.ts');
}
