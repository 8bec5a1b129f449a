import { chmodSync, existsSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { TicketOpsError, isTicketOpsError } from '@ticketops/plugin-sdk';
import type { Kernel } from '../kernel/kernel.ts';
import { type CommandName, commands } from './commands.ts';

/**
 * Embedded PGlite can be opened by one process only. While the server runs, CLI commands are sent
 * to it over a Unix socket in the data directory (mode 0600: only the owner of the data can use
 * it), and the server runs them on its own database.
 */
export const controlSocketPath = (dataDir: string) => join(dataDir, 'control.sock');

export async function startControlSocket(kernel: Kernel): Promise<Server> {
  const path = controlSocketPath(kernel.config.dataDir);
  if (existsSync(path)) rmSync(path);
  const server = createServer(async (req, res) => {
    const name = decodeURIComponent((req.url ?? '').replace(/^\/commands\//, '')) as CommandName;
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || !Object.hasOwn(commands, name)) return send(404, { code: 'not_found', message: `Unknown command ${name}` });
    try {
      const result = await (commands[name] as (k: Kernel, a: unknown) => Promise<unknown>)(kernel, JSON.parse(raw || '{}'));
      send(200, { result });
    } catch (error) {
      send(isTicketOpsError(error) ? 400 : 500, { code: isTicketOpsError(error) ? error.code : 'internal', message: (error as Error).message });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  return server;
}

/** Sends a command to a running server; resolves `undefined` when no server listens. */
export function sendCommand(dataDir: string, name: CommandName, args: unknown): Promise<{ result: unknown } | undefined> {
  const path = controlSocketPath(dataDir);
  if (!existsSync(path)) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: path, method: 'POST', path: `/commands/${encodeURIComponent(name)}`, headers: { 'content-type': 'application/json' } }, async (res) => {
      let raw = '';
      for await (const chunk of res) raw += chunk;
      const body = JSON.parse(raw);
      if (res.statusCode === 200) resolve(body);
      else reject(new TicketOpsError(body.code ?? 'internal', body.message ?? 'command failed'));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // A socket file left by a crashed server: nobody is listening.
      if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT') resolve(undefined);
      else reject(error);
    });
    req.end(JSON.stringify(args));
  });
}
