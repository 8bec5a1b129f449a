import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTAL_BASE, portalRouter } from './console.ts';
import { sendProblem, toTicketOpsError } from './problem.ts';

const servers: Server[] = [];
let dir: string;
let built: string;

/** The portal router inside a bare express app with the kernel's problem handler, on a free port. */
async function serve(consoleDir: string | null): Promise<string> {
  const app = express();
  app.use(PORTAL_BASE, portalRouter(consoleDir));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    sendProblem(res, toTicketOpsError(error, pino({ level: 'silent' }), '1mb'), 'test');
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ticketops-portal-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dir, 'portal.html'), '<!doctype html><title>portal</title><to-portal></to-portal>');
  built = await serve(dir);
});
afterAll(() => {
  for (const server of servers) server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('portal serving', () => {
  it('serves portal.html at /portal/ and for every client-side route under it, revalidated, with the console CSP', async () => {
    for (const path of ['/portal/', '/portal/requests', '/portal/requests/tkt_abc?x=1', '/portal/anything/else']) {
      const res = await fetch(`${built}${path}`);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain('<to-portal>');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
  });

  it('redirects /portal to /portal/ keeping the query, and refuses other methods', async () => {
    const res = await fetch(`${built}/portal?q=vpn`, { redirect: 'manual' });
    expect([res.status, res.headers.get('location')]).toEqual([301, '/portal/?q=vpn']);
    expect((await fetch(`${built}/portal/requests`, { method: 'POST' })).status).toBe(404);
  });

  it('answers 503 naming the build command when the portal is not built', async () => {
    for (const missing of [join(dir, 'nope'), null]) {
      const res = await fetch(`${await serve(missing)}/portal/`);
      expect(res.status).toBe(503);
      const problem = await res.json();
      expect(problem.code).toBe('unavailable');
      expect(problem.detail).toContain('npm run build --workspace admin-ui');
    }
  });
});
