import { type Logger, type TicketsService, asValue } from '@ticketops/plugin-sdk';
import type { EmailPart } from '../part.ts';
import { inboundConfigSchema } from './config.ts';
import type { Db } from './db.ts';
import { timedResolver } from './ingest/auth.ts';
import { quarantine } from './ingest/quarantine.ts';
import type { AttachmentHandoff } from './ingest/attachments.ts';
import { recoverAttachmentHandoffs } from './ingest/attachments-recovery.ts';
import { dropOldRawSources } from './ingest/raw-retention.ts';
import { type IngestDeps, type IngestInput, type IngestResult, ingest } from './ingest/ingest.ts';
import { ImapSupervisor } from './imap/supervisor.ts';
import { inboundMigrations } from './migrations.ts';
import { ParserPool } from './parse/pool.ts';
import { inboundPermissions } from './permissions.ts';
import { mailboxRoutes } from './routes/mailboxes.ts';
import { messageRoutes } from './routes/messages.ts';
import { SmtpListener } from './smtp.ts';

/** The inbound runtime, made in init: `resolve('email.inbound').get()`. Tests and the bench use it too. */
export interface InboundRuntime {
  deps: IngestDeps;
  db: Db;
  ingest(input: IngestInput): Promise<IngestResult>;
  smtp: SmtpListener | null;
  imap: ImapSupervisor | null;
  /** Finishes mail-file hand-overs a crashed process left due (the schedule runs it every minute). */
  recoverAttachments(): Promise<number>;
  /** Drops raw sources older than `rawRetentionDays` (hourly when configured); 0 when not configured. */
  dropOldRawSources(): Promise<number>;
  /** Stops the listener, the pollers and the parse workers (the kernel has no plugin stop hook yet). */
  stop(): Promise<void>;
}

/** The attachments plugin's service when it is enabled (an optional dependency): null otherwise. */
function attachmentsService(resolve: (name: string) => unknown, logger: Logger): AttachmentHandoff | null {
  try {
    const holder = resolve('attachments.runtime') as { get(): { service: AttachmentHandoff } };
    return { upload: (...args) => holder.get().service.upload(...args) };
  } catch (error) {
    logger.debug({ err: error }, 'email: attachments plugin not available; mail attachments are not kept');
    return null;
  }
}

/** Inbound: mailboxes, parsing, threading, loop protection. */
export const inboundPart: EmailPart = {
  name: 'inbound',
  configSchema: inboundConfigSchema,
  migrations: inboundMigrations,
  permissions: inboundPermissions,
  events: [],
  register(r) {
    const holder: { current: InboundRuntime | null; get(): InboundRuntime } = {
      current: null,
      get() {
        if (!holder.current) throw new Error('email inbound: not initialised');
        return holder.current;
      },
    };
    r.services({ inbound: asValue(holder) });
    let tickets: TicketsService | null = null;
    const ticketsOf = () => {
      tickets ??= holder.get().deps.tickets;
      return tickets;
    };
    r.routes([...messageRoutes(ticketsOf), ...mailboxRoutes(() => holder.get())]);
    if (r.config.inbound.attachments) {
      r.schedule({ name: 'inbound-attachments', cron: '* * * * *', handler: async () => void (await holder.get().recoverAttachments()) });
    }
    if (r.config.inbound.rawRetentionDays) {
      r.schedule({ name: 'inbound-raw-retention', cron: '29 * * * *', handler: async () => void (await holder.get().dropOldRawSources()) });
    }
  },
  async init(ctx) {
    const config = ctx.config.inbound;
    const holder = ctx.resolve<{ current: InboundRuntime | null }>('email.inbound');
    const db = ctx.resolve<Db>('db');
    const pool = new ParserPool({ size: config.parseWorkers, timeoutMs: config.limits.parseTimeoutMs, maxNestingDepth: config.limits.maxDepth, maxHeadersSize: config.limits.maxHeaderBytes * 4 });
    const deps: IngestDeps = {
      config,
      pool,
      tickets: ctx.resolve<TicketsService>('tickets'),
      forTenant: ctx.forTenant,
      forUser: ctx.forUser,
      attachments: config.attachments ? attachmentsService(ctx.resolve, ctx.logger) : null,
      resolver: timedResolver(config.authentication.dnsTimeoutMs),
      logger: ctx.logger,
      subjectPattern: ctx.config.outbound?.subjectTag,
    };
    const runtime: InboundRuntime = {
      deps,
      db,
      ingest: (input) => ingest(deps, input),
      smtp: null,
      imap: null,
      recoverAttachments: () => recoverAttachmentHandoffs(deps, db),
      dropOldRawSources: async () => (config.rawRetentionDays ? dropOldRawSources(db, config.rawRetentionDays) : 0),
      async stop() {
        await runtime.imap?.stop();
        await runtime.smtp?.close();
        await pool.close();
      },
    };
    holder.current = runtime;
    if (!config.enabled) return;
    if (config.smtp.enabled) {
      const smtp = new SmtpListener({ db, maxBytes: config.limits.maxMessageBytes, logger: ctx.logger, ingest: runtime.ingest });
      try {
        ctx.logger.info({ port: await smtp.listen(config.smtp.port, config.smtp.host) }, 'email: smtp listener started');
        runtime.smtp = smtp;
      } catch (error) {
        // Another process on this host has the port (API and worker processes side by side): it takes the mail.
        if ((error as { code?: string }).code !== 'EADDRINUSE') throw error;
        ctx.logger.warn({ port: config.smtp.port }, 'email: smtp port in use by another process; this one does not listen');
      }
    }
    if (config.imap.enabled) {
      const keepAside = async (input: IngestInput, error: Error) => {
        await ctx.forTenant(input.tenantId, (scope) =>
          quarantine(scope.em, { tenantId: input.tenantId, raw: input.raw, size: input.raw.length, source: input.source, mailboxId: input.mailboxId, reason: 'ingest-error', detail: { message: error.message.slice(0, 500) } }),
        );
      };
      runtime.imap = new ImapSupervisor({ db, config, logger: ctx.logger, ingest: runtime.ingest, keepAside });
      runtime.imap.start();
    }
  },
};
