import type { AddressInfo } from 'node:net';
import PostalMime, { type Email } from 'postal-mime';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  mailFrom: string;
  rcptTo: string[];
  /** The connection was upgraded with STARTTLS and authenticated. */
  secure: boolean;
  user: string | null;
  raw: string;
  parsed: Email;
}

export interface SmtpPeer {
  port: number;
  mails: CapturedMail[];
  /** Answers RCPT TO for `address` with `code` the next `times` times (then accepts again). */
  reject(address: string, code: number, times?: number): void;
  /** Mails to `address` (case-insensitive). */
  to(address: string): CapturedMail[];
  close(): Promise<void>;
}

/**
 * A real SMTP server in this process (smtp-server, STARTTLS with its built-in certificate, AUTH
 * PLAIN/LOGIN), capturing every message and parsing it with postal-mime — the peer a help desk's
 * outgoing mail relay would be. `reject` scripts temporary (4xx) or permanent (5xx) refusals.
 */
export async function startSmtpPeer(auth = { user: 'relay', pass: 'relay-secret' }): Promise<SmtpPeer> {
  const mails: CapturedMail[] = [];
  const rules = new Map<string, { code: number; times: number }>();
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    authMethods: ['PLAIN', 'LOGIN'],
    size: 10 * 1024 * 1024,
    onAuth(a, _session, callback) {
      if (a.username === auth.user && a.password === auth.pass) callback(null, { user: a.username });
      else callback(Object.assign(new Error('Invalid credentials'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      const rule = rules.get(address.address.toLowerCase());
      if (rule && rule.times > 0) {
        rule.times -= 1;
        callback(Object.assign(new Error(rule.code >= 500 ? 'Mailbox unavailable' : 'Try again later'), { responseCode: rule.code }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        PostalMime.parse(raw).then(
          (parsed) => {
            mails.push({
              mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              rcptTo: session.envelope.rcptTo.map((r) => r.address),
              secure: session.secure,
              user: (session.user as string | undefined) ?? null,
              raw,
              parsed,
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    reject(address, code, times = 1) {
      rules.set(address.toLowerCase(), { code, times });
    },
    to: (address) => mails.filter((m) => m.rcptTo.some((r) => r.toLowerCase() === address.toLowerCase())),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The value of a header of a captured mail (first occurrence), or undefined. */
export function header(mail: CapturedMail, name: string): string | undefined {
  return mail.parsed.headers.find((h) => h.key === name.toLowerCase())?.value;
}
