import { Readable } from 'node:stream';
import { type RouteDefinition, type TicketsService, TicketOpsError, defineRoute, respondStream } from '@ticketops/plugin-sdk';
import { sql } from '../db.ts';
import { PERMISSIONS } from '../permissions.ts';

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 80, pattern: '^[A-Za-z0-9_-]+$' } } };
const notFound = (what: string) => new TicketOpsError('not_found', `${what} was not found`, { details: [{ pointer: '/params/id', message: 'was not found' }] });

interface InboundRow {
  id: string;
  message_id: string;
  source: string;
  kind: string;
  ticket_id: string | null;
  comment_id: string | null;
  sender: string | null;
  subject: string | null;
  recipients: { to: unknown[]; cc: unknown[] } | null;
  sent_at: Date | null;
  thread: unknown;
  auto: string[] | null;
  auth: unknown;
  attachments: unknown;
  created_at: Date;
  has_raw: boolean;
  full_text?: string | null;
}

const view = (r: InboundRow) => ({
  id: r.id, messageId: r.message_id, source: r.source, kind: r.kind, ticketId: r.ticket_id, commentId: r.comment_id, sender: r.sender, subject: r.subject,
  to: r.recipients?.to ?? [], cc: r.recipients?.cc ?? [], sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
  thread: r.thread, automatic: r.auto, authentication: r.auth, attachments: r.attachments ?? [], createdAt: new Date(r.created_at).toISOString(),
  ...(r.full_text !== undefined ? { fullText: r.full_text } : {}),
  // Null once the raw source was dropped (`rawRetentionDays`).
  rawUrl: r.has_raw ? `/api/v1/email/messages/${r.id}/raw` : null,
});

const COLUMNS = 'id, message_id, source, kind, ticket_id, comment_id, sender, subject, recipients, sent_at, thread, auto, auth, attachments, created_at, raw is not null as has_raw';

/**
 * What inbound kept about each mail — why it threaded where it did, the loop verdict, the
 * authentication verdict, the full text before quote stripping, the raw source — and the
 * messages kept aside. Message reads follow ticket visibility (`tickets.get` 404s otherwise).
 */
export function messageRoutes(tickets: () => TicketsService): RouteDefinition[] {
  return [
    defineRoute<unknown, { ticketId: string }>({
      method: 'get',
      path: '/messages',
      summary: 'Inbound mails of a ticket, with the reason each was threaded there',
      permission: PERMISSIONS.messagesRead,
      schema: { query: { type: 'object', additionalProperties: false, required: ['ticketId'], properties: { ticketId: { type: 'string', minLength: 1, maxLength: 80 } } } },
      async handler({ scope, query }) {
        await tickets().get(scope, query.ticketId);
        const rows = await sql<InboundRow>(scope.em, `select ${COLUMNS} from email_inbound where tenant_id = ? and ticket_id = ? order by created_at limit 500`, [scope.tenantId, query.ticketId]);
        return { items: rows.map(view) };
      },
    }),
    defineRoute<{ id: string }>({
      method: 'get',
      path: '/messages/:id',
      summary: 'One inbound mail, with its full text (quoted history included)',
      permission: PERMISSIONS.messagesRead,
      schema: { params: idParams },
      async handler({ scope, params }) {
        const row = (await sql<InboundRow>(scope.em, `select ${COLUMNS}, full_text from email_inbound where tenant_id = ? and id = ?`, [scope.tenantId, params.id]))[0];
        if (!row) throw notFound('Message');
        if (row.ticket_id) await tickets().get(scope, row.ticket_id);
        return view(row);
      },
    }),
    defineRoute<{ id: string }>({
      method: 'get',
      path: '/messages/:id/raw',
      summary: 'The raw source of an inbound mail (message/rfc822)',
      permission: PERMISSIONS.messagesRead,
      schema: { params: idParams },
      async handler({ scope, params }) {
        const row = (await sql<{ ticket_id: string | null; raw: Buffer | null }>(scope.em, 'select ticket_id, raw from email_inbound where tenant_id = ? and id = ?', [scope.tenantId, params.id]))[0];
        if (!row?.raw) throw notFound('Message');
        if (row.ticket_id) await tickets().get(scope, row.ticket_id);
        return respondStream(200, Readable.from([Buffer.from(row.raw)]), {
          'content-type': 'message/rfc822',
          'content-disposition': `attachment; filename="${params.id}.eml"`,
          'x-content-type-options': 'nosniff',
        });
      },
    }),
    defineRoute<unknown, { limit?: number; reason?: string }>({
      method: 'get',
      path: '/quarantine',
      summary: 'Mail kept aside (MIME bombs, oversize, rate limit, rejected senders), newest first',
      permission: PERMISSIONS.quarantineRead,
      schema: {
        query: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 }, reason: { type: 'string', maxLength: 40 } } },
      },
      async handler({ scope, query }) {
        const rows = await sql<Record<string, unknown>>(
          scope.em,
          `select id, message_id, source, mailbox_id, sender, subject, reason, detail, size, raw is not null as has_raw, created_at from email_quarantine
           where tenant_id = ? and (?::text is null or reason = ?) order by created_at desc limit ?`,
          [scope.tenantId, query.reason ?? null, query.reason ?? null, query.limit ?? 100],
        );
        return {
          items: rows.map((r) => ({
            id: r.id, messageId: r.message_id, source: r.source, mailboxId: r.mailbox_id, sender: r.sender, subject: r.subject, reason: r.reason, detail: r.detail,
            size: Number(r.size), rawUrl: r.has_raw ? `/api/v1/email/quarantine/${r.id}/raw` : null, createdAt: new Date(r.created_at as Date).toISOString(),
          })),
        };
      },
    }),
    defineRoute<{ id: string }>({
      method: 'get',
      path: '/quarantine/:id/raw',
      summary: 'The raw bytes of a mail kept aside',
      permission: PERMISSIONS.quarantineRead,
      schema: { params: idParams },
      async handler({ scope, params }) {
        const row = (await sql<{ raw: Buffer | null }>(scope.em, 'select raw from email_quarantine where tenant_id = ? and id = ?', [scope.tenantId, params.id]))[0];
        if (!row?.raw) throw notFound('Quarantined message');
        return respondStream(200, Readable.from([Buffer.from(row.raw)]), { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${params.id}.eml"` });
      },
    }),
  ];
}
