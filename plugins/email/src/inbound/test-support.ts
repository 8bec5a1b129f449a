import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { emailPlugin } from '../index.ts';
import type { InboundRuntime } from './part.ts';

export interface InboundKit {
  t: TestKernel;
  runtime: InboundRuntime;
  tenantId: string;
  admin: { id: string; token: string };
  close(): Promise<void>;
}

/** A kernel with the email plugin, inbound enabled (SMTP and IMAP off unless asked for). */
export async function startInbound(inbound: Record<string, unknown> = {}, extra: { plugins?: NonNullable<Parameters<typeof startTestKernel>[0]>['plugins']; outbound?: Record<string, unknown>; emailDefinition?: typeof emailPlugin } = {}): Promise<InboundKit> {
  const t = await startTestKernel({
    plugins: [
      ...(extra.plugins ?? []),
      { definition: extra.emailDefinition ?? emailPlugin, config: { outbound: extra.outbound ?? {}, inbound: { enabled: true, smtp: { enabled: false }, imap: { enabled: false }, ...inbound } } },
    ],
  });
  const runtime = t.kernel.container.resolve<{ get(): InboundRuntime }>('email.inbound').get();
  const tenantId = (await t.kernel.db.query<{ id: string }>('select id from tenant order by created_at limit 1'))[0]?.id as string;
  const admin = await t.createUser({ role: 'admin' });
  return {
    t, runtime, tenantId, admin,
    async close() {
      await runtime.stop();
      await t.close();
    },
  };
}

let seq = 0;

export interface MailSpec {
  from?: string;
  to?: string;
  cc?: string;
  subject?: string;
  messageId?: string | null;
  inReplyTo?: string;
  references?: string;
  headers?: Record<string, string>;
  body?: string;
  /** A full MIME body with its own Content-Type (replaces `body`). */
  mime?: { contentType: string; body: string };
}

/** A small RFC 5322 message. */
export function mail(spec: MailSpec = {}): Buffer {
  const id = spec.messageId === undefined ? `<m${++seq}.${Date.now()}@sender.test>` : spec.messageId;
  const lines = [
    `From: ${spec.from ?? 'Carla Customer <carla@customer.test>'}`,
    `To: ${spec.to ?? 'support@help.test'}`,
    ...(spec.cc ? [`Cc: ${spec.cc}`] : []),
    `Subject: ${spec.subject ?? 'Printer is broken'}`,
    'Date: Mon, 30 Nov 2026 05:00:00 +0000',
    ...(id ? [`Message-ID: ${id}`] : []),
    ...(spec.inReplyTo ? [`In-Reply-To: ${spec.inReplyTo}`] : []),
    ...(spec.references ? [`References: ${spec.references}`] : []),
    ...Object.entries(spec.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
    `Content-Type: ${spec.mime?.contentType ?? 'text/plain; charset=utf-8'}`,
    '',
    spec.mime?.body ?? spec.body ?? 'It prints only blank pages.',
    '',
  ];
  return Buffer.from(lines.join('\r\n'));
}

export const messageIdOf = (raw: Buffer) => /^Message-ID: (.+)$/m.exec(raw.toString('latin1'))?.[1]?.trim() ?? '';

/**
 * A minimal SMTP client over a socket: sends the envelope and data, returns each reply line's
 * code. Stops at the first refusal (so a 550 on RCPT TO is seen as such).
 */
export async function smtpSend(port: number, envelope: { from: string; to: string[] }, raw: Buffer): Promise<{ codes: number[]; last: string }> {
  const { createConnection } = await import('node:net');
  const socket = createConnection({ host: '127.0.0.1', port });
  let buffer = '';
  const waiting: ((line: string) => void)[] = [];
  socket.on('data', (d) => {
    buffer += d.toString('latin1');
    for (let i = buffer.indexOf('\r\n'); i >= 0; i = buffer.indexOf('\r\n')) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 2);
      if (/^\d{3} /.test(line)) waiting.shift()?.(line);
    }
  });
  const reply = () => new Promise<string>((resolve, reject) => {
    waiting.push(resolve);
    socket.once('error', reject);
  });
  const codes: number[] = [];
  const step = async (command: string | Buffer | null) => {
    const answer = reply();
    if (command !== null) socket.write(command);
    const line = await answer;
    codes.push(Number(line.slice(0, 3)));
    return line;
  };
  let last = await step(null);
  const ok = () => codes[codes.length - 1] as number < 400;
  for (const command of [`EHLO client.test\r\n`, `MAIL FROM:<${envelope.from}>\r\n`, ...envelope.to.map((t) => `RCPT TO:<${t}>\r\n`)]) {
    last = await step(command);
    if (!ok()) break;
  }
  if (ok()) {
    last = await step('DATA\r\n');
    if (ok()) {
      const dotted = Buffer.from(raw.toString('latin1').replace(/\r\n\./g, '\r\n..'), 'latin1');
      last = await step(Buffer.concat([dotted, Buffer.from(raw.toString('latin1').endsWith('\r\n') ? '.\r\n' : '\r\n.\r\n')]));
    }
  }
  socket.end('QUIT\r\n');
  return { codes, last };
}

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Dovecot from .ci/run; tests that need it skip (with a warning) only when it is not configured. */
export function imapServer(): { host: string; port: number; password: string } | null {
  const port = Number(process.env.TICKETOPS_TEST_IMAP_PORT);
  if (!port) {
    console.warn('[email inbound] TICKETOPS_TEST_IMAP_PORT is not set: IMAP tests are skipped (.ci/run starts dovecot and sets it)');
    return null;
  }
  return { host: '127.0.0.1', port, password: process.env.TICKETOPS_TEST_IMAP_PASSWORD ?? 'ticketops' };
}

/** A fresh dovecot user (its own empty maildir). */
export const imapUser = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}`;
