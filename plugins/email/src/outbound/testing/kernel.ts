import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { emailPlugin } from '../../index.ts';
import type { OutboundConfig } from '../config.ts';
import { sql } from '../db.ts';
import type { OutboundService } from '../service.ts';
import { type SmtpPeer, startSmtpPeer } from './smtp-peer.ts';

export interface OutboundHarness {
  t: TestKernel;
  smtp: SmtpPeer;
  query<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** A kernel with the email plugin's outbound part sending to a real in-process SMTP server. */
export async function startOutbound(overrides: Partial<OutboundConfig> = {}, options: { workers?: boolean } = {}): Promise<OutboundHarness> {
  const smtp = await startSmtpPeer();
  const outbound = {
    enabled: true,
    smtp: { host: '127.0.0.1', port: smtp.port, secure: false, requireTLS: true, auth: { user: 'relay', pass: 'relay-secret' }, rejectUnauthorized: false, maxConnections: 2 },
    from: { address: 'support@help.example', name: 'Example Support' },
    ownAddresses: ['helpdesk-inbox@help.example'],
    acknowledgementsPerHour: 1000,
    ...overrides,
  };
  const t = await startTestKernel({ plugins: [{ definition: emailPlugin, config: { outbound } }], workers: options.workers ?? true });
  const query = async <T,>(text: string, params: unknown[] = []) => sql<T>(t.kernel.db.em.fork() as never, text, params);
  return {
    t,
    smtp,
    query,
    async close() {
      await t.kernel.runAsSystem('ten_default', 'test-close', async (scope) => scope.resolve<OutboundService>('email.outbound').close());
      await t.close();
      await smtp.close();
    },
  };
}

export async function waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, what = 'condition', ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
