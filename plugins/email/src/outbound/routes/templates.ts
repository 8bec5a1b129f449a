import { type PluginSettings, type RouteDefinition, SETTINGS_SERVICE, TicketOpsError, defineRoute, notFound, respond } from '@ticketops/plugin-sdk';
import { type OutboundConfig, senderOf } from '../config.ts';
import { type EmailSettings, configForTenant } from '../settings.ts';
import { sql } from '../db.ts';
import { commentFacts, people, ticketFacts } from '../facts.ts';
import { NOTIFICATIONS, NOTIFICATION_KINDS, type NotificationKind } from '../notifications.ts';
import { taggedSubject } from '../subject.ts';
import type { TemplateSource } from '../templates/defaults.ts';
import { markdownToHtml } from '../templates/markdown.ts';
import { checkTemplate, renderHtml, renderText } from '../templates/render.ts';
import { chooseTemplate, loadOverrides, shippedLocales } from '../templates/store.ts';

export const TEMPLATES_PERMISSION = 'email.templates.manage';

const kind = { type: 'string', enum: NOTIFICATION_KINDS };
const locale = { type: 'string', pattern: '^[a-z]{2}(-[A-Z]{2})?$', description: 'BCP 47 language (`en`, `de`, `de-AT`)' };
const source = { type: 'string', maxLength: 20_000 };
const keyParams = { type: 'object', required: ['kind', 'locale'], properties: { kind, locale } };
const templateSchema = {
  type: 'object',
  required: ['kind', 'locale', 'subject', 'html', 'text', 'overridden'],
  properties: { kind, locale, subject: { type: 'string' }, html: { type: 'string' }, text: { type: 'string' }, overridden: { type: 'boolean' }, updatedAt: { type: ['string', 'null'] }, description: { type: 'string' } },
};

/** Compiles each part, so a broken template is refused when saved with a 400 naming the field. */
function checkAll(body: Partial<TemplateSource>): void {
  for (const field of ['subject', 'html', 'text'] as const) {
    if (body[field] !== undefined) checkTemplate(body[field], `/body/${field}`);
  }
  if (body.subject !== undefined && /[\r\n]/.test(body.subject)) {
    throw new TicketOpsError('invalid_input', 'A subject is one line', { details: [{ pointer: '/body/subject', message: 'must not contain line breaks' }] });
  }
}

export const templateRoutes = (config: OutboundConfig): RouteDefinition[] => [
  defineRoute({
    method: 'get',
    path: '/templates',
    summary: 'Notification templates: the shipped ones and this tenant’s own',
    permission: TEMPLATES_PERMISSION,
    schema: { response: { 200: { type: 'object', properties: { items: { type: 'array', items: templateSchema } } } } },
    async handler({ scope }) {
      const overrides = await loadOverrides(scope.em, scope.tenantId);
      const items = NOTIFICATION_KINDS.flatMap((k) => {
        const locales = new Set([...shippedLocales(k), ...[...overrides.values()].filter((o) => o.kind === k).map((o) => o.locale)]);
        return [...locales].sort().map((l) => {
          const own = overrides.get(`${k}/${l}`);
          const { source: s } = chooseTemplate(overrides, k, l, config.defaultLocale);
          return { kind: k, locale: l, subject: s.subject, html: s.html, text: s.text, overridden: !!own, updatedAt: own?.updatedAt ?? null, description: NOTIFICATIONS[k].description };
        });
      });
      return { items };
    },
  }),
  defineRoute<{ kind: NotificationKind; locale: string }>({
    method: 'get',
    path: '/templates/:kind/:locale',
    summary: 'One notification template as it is used (this tenant’s own, or the shipped one)',
    permission: TEMPLATES_PERMISSION,
    schema: { params: keyParams, response: { 200: templateSchema } },
    async handler({ scope, params }) {
      const overrides = await loadOverrides(scope.em, scope.tenantId, [params.kind]);
      const own = overrides.get(`${params.kind}/${params.locale}`);
      const s = own ?? chooseTemplate(overrides, params.kind, params.locale, config.defaultLocale).source;
      return { kind: params.kind, locale: params.locale, subject: s.subject, html: s.html, text: s.text, overridden: !!own, updatedAt: own?.updatedAt ?? null };
    },
  }),
  defineRoute<{ kind: NotificationKind; locale: string }, unknown, TemplateSource>({
    method: 'put',
    path: '/templates/:kind/:locale',
    summary: 'Save this tenant’s template for a notification and locale (checked: a part that does not compile is a 400 naming it)',
    permission: TEMPLATES_PERMISSION,
    schema: {
      params: keyParams,
      body: { type: 'object', additionalProperties: false, required: ['subject', 'html', 'text'], properties: { subject: { ...source, maxLength: 1000 }, html: source, text: source } },
      response: { 200: templateSchema },
    },
    async handler({ scope, params, body }) {
      checkAll(body);
      return scope.transactional(async (tx) => {
        const [row] = await sql<{ updated_at: Date }>(
          tx.em,
          `insert into email_template (tenant_id, kind, locale, subject, html, text, updated_by) values (?, ?, ?, ?, ?, ?, ?)
           on conflict (tenant_id, kind, locale) do update set subject = excluded.subject, html = excluded.html, text = excluded.text,
             updated_by = excluded.updated_by, updated_at = now()
           returning updated_at`,
          [scope.tenantId, params.kind, params.locale, body.subject, body.html, body.text, scope.actor.userId],
        );
        await tx.audit({ action: 'email.template.saved', targetType: 'email_template', targetId: `${params.kind}/${params.locale}` });
        return { kind: params.kind, locale: params.locale, ...body, overridden: true, updatedAt: new Date((row as { updated_at: Date }).updated_at).toISOString() };
      });
    },
  }),
  defineRoute<{ kind: NotificationKind; locale: string }>({
    method: 'delete',
    path: '/templates/:kind/:locale',
    summary: 'Remove this tenant’s template (the shipped one applies again)',
    permission: TEMPLATES_PERMISSION,
    schema: { params: keyParams },
    async handler({ scope, params }) {
      return scope.transactional(async (tx) => {
        const rows = await sql(tx.em, 'delete from email_template where tenant_id = ? and kind = ? and locale = ? returning kind', [scope.tenantId, params.kind, params.locale]);
        if (!rows.length) throw notFound('Template');
        await tx.audit({ action: 'email.template.deleted', targetType: 'email_template', targetId: `${params.kind}/${params.locale}` });
        return respond(204);
      });
    },
  }),
  defineRoute<unknown, unknown, Partial<TemplateSource> & { kind: NotificationKind; locale?: string; ticketId?: string }>({
    method: 'post',
    path: '/templates/preview',
    summary: 'Render a template (the given parts, else the one in use) against sample data or a real ticket',
    permission: TEMPLATES_PERMISSION,
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['kind'],
        properties: { kind, locale, subject: { ...source, maxLength: 1000 }, html: source, text: source, ticketId: { type: 'string', minLength: 1, maxLength: 100 } },
      },
      response: { 200: { type: 'object', required: ['subject', 'html', 'text'], properties: { subject: { type: 'string' }, html: { type: 'string' }, text: { type: 'string' }, locale: { type: 'string' } } } },
    },
    async handler({ scope, body }) {
      checkAll(body);
      const wanted = body.locale ?? config.defaultLocale;
      const overrides = await loadOverrides(scope.em, scope.tenantId, [body.kind]);
      const chosen = chooseTemplate(overrides, body.kind, wanted, config.defaultLocale);
      const s: TemplateSource = { subject: body.subject ?? chosen.source.subject, html: body.html ?? chosen.source.html, text: body.text ?? chosen.source.text };
      // The tenant's sender name, as its mail will carry it.
      const tenantConfig = configForTenant(config, scope.tenantId, await scope.resolve<PluginSettings<EmailSettings>>(SETTINGS_SERVICE).get(scope.tenantId));
      const data = body.ticketId ? await ticketData(scope, body.kind, body.ticketId, tenantConfig) : sampleData(scope.tenantId, tenantConfig);
      return {
        subject: taggedSubject((data.ticket as { number: number }).number, renderText(s.subject, data), config.subjectTag),
        html: renderHtml(s.html, data),
        text: renderText(s.text, data),
        locale: body.subject && body.html && body.text ? wanted : chosen.locale,
      };
    },
  }),
];

function sampleData(tenantId: string, config: OutboundConfig): Record<string, unknown> {
  const body = 'Thanks for the details. **Restart the printer** once, then try again:\n\n1. Switch it off\n2. Wait ten seconds\n3. Switch it on';
  return {
    ticket: { id: 'tkt_sample', number: 1234, title: 'The printer on floor 2 does not print', status: 'open', priority: 'normal', url: config.ticketUrl?.replace('{id}', 'tkt_sample').replace('{number}', '1234') ?? null },
    recipient: { name: 'Alex Customer', email: 'alex@example.com' },
    author: { name: 'Sam Agent' },
    comment: { html: markdownToHtml(body), text: body, internal: false },
    helpdesk: { name: senderOf(config, tenantId).name },
  };
}

/** A real ticket of this tenant (404 for another tenant's id), its requester and latest fitting comment. */
async function ticketData(scope: { em: import('@mikro-orm/sql').EntityManager; tenantId: string }, k: NotificationKind, ticketId: string, config: OutboundConfig) {
  const ticket = await ticketFacts(scope.em, scope.tenantId, ticketId);
  if (!ticket) throw notFound('Ticket');
  const customerFacing = NOTIFICATIONS[k].audience === 'requester';
  const [latest] = await sql<{ id: string }>(
    scope.em,
    `select id from comment where tenant_id = ? and ticket_id = ?${customerFacing ? ' and not internal' : ''} order by created_at desc, id desc limit 1`,
    [scope.tenantId, ticketId],
  );
  const comment = latest ? await commentFacts(scope.em, scope.tenantId, latest.id) : null;
  const persons = await people(scope.em, scope.tenantId, [ticket.requesterId, ticket.assigneeId, comment?.authorId ?? null]);
  const recipient = persons.get((customerFacing ? ticket.requesterId : ticket.assigneeId) ?? '') ?? null;
  const author = comment?.authorId ? persons.get(comment.authorId) : undefined;
  return {
    ticket: { id: ticket.id, number: ticket.number, title: ticket.title, status: ticket.status, priority: ticket.priority, url: config.ticketUrl?.replace('{id}', ticket.id).replace('{number}', String(ticket.number)) ?? null },
    recipient: recipient ? { name: recipient.name, email: recipient.email } : { name: '', email: '' },
    author: author ? { name: author.name } : null,
    comment: comment ? { html: markdownToHtml(comment.body), text: comment.body, internal: comment.internal } : null,
    helpdesk: { name: senderOf(config, scope.tenantId).name },
  };
}
