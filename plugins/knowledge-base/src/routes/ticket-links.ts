import { type RouteDefinition, type Scope, TicketOpsError, type TicketsService, defineRoute, respond } from '@ticketops/plugin-sdk';
import { readerOf, seenBy } from '../access.ts';
import { findArticle } from '../articles/store.ts';
import { sql } from '../db.ts';
import { PERMISSIONS } from '../permissions.ts';
import { articleSummarySchema, id } from './schemas.ts';

const ticketParams = { type: 'object', required: ['ticketId'], properties: { ticketId: id } };

/** 404 unless the caller may see the ticket (the kernel's visibility rules, through its tickets service). */
async function requireTicket(scope: Scope, ticketId: string): Promise<void> {
  await scope.resolve<TicketsService>('tickets').get(scope, ticketId);
}

async function linkedArticles(scope: Scope, ticketId: string, em = scope.em) {
  const rows = await sql<{ id: string; slug: string; title: string; language: string; category_id: string | null; state: string; visibility: string; tags: string[]; version: number; updated_at: Date }>(
    em,
    `select a.*, t.title, t.language from knowledge_base_ticket_link l
       join knowledge_base_article a on a.tenant_id = l.tenant_id and a.id = l.article_id
       join knowledge_base_translation t on t.article_id = a.id and t.language = a.default_language
      where l.tenant_id = ? and l.ticket_id = ? and ${seenBy(readerOf(scope.actor))} order by l.created_at, a.id limit 200`,
    [scope.tenantId, ticketId],
  );
  return rows.map((r) => ({
    id: r.id, slug: r.slug, title: r.title, language: r.language, categoryId: r.category_id, state: r.state, visibility: r.visibility,
    tags: r.tags, version: r.version, updatedAt: new Date(r.updated_at).toISOString(),
  }));
}

const listSchema = { type: 'object', properties: { items: { type: 'array', items: articleSummarySchema } } };

export const ticketLinkRoutes = (): RouteDefinition[] => [
  defineRoute<{ ticketId: string }>({
    method: 'get',
    path: '/tickets/:ticketId/articles',
    summary: 'Articles linked to a ticket (customers: the published public ones of their own tickets)',
    permission: PERMISSIONS.read,
    schema: { params: ticketParams, response: { 200: listSchema } },
    async handler({ scope, params }) {
      await requireTicket(scope, params.ticketId);
      return { items: await linkedArticles(scope, params.ticketId) };
    },
  }),
  defineRoute<{ ticketId: string }, unknown, { articleId: string }>({
    method: 'post',
    path: '/tickets/:ticketId/articles',
    summary: 'Link an article to a ticket (linking twice changes nothing)',
    permission: PERMISSIONS.write,
    schema: { params: ticketParams, body: { type: 'object', additionalProperties: false, required: ['articleId'], properties: { articleId: id } }, response: { 201: listSchema } },
    async handler({ scope, params, body }) {
      await requireTicket(scope, params.ticketId);
      return scope.transactional(async (tx) => {
        const article = await findArticle(tx.em, scope.tenantId, body.articleId, readerOf(scope.actor)).catch(() => {
          throw new TicketOpsError('invalid_input', 'Unknown article', { details: [{ pointer: '/body/articleId', message: 'is not an article of this tenant' }] });
        });
        const inserted = await sql(
          tx.em,
          'insert into knowledge_base_ticket_link (tenant_id, ticket_id, article_id, linked_by) values (?, ?, ?, ?) on conflict do nothing returning article_id',
          [scope.tenantId, params.ticketId, article.id, scope.actor.userId],
        );
        if (inserted.length) await tx.audit({ action: 'knowledge-base.article.linked', targetType: 'ticket', targetId: params.ticketId, data: { articleId: article.id } });
        return respond(201, { items: await linkedArticles(scope, params.ticketId, tx.em) });
      });
    },
  }),
  defineRoute<{ ticketId: string; articleId: string }>({
    method: 'delete',
    path: '/tickets/:ticketId/articles/:articleId',
    summary: 'Unlink an article from a ticket',
    permission: PERMISSIONS.write,
    schema: { params: { type: 'object', required: ['ticketId', 'articleId'], properties: { ticketId: id, articleId: id } } },
    async handler({ scope, params }) {
      await requireTicket(scope, params.ticketId);
      const gone = await scope.transactional(async (tx) => {
        const rows = await sql(tx.em, 'delete from knowledge_base_ticket_link where tenant_id = ? and ticket_id = ? and article_id = ? returning article_id', [scope.tenantId, params.ticketId, params.articleId]);
        if (rows.length) await tx.audit({ action: 'knowledge-base.article.unlinked', targetType: 'ticket', targetId: params.ticketId, data: { articleId: params.articleId } });
        return rows.length;
      });
      if (!gone) throw new TicketOpsError('not_found', 'The article is not linked to this ticket');
      return respond(204);
    },
  }),
];
