import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ImapFlow } from 'imapflow';
import type { Logger } from '@ticketops/plugin-sdk';
import type { InboundConfig } from '../config.ts';
import type { Db } from '../db.ts';
import type { IngestInput, IngestResult } from '../ingest/ingest.ts';

export interface MailboxRow {
  id: string;
  tenant_id: string;
  host: string;
  port: number;
  secure: boolean;
  username: string;
  password: string;
  folder: string;
  move_to: string | null;
  uid_validity: string | null;
  last_uid: string;
}

const BATCH = 25;

/** An imapflow client for a mailbox row (no logging: it would print credentials and mail). */
export function imapClient(m: Pick<MailboxRow, 'host' | 'port' | 'secure' | 'username' | 'password'>, idle = false): ImapFlow {
  return new ImapFlow({ host: m.host, port: m.port, secure: m.secure, auth: { user: m.username, pass: m.password }, logger: false, disableAutoIdle: !idle, autoIdleDelay: 1000, connectionTimeout: 15_000, greetingTimeout: 10_000, socketTimeout: 120_000, tls: { rejectUnauthorized: true } });
}

/**
 * Runs one poller per active mailbox across all processes: a process owns a mailbox while it holds
 * its lease (a row update that only succeeds when the lease is free, expired or already its own)
 * and renews it every cycle. A cycle reads new UIDs in batches — collecting a batch first, since
 * commands inside imapflow's fetch iterator hang — ingests each message, and only after that
 * committed flags it \Seen (or moves it) and advances the stored UID. IDLE wakes a cycle early.
 */
export class ImapSupervisor {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  readonly #sessions = new Map<string, { client: ImapFlow; wake(): void; stopped: boolean; done: Promise<void> }>();
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  readonly options: {
    db: Db;
    config: InboundConfig;
    logger: Logger;
    ingest(input: IngestInput): Promise<IngestResult>;
    /** Keeps a message aside that failed to ingest again and again, so it cannot block its mailbox. */
    keepAside(input: IngestInput, error: Error): Promise<void>;
  };
  /** Failed ingests per message (mailbox, UIDVALIDITY, UID) in this process. */
  readonly #failures = new Map<string, number>();

  constructor(options: ImapSupervisor['options']) {
    this.options = options;
  }

  start(): void {
    const tick = () => {
      if (this.#stopped) return;
      void this.claim().finally(() => {
        if (!this.#stopped) this.#timer = setTimeout(tick, Math.min(this.options.config.imap.leaseSeconds * 500, this.options.config.imap.pollSeconds * 1000)).unref();
      });
    };
    tick();
  }

  /** Takes the leases this process can get and starts their sessions. */
  async claim(): Promise<void> {
    try {
      const rows = await this.options.db.query<MailboxRow>(
        `update email_mailbox set lease_owner = ?, lease_until = now() + make_interval(secs => ?)
         where active and (lease_until is null or lease_until < now() or lease_owner = ?) returning *`,
        [this.owner, this.options.config.imap.leaseSeconds, this.owner],
      );
      for (const row of rows) if (!this.#sessions.has(row.id)) this.#run(row);
      // A session whose mailbox was not renewed (deactivated, deleted, taken over) wakes up, finds out and ends.
      const mine = new Set(rows.map((r) => r.id));
      for (const [id, session] of this.#sessions) if (!mine.has(id)) session.wake();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'email: imap lease claim failed');
    }
  }

  #run(row: MailboxRow): void {
    const client = imapClient(row, this.options.config.imap.idle);
    // A wake-up that comes while a cycle runs is remembered, so the next cycle starts at once.
    let pending = false;
    let wake: () => void = () => {};
    const session = {
      client,
      wake: () => {
        pending = true;
        wake();
      },
      stopped: false,
      done: Promise.resolve(),
    };
    this.#sessions.set(row.id, session);
    session.done = (async () => {
      try {
        await client.connect();
        // IDLE (imapflow enters it between commands) reports new mail at once; polling is the fallback.
        if (this.options.config.imap.idle) client.on('exists', () => session.wake());
        await client.mailboxOpen(row.folder);
        while (!session.stopped && !this.#stopped) {
          // Renewing the lease also reads the settings: a changed server, login or folder restarts the session.
          const fresh = await this.#renew(row.id);
          if (!fresh || (['host', 'port', 'secure', 'username', 'password', 'folder'] as const).some((k) => fresh[k] !== row[k])) break;
          row.move_to = fresh.move_to;
          // The lock only while a cycle runs: imapflow enters IDLE only when no lock is held.
          pending = false;
          const lock = await client.getMailboxLock(row.folder);
          try {
            await this.#cycle(client, row);
          } finally {
            lock.release();
          }
          if (pending) continue;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, this.options.config.imap.pollSeconds * 1000);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      } catch (error) {
        this.options.logger.warn({ err: error, mailboxId: row.id }, 'email: imap session failed');
        await this.options.db.query('update email_mailbox set last_error = ? where id = ?', [(error as Error).message.slice(0, 500), row.id]).catch(() => undefined);
      } finally {
        await client.logout().catch(() => client.close());
        this.#sessions.delete(row.id);
        // Let another process (or the next claim here) pick the mailbox up.
        await this.options.db.query('update email_mailbox set lease_until = null where id = ? and lease_owner = ?', [row.id, this.owner]).catch(() => undefined);
      }
    })();
  }

  async #renew(id: string): Promise<MailboxRow | null> {
    const rows = await this.options.db.query<MailboxRow>(
      'update email_mailbox set lease_until = now() + make_interval(secs => ?) where id = ? and lease_owner = ? and active returning *',
      [this.options.config.imap.leaseSeconds, id, this.owner],
    );
    return rows[0] ?? null;
  }

  /** One pass over new mail. UIDVALIDITY changed → start over from UID 1 (Message-ID dedup keeps it to one ingest). */
  async #cycle(client: ImapFlow, row: MailboxRow): Promise<void> {
    const mailbox = client.mailbox;
    if (!mailbox) return;
    const validity = String(mailbox.uidValidity);
    let lastUid = Number(row.last_uid);
    if (row.uid_validity !== validity) {
      if (row.uid_validity !== null) this.options.logger.warn({ mailboxId: row.id, from: row.uid_validity, to: validity }, 'email: UIDVALIDITY changed; re-syncing');
      lastUid = 0;
      await this.options.db.query('update email_mailbox set uid_validity = ?, last_uid = 0 where id = ?', [validity, row.id]);
      row.uid_validity = validity;
    }
    for (;;) {
      const found = (await client.search({ uid: `${lastUid + 1}:*` }, { uid: true })) || [];
      const uids = found.filter((uid) => uid > lastUid).sort((a, b) => a - b).slice(0, BATCH);
      if (uids.length === 0) break;
      const batch: { uid: number; size: number; source?: Buffer }[] = [];
      for await (const msg of client.fetch(uids, { uid: true, size: true }, { uid: true })) batch.push({ uid: msg.uid, size: msg.size ?? 0 });
      const small = batch.filter((m) => m.size <= this.options.config.limits.maxMessageBytes).map((m) => m.uid);
      if (small.length > 0) {
        const sources = new Map<number, Buffer>();
        for await (const msg of client.fetch(small, { uid: true, source: true }, { uid: true })) if (msg.source) sources.set(msg.uid, msg.source);
        for (const m of batch) m.source = sources.get(m.uid);
      }
      for (const m of batch.sort((a, b) => a.uid - b.uid)) {
        // Oversize mail is never downloaded: an empty source makes ingest keep a pointer aside.
        const raw = m.source ?? Buffer.alloc(0);
        const input: IngestInput = { tenantId: row.tenant_id, mailboxId: row.id, source: 'imap', raw, ...(m.source ? {} : { oversize: { size: m.size, uid: m.uid, uidValidity: validity } }) };
        try {
          await this.options.ingest(input);
        } catch (error) {
          // Retried by the next cycle; the third failure of the same message keeps it aside instead.
          const key = `${row.id}:${validity}:${m.uid}`;
          const failures = (this.#failures.get(key) ?? 0) + 1;
          this.#failures.set(key, failures);
          if (failures < 3) throw error;
          await this.options.keepAside(input, error as Error);
          this.#failures.delete(key);
        }
        // Only now, after the ingest committed: mark it on the server, then remember the UID.
        if (row.move_to) await client.messageMove(String(m.uid), row.move_to, { uid: true });
        else await client.messageFlagsAdd(String(m.uid), ['\\Seen'], { uid: true });
        lastUid = m.uid;
        await this.options.db.query('update email_mailbox set last_uid = ?, last_polled_at = now(), last_error = null where id = ? and uid_validity = ?', [lastUid, row.id, validity]);
      }
      row.last_uid = String(lastUid);
    }
    await this.options.db.query('update email_mailbox set last_polled_at = now() where id = ?', [row.id]);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    const sessions = [...this.#sessions.values()];
    for (const s of sessions) {
      s.stopped = true;
      s.wake();
    }
    await Promise.all(sessions.map((s) => s.done));
  }
}
