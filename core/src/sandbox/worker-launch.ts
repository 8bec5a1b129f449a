import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const found = new Map<string, string | null>();

/** A util-linux tool on this Linux machine that works as `probe` shows; null elsewhere. Checked once per tool. */
function tool(name: string, probe: (path: string) => string[]): string | null {
  if (found.has(name)) return found.get(name) ?? null;
  let path: string | null = null;
  if (process.platform === 'linux') {
    for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/bin', '/bin']) {
      const candidate = join(dir || '.', name);
      if (!existsSync(candidate)) continue;
      if (spawnSync(candidate, probe(candidate), { stdio: 'ignore', timeout: 5_000 }).status === 0) path = candidate;
      break;
    }
  }
  found.set(name, path);
  return path;
}

/**
 * util-linux `chrt`, when this machine has one that can start a process under `SCHED_IDLE` (any
 * user may lower a process to it); null elsewhere (macOS, a container without `chrt`).
 */
export const idleLauncher = (): string | null => tool('chrt', (chrt) => ['--idle', '0', chrt, '--version']);

/** util-linux `taskset`, when it can start a process on a set of CPUs; null elsewhere. */
export const affinityLauncher = (): string | null => tool('taskset', (taskset) => ['-c', '0', taskset, '--version']);

/** A CPU list as `taskset -c` takes it: `1`, `2-3`, `0,2,4-7`. */
export const CPU_LIST = '^[0-9]{1,4}(-[0-9]{1,4})?(,[0-9]{1,4}(-[0-9]{1,4})?){0,63}$';

/**
 * How a worker process is started: under `SCHED_IDLE` (through `chrt --idle 0`) when asked and
 * possible, and on the given CPUs (through `taskset -c`) when given and possible — so an operator
 * can keep the API's cores free of scripts. Every thread the worker starts inherits both.
 */
export function workerCommand(options: { scheduling: 'idle' | 'nice'; cpus?: string }): { execPath?: string; execArgv: string[] } {
  const node = [process.execPath, '--no-node-snapshot'];
  const chrt = options.scheduling === 'idle' ? idleLauncher() : null;
  const taskset = options.cpus ? affinityLauncher() : null;
  const command = [...(taskset ? [taskset, '-c', options.cpus as string] : []), ...(chrt ? [chrt, '--idle', '0'] : []), ...node];
  if (command[0] === process.execPath) return { execArgv: ['--no-node-snapshot'] };
  return { execPath: command[0], execArgv: command.slice(1) };
}
