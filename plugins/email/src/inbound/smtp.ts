import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import type { Logger } from '@ticketops/plugin-sdk';
import type { Db } from './db.ts';
import type { IngestInput, IngestResult } from './ingest/ingest.ts';

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/** `support+token@example.com` is delivered to the mailbox `support@example.com`. */
export function baseAddress(address: string): string {
  const a = address.trim().toLowerCase();
  const at = a.lastIndexOf('@');
  const plus = a.lastIndexOf('+', at);
  return plus > 0 ? `${a.slice(0, plus)}${a.slice(at)}` : a;
}

interface Target {
  tenantId: string;
  mailboxId: string;
}

/**
 * Direct delivery: an SMTP listener that accepts mail only for configured mailbox addresses
 * (550 otherwise), enforces the size limit while the data streams in (552, without buffering the
 * rest), and answers 250 only after the ingest committed (or the mail was kept aside) — 451 when
 * it failed, so the sending server retries.
 */
export class SmtpListener {
  readonly #server: SMTPServer;
  #port = 0;

  constructor(options: { db: Db; maxBytes: number; logger: Logger; ingest(input: IngestInput): Promise<IngestResult> }) {
    const targets = new WeakMap<SMTPServerSession, Map<string, Target>>();
    this.#server = new SMTPServer({
      name: 'ticketops',
      banner: 'TicketOps inbound',
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      // The client's name from reverse DNS is not used (the ip is what mailauth checks), and the lookup costs a round trip.
      disableReverseLookup: true,
      size: options.maxBytes,
      logger: false,
      onMailFrom(_address, session, callback) {
        // A new transaction in the same connection: recipients of an aborted one do not carry over.
        targets.delete(session);
        callback();
      },
      async onRcptTo(address, session, callback) {
        try {
          const rows = await options.db.query<{ id: string; tenant_id: string }>('select id, tenant_id from email_mailbox where lower(address) = ? and active', [baseAddress(address.address)]);
          const row = rows[0];
          if (!row) return callback(smtpError(550, `5.1.1 No mailbox here for <${address.address.slice(0, 200)}>`));
          const map = targets.get(session) ?? new Map<string, Target>();
          map.set(row.tenant_id, { tenantId: row.tenant_id, mailboxId: row.id });
          targets.set(session, map);
          callback();
        } catch (error) {
          options.logger.warn({ err: error }, 'email: smtp recipient lookup failed');
          callback(smtpError(451, '4.3.0 Temporary failure, try again later'));
        }
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          // Past the limit nothing more is kept; the rest is read and dropped so the reply can be sent.
          if (size <= options.maxBytes) chunks.push(chunk);
        });
        stream.on('error', (error) => callback(error));
        stream.on('end', async () => {
          if (stream.sizeExceeded || size > options.maxBytes) {
            targets.delete(session);
            return callback(smtpError(552, `5.3.4 Message exceeds the maximum size of ${options.maxBytes} bytes`));
          }
          const raw = Buffer.concat(chunks);
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
            to: session.envelope.rcptTo.map((r) => r.address),
            ip: session.remoteAddress,
            helo: session.hostNameAppearsAs || undefined,
          };
          try {
            const results: IngestResult[] = [];
            for (const target of targets.get(session)?.values() ?? []) {
              results.push(await options.ingest({ tenantId: target.tenantId, mailboxId: target.mailboxId, raw, source: 'smtp', envelope }));
            }
            targets.delete(session);
            callback(null, `Accepted: ${results.map((r) => r.status).join(', ')}`);
          } catch (error) {
            options.logger.error({ err: error }, 'email: smtp ingest failed');
            callback(smtpError(451, '4.3.0 Temporary failure, try again later'));
          }
        });
      },
    });
    this.#server.on('error', (error) => options.logger.warn({ err: error }, 'email: smtp listener error'));
  }

  get port(): number {
    return this.#port;
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#server.server.once('error', reject);
      this.#server.listen(port, host, () => {
        // The listener alone does not keep a stopping process alive.
        this.#server.server.unref();
        this.#port = (this.#server.server.address() as AddressInfo).port;
        resolve(this.#port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
