import { type PluginSettings, SETTINGS_SERVICE, type Scope, asValue, hasPermission } from '@ticketops/plugin-sdk';
import type { EmailPart } from '../part.ts';
import { setBounceSuppressionHours } from './bounces.ts';
import { compose } from './compose.ts';
import { type OutboundConfig, outboundConfigSchema } from './config.ts';
import { deliver, drainFresh } from './deliver.ts';
import { ownAddressGuard } from './loop-guard.ts';
import { STAFF_PERMISSION } from './notifications.ts';
import { outboundMigrations } from './migrations.ts';
import { type Plan, planCommentCreated, planMention, planTicketCreated, planTicketUpdated } from './plan.ts';
import { OUTBOX_QUEUED, enqueue } from './queue.ts';
import { preferenceRoutes } from './routes/preferences.ts';
import { TEMPLATES_PERMISSION, templateRoutes } from './routes/templates.ts';
import { OutboundService } from './service.ts';
import { type EmailSettings, configForTenant } from './settings.ts';
import { requeueStale } from './sweep.ts';

/**
 * Outbound: notifications by SMTP. Each kernel event is planned into notices, filtered to the
 * people who should get them, rendered from the tenant's templates and queued in `email_outbox`
 * in one transaction; the `deliver` subscriber sends each queued message through a pooled
 * nodemailer transport, retrying through the job queue. See docs/email-outbound.md.
 */
export const outboundPart: EmailPart = {
  name: 'outbound',
  configSchema: outboundConfigSchema,
  migrations: outboundMigrations,
  permissions: [{ name: TEMPLATES_PERMISSION, description: 'Edit and preview the email notification templates' }],
  events: [OUTBOX_QUEUED],
  register(r) {
    const config: OutboundConfig = r.config.outbound;
    const service = new OutboundService(config);
    const isOwnAddress = ownAddressGuard(config);
    setBounceSuppressionHours(config.bounceSuppressionHours);
    r.services({ outbound: asValue(service) });
    r.routes([...templateRoutes(config), ...preferenceRoutes()]);
    if (!config.enabled) return;

    /** Whether a user may read internal notes, as the kernel computes it (custom roles included). */
    const staffCheck = (scope: Scope) => async (userId: string) => {
      if (!service.forUser) return false;
      return service.forUser(scope.tenantId, userId, async (as) => hasPermission(as.actor, STAFF_PERMISSION)).catch(() => false);
    };
    const queue = async (scope: Scope, plan: Plan | null) => {
      if (!plan) return;
      // The tenant's settings (its sender name) over the installation config.
      const settings = (await service.settings?.get(scope.tenantId)) ?? {};
      const messages = await compose(scope.em, scope.tenantId, plan, configForTenant(config, scope.tenantId, settings), { isOwnAddress, isStaff: staffCheck(scope) });
      await enqueue(scope, plan.ticket.id, plan.comment?.id ?? null, messages);
    };
    type TicketEvent = { ticketId: string; changes?: string[] };
    type CommentEvent = { ticketId: string; commentId: string; userIds?: string[] };
    r.subscribe<TicketEvent>('ticket.created', { id: 'notify-ticket-created' }, async (event, scope) => {
      await queue(scope, await planTicketCreated(scope.em, scope.tenantId, event.payload.ticketId));
    });
    r.subscribe<TicketEvent>('ticket.updated', { id: 'notify-ticket-updated' }, async (event, scope) => {
      await queue(scope, await planTicketUpdated(scope.em, scope.tenantId, event.id, event.payload.ticketId, event.payload.changes ?? []));
    });
    r.subscribe<CommentEvent>('comment.created', { id: 'notify-comment-created' }, async (event, scope) => {
      await queue(scope, await planCommentCreated(scope.em, scope.tenantId, event.payload.ticketId, event.payload.commentId, staffCheck(scope)));
    });
    r.subscribe<CommentEvent>('comment.mentioned', { id: 'notify-mention' }, async (event, scope) => {
      await queue(scope, await planMention(scope.em, scope.tenantId, event.payload.ticketId, event.payload.commentId, event.payload.userIds ?? []));
    });
    // One job per message; a temporary failure throws, so pg-boss retries it with backoff.
    r.subscribe<{ outboxId: string }>(OUTBOX_QUEUED, { id: 'deliver', retryLimit: config.maxAttempts }, async (event, scope) => {
      const options = { maxAttempts: config.maxAttempts, isOwnAddress };
      const outcome = await deliver(scope.em, scope.tenantId, event.payload.outboxId, service.transport(), options);
      if (outcome === 'retry') throw new Error(`email: outbox ${event.payload.outboxId} not delivered yet; retrying`);
      if (outcome !== 'sent') return;
      const retry = await drainFresh(scope.em, scope.tenantId, service.transport(), { ...options, limit: 200, parallel: config.smtp.maxConnections * 2 });
      if (!retry.length) return;
      await scope.transactional(async (tx) => {
        for (const outboxId of retry) await tx.emit(OUTBOX_QUEUED, { outboxId });
      });
    });
    r.schedule({
      name: 'outbox-requeue',
      cron: '*/5 * * * *',
      handler: async (scope) => {
        if (service.forTenant) await requeueStale(scope.em, service.forTenant);
      },
    });
  },
  init(ctx) {
    const service = ctx.resolve<OutboundService>('email.outbound');
    service.forTenant = ctx.forTenant;
    service.forUser = ctx.forUser;
    service.settings = ctx.resolve<PluginSettings<EmailSettings>>(SETTINGS_SERVICE);
  },
};
