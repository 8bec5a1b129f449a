import { type RouteDefinition, type Scope, TicketOpsError, defineRoute, respond } from '@ticketops/plugin-sdk';
import { readerOf, seenBy } from '../access.ts';
import { ARTICLE_KIND, type AttachmentsLink } from '../attachments.ts';
import { withSuffix, slugify } from '../articles/slug.ts';
import { type ArticleRow, articleView, bump, findArticle, recordRevision, saveTranslations, translationsOf } from '../articles/store.ts';
import { type ArticleInput, assertArticleInput } from '../articles/validate.ts';
import { subtreeIds } from '../categories/store.ts';
import { isUniqueViolation, newId, sql } from '../db.ts';
import type { Language } from '../languages.ts';
import { PERMISSIONS } from '../permissions.ts';
import { assertVersion, etag, expectedVersion } from './concurrency.ts';
import { articleSchema, articleSummarySchema, id, idParams, language, slug, state, tags, translationsInput, visibility } from './schemas.ts';

export const ARTICLE_EVENTS = ['knowledge-base.article.created', 'knowledge-base.article.updated', 'knowledge-base.article.deleted'];

const slugTaken = () => new TicketOpsError('conflict', 'Another article already has this slug', { details: [{ pointer: '/body/slug', message: 'is already used' }] });

/** The article as its reader sees it, with its version as ETag. */
export async function articleResponse(scope: Scope, row: ArticleRow, status = 200) {
  return respond(status, articleView(row, await translationsOf(scope.em, scope.tenantId, row.id)), { ETag: etag(row.version) });
}

interface ListQuery {
  state?: string;
  visibility?: string;
  category?: string;
  tag?: string;
  lang?: Language;
  limit: number;
  after?: string;
}

export const articleRoutes = (attachments: AttachmentsLink): RouteDefinition[] => [
  defineRoute<unknown, ListQuery>({
    method: 'get',
    path: '/articles',
    summary: 'Articles the caller may see, newest first (customers: published public ones only)',
    description: 'Filters: `state`, `visibility`, `category` (with the categories under it), `tag`. `lang` picks the title language (falling back to the default). Keyset pages: pass the last id as `after`.',
    permission: PERMISSIONS.read,
    schema: {
      query: {
        type: 'object',
        additionalProperties: false,
        properties: { state, visibility, category: id, tag: { type: 'string', maxLength: 50 }, lang: language, limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 }, after: id },
      },
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: articleSummarySchema }, nextCursor: { type: ['string', 'null'] } } } },
    },
    async handler({ scope, query }) {
      // The first placeholder is the title language in the lateral join; the filters follow in order.
      const where = ['a.tenant_id = ?', seenBy(readerOf(scope.actor))];
      const params: unknown[] = [query.lang ?? '', scope.tenantId];
      const filter = (condition: string, value: unknown) => {
        where.push(condition);
        params.push(value);
      };
      if (query.state) filter('a.state = ?', query.state);
      if (query.visibility) filter('a.visibility = ?', query.visibility);
      if (query.tag) filter('? = any(a.tags)', query.tag);
      if (query.after) filter('a.id < ?', query.after);
      if (query.category) filter('a.category_id in (select jsonb_array_elements_text(?::jsonb))', JSON.stringify(await subtreeIds(scope.em, scope.tenantId, query.category)));
      const rows = await sql<ArticleRow & { title: string; language: Language }>(
        scope.em,
        `select a.*, t.title, t.language from knowledge_base_article a
           join lateral (select title, language from knowledge_base_translation t where t.article_id = a.id
                          order by (t.language = ?) desc, (t.language = a.default_language) desc limit 1) t on true
          where ${where.join(' and ')} order by a.id desc limit ?`,
        [...params, query.limit + 1],
      );
      const page = rows.slice(0, query.limit);
      return {
        items: page.map((r) => ({
          id: r.id, slug: r.slug, title: r.title, language: r.language, categoryId: r.category_id, state: r.state, visibility: r.visibility,
          tags: r.tags, version: r.version, updatedAt: new Date(r.updated_at).toISOString(),
        })),
        nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
  }),
  defineRoute<{ id: string }>({
    method: 'get',
    path: '/articles/:id',
    summary: 'One article by id or slug, with every translation (ETag: its version)',
    permission: PERMISSIONS.read,
    schema: { params: idParams, response: { 200: articleSchema } },
    async handler({ scope, params }) {
      return articleResponse(scope, await findArticle(scope.em, scope.tenantId, params.id, readerOf(scope.actor)));
    },
  }),
  defineRoute<unknown, unknown, ArticleInput & { defaultLanguage: Language; translations: Record<string, { title: string; body: string }> }>({
    method: 'post',
    path: '/articles',
    summary: 'Write a new article (a draft; internal unless visibility says public)',
    description: 'Without `slug`, one is made from the default language\'s title. Revision 1 records it.',
    permission: PERMISSIONS.write,
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['defaultLanguage', 'translations'],
        properties: { slug, categoryId: { anyOf: [id, { type: 'null' }] }, visibility, defaultLanguage: language, tags, translations: translationsInput(false) },
      },
      response: { 201: articleSchema },
    },
    async handler({ scope, body }) {
      await assertArticleInput(scope.em, scope.tenantId, body);
      const title = body.translations[body.defaultLanguage]?.title ?? '';
      const insert = (slugValue: string) =>
        scope.transactional(async (tx) => {
          const [row] = await sql<ArticleRow>(
            tx.em,
            `insert into knowledge_base_article (id, tenant_id, category_id, slug, visibility, default_language, tags, author_id, updated_by)
             values (?, ?, ?, ?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?, ?) returning *`,
            [newId('kba'), scope.tenantId, body.categoryId ?? null, slugValue, body.visibility ?? 'internal', body.defaultLanguage, JSON.stringify(body.tags ?? []), scope.actor.userId, scope.actor.userId],
          );
          const article = row as ArticleRow;
          await saveTranslations(tx.em, scope.tenantId, article.id, body.translations);
          await recordRevision(scope, tx, article, 'created');
          await tx.audit({ action: 'knowledge-base.article.created', targetType: 'knowledge_base_article', targetId: article.id, data: { slug: article.slug } });
          await tx.emit('knowledge-base.article.created', { articleId: article.id });
          return article;
        });
      let row: ArticleRow;
      try {
        row = await insert(body.slug ?? slugify(title));
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // A slug the client chose is its to change; one we made gets a suffix.
        if (body.slug) throw slugTaken();
        row = await insert(withSuffix(slugify(title)));
      }
      const response = await articleResponse(scope, row, 201);
      response.headers = { ...response.headers, location: `/api/v1/knowledge-base/articles/${row.id}` };
      return response;
    },
  }),
  defineRoute<{ id: string }, unknown, ArticleInput>({
    method: 'patch',
    path: '/articles/:id',
    summary: 'Change an article: a new version and a new revision (If-Match or version: a stale write answers 412)',
    description: '`translations` merges per language; null removes one (never the default language\'s).',
    permission: PERMISSIONS.write,
    schema: {
      params: idParams,
      body: {
        type: 'object',
        additionalProperties: false,
        minProperties: 1,
        properties: { slug, categoryId: { anyOf: [id, { type: 'null' }] }, visibility, defaultLanguage: language, tags, translations: translationsInput(true), version: { type: 'integer', minimum: 1 } },
      },
      response: { 200: articleSchema },
    },
    async handler({ scope, params, body, headers }) {
      const expected = expectedVersion(headers, body.version);
      try {
        const row = await scope.transactional(async (tx) => {
          const current = await findArticle(tx.em, scope.tenantId, params.id, readerOf(scope.actor), true);
          assertVersion(current.version, expected);
          await assertArticleInput(tx.em, scope.tenantId, body, { defaultLanguage: current.default_language, translations: await translationsOf(tx.em, scope.tenantId, current.id) });
          if (body.translations) await saveTranslations(tx.em, scope.tenantId, current.id, body.translations);
          const set: Record<string, unknown> = {};
          if (body.slug !== undefined) set.slug = body.slug;
          if (body.categoryId !== undefined) set.category_id = body.categoryId;
          if (body.visibility !== undefined) set.visibility = body.visibility;
          if (body.defaultLanguage !== undefined) set.default_language = body.defaultLanguage;
          if (body.tags !== undefined) set.tags = body.tags;
          const updated = await bump(scope, tx.em, current.id, set);
          await recordRevision(scope, tx, updated, 'updated');
          await tx.audit({ action: 'knowledge-base.article.updated', targetType: 'knowledge_base_article', targetId: current.id, data: { fields: Object.keys(body).filter((k) => k !== 'version') } });
          await tx.emit('knowledge-base.article.updated', { articleId: current.id, version: updated.version });
          return updated;
        });
        return articleResponse(scope, row);
      } catch (error) {
        if (isUniqueViolation(error)) throw slugTaken();
        throw error;
      }
    },
  }),
  defineRoute<{ id: string }>({
    method: 'delete',
    path: '/articles/:id',
    summary: 'Delete an article with its translations, revisions, ticket links and files (If-Match honoured)',
    permission: PERMISSIONS.write,
    schema: { params: idParams },
    async handler({ scope, params, headers }) {
      const expected = expectedVersion(headers);
      return scope.transactional(async (tx) => {
        const row = await findArticle(tx.em, scope.tenantId, params.id, readerOf(scope.actor), true);
        assertVersion(row.version, expected);
        await sql(tx.em, 'delete from knowledge_base_article where tenant_id = ? and id = ?', [scope.tenantId, row.id]);
        await tx.audit({ action: 'knowledge-base.article.deleted', targetType: 'knowledge_base_article', targetId: row.id, data: { slug: row.slug } });
        await tx.emit('knowledge-base.article.deleted', { articleId: row.id });
        // Last: the files' bytes go once nothing else can fail (the attachments plugin's own rule for deletes).
        await attachments.owners?.removeAll(scope, tx, { kind: ARTICLE_KIND, id: row.id });
        return respond(204);
      });
    },
  }),
];
