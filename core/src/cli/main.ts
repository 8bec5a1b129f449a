import { Command } from 'commander';
import { isTicketOpsError } from '@ticketops/plugin-sdk';
import { loadConfig } from '../config/config.ts';
import { listen } from '../http/server.ts';
import { Kernel } from '../kernel/kernel.ts';
import { type CommandName, commands } from './commands.ts';
import { sendCommand, startControlSocket } from './control-socket.ts';
import { lockDataDir } from './data-dir-lock.ts';

const program = new Command('ticketops').description('TicketOps help desk: server, workers and administration').showHelpAfterError();

async function runServer(mode: { http: boolean; workers: boolean }) {
  const config = loadConfig();
  const started = performance.now();
  const releaseLock = config.databaseUrl ? () => {} : lockDataDir(config.dataDir);
  let kernel: Kernel | undefined;
  try {
    kernel = await Kernel.boot({ config, workers: mode.workers });
  } catch (error) {
    releaseLock();
    throw error;
  }
  const control = config.databaseUrl ? undefined : await startControlSocket(kernel);
  const http = mode.http ? await listen(kernel) : undefined;
  kernel.logger.info(
    { url: http?.url, database: kernel.db.mode, plugins: kernel.plugins.map((p) => p.definition.id), workers: mode.workers, bootMs: Math.round(performance.now() - started) },
    http ? `TicketOps listening on ${http.url}` : 'TicketOps worker running',
  );
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    kernel?.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 20_000).unref();
    await http?.close();
    control?.close();
    await kernel?.stop();
    releaseLock();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** Runs an admin command in the running server when there is one, else on a kernel of our own. */
async function runCommand(name: CommandName, args: unknown): Promise<unknown> {
  const config = loadConfig(process.env, { logLevel: process.env.LOG_LEVEL ?? 'warn' });
  if (!config.databaseUrl) {
    const viaServer = await sendCommand(config.dataDir, name, args);
    if (viaServer) return viaServer.result;
  }
  const releaseLock = config.databaseUrl ? () => {} : lockDataDir(config.dataDir);
  try {
    const kernel = await Kernel.boot({ config, workers: false });
    try {
      return await (commands[name] as (k: Kernel, a: unknown) => Promise<unknown>)(kernel, args);
    } finally {
      await kernel.stop();
    }
  } finally {
    releaseLock();
  }
}

program.command('start').description('HTTP server and background workers in one process').action(() => runServer({ http: true, workers: true }));
program.command('serve').description('HTTP server only (run workers with "ticketops worker")').action(() => runServer({ http: true, workers: false }));
program.command('worker').description('Background workers only: event delivery and schedules (needs DATABASE_URL)').action(async () => {
  if (!loadConfig().databaseUrl) throw new Error('"ticketops worker" needs DATABASE_URL; with the embedded database "ticketops start" runs the workers');
  await runServer({ http: false, workers: true });
});
program.command('migrate').description('Apply pending kernel and plugin migrations').action(async () => {
  const applied = (await runCommand('migrate', {})) as { owner: string; name: string }[];
  console.log(applied.length ? applied.map((m) => `applied ${m.owner}/${m.name}`).join('\n') : 'database is up to date');
});

program.command('seed').description('Generate data: a small realistic demo set, or many tickets for benchmarks')
  .option('--demo', 'a small realistic data set (200 tickets, people, organizations, groups) with demo agents')
  .option('--tickets <n>', 'number of tickets to generate', (v) => Number.parseInt(v, 10))
  .option('--comments-per-ticket <n>', 'comments per ticket (default 5; 3 with --demo)', (v) => Number.parseInt(v, 10))
  .action(async (o) => {
    if (!o.demo && !o.tickets) throw new Error('seed needs --demo or --tickets <n>');
    if (o.tickets !== undefined && !(o.tickets > 0 && o.tickets <= 10_000_000)) throw new Error('--tickets must be between 1 and 10000000');
    const started = performance.now();
    const result = await runCommand('seed', { demo: Boolean(o.demo), tickets: o.tickets, commentsPerTicket: o.commentsPerTicket });
    console.log(JSON.stringify({ ...(result as object), seconds: Math.round((performance.now() - started) / 100) / 10 }, null, 2));
  });

const users = program.command('users').description('Manage users');
users.command('create')
  .requiredOption('--email <email>', 'email address (login name)')
  .option('--password <password>', 'password (at least 8 characters); omit for a user who signs in by other means')
  .requiredOption('--role <role>', 'admin, agent, customer or a custom role')
  .option('--name <name>', 'display name (default: the part of the email before @)')
  .action(async (o) => {
    const user = (await runCommand('users.create', o)) as { id: string; email: string; role: string };
    console.log(`created ${user.role} ${user.email} (${user.id})`);
  });

const tokens = program.command('tokens').description('Manage API tokens');
tokens.command('create')
  .requiredOption('--email <email>', 'the user the token acts as')
  .requiredOption('--name <name>', 'what the token is for')
  .option('--expires <date>', 'ISO date after which the token stops working')
  .action(async (o) => {
    const created = (await runCommand('tokens.create', { email: o.email, name: o.name, expiresAt: o.expires })) as { token: string };
    // Only the token on stdout, so `TOKEN=$(ticketops tokens create …)` works.
    process.stdout.write(`${created.token}\n`);
  });

const plugins = program.command('plugins').description('Plugins');
plugins.command('list').description('Enabled plugins in load order').action(async () => {
  const list = (await runCommand('plugins.list', {})) as { id: string; version: string; dependsOn: string[] }[];
  if (list.length === 0) console.log('no plugins enabled');
  for (const p of list) console.log(`${p.id}@${p.version}${p.dependsOn.length ? `  (depends on ${p.dependsOn.join(', ')})` : ''}`);
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(`ticketops: ${isTicketOpsError(error) ? `${error.message} [${error.code}]` : (error as Error).stack ?? error}`);
  process.exit(1);
}
