import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

let found: string | null | undefined;

/**
 * util-linux `chrt`, when this machine has one that can start a process under `SCHED_IDLE` (any
 * user may lower a process to it); null elsewhere (macOS, a container without `chrt`). Checked once.
 */
export function idleLauncher(): string | null {
  if (found !== undefined) return found;
  found = null;
  if (process.platform !== 'linux') return found;
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/bin', '/bin']) {
    const chrt = join(dir || '.', 'chrt');
    if (!existsSync(chrt)) continue;
    if (spawnSync(chrt, ['--idle', '0', chrt, '--version'], { stdio: 'ignore', timeout: 5_000 }).status === 0) found = chrt;
    break;
  }
  return found;
}
