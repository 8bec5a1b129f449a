import { type RouteDefinition, TicketOpsError, defineRoute } from '@ticketops/plugin-sdk';
import { readerOf } from '../access.ts';
import { type Snapshot, bump, findArticle, recordRevision, saveTranslations, translationsOf } from '../articles/store.ts';
import { findCategory } from '../categories/store.ts';
import { sql } from '../db.ts';
import { PERMISSIONS } from '../permissions.ts';
import { articleResponse } from './articles.ts';
import { assertVersion, expectedVersion } from './concurrency.ts';
import { articleSchema, idParams } from './schemas.ts';

const numberParams = { type: 'object', required: ['id', 'number'], properties: { ...idParams.properties, number: { type: 'integer', minimum: 1, maximum: 1_000_000 } } };
const revisionSummary = {
  type: 'object',
  properties: { number: { type: 'integer' }, action: { type: 'string' }, createdBy: { type: ['string', 'null'] }, createdAt: { type: 'string', format: 'date-time' } },
};

interface RevisionRow {
  number: number;
  action: string;
  snapshot: Snapshot;
  created_by: string | null;
  created_at: Date;
}
const summary = (r: RevisionRow) => ({ number: r.number, action: r.action, createdBy: r.created_by, createdAt: new Date(r.created_at).toISOString() });

/** Revisions are staff-only: they hold what was never published. */
export const revisionRoutes = (): RouteDefinition[] => [
  defineRoute<{ id: string }>({
    method: 'get',
    path: '/articles/:id/revisions',
    summary: "An article's revisions, newest first (one per save; never changed)",
    permission: PERMISSIONS.readInternal,
    schema: { params: idParams, response: { 200: { type: 'object', properties: { items: { type: 'array', items: revisionSummary } } } } },
    async handler({ scope, params }) {
      const article = await findArticle(scope.em, scope.tenantId, params.id, readerOf(scope.actor));
      const rows = await sql<RevisionRow>(scope.em, 'select number, action, created_by, created_at from knowledge_base_revision where tenant_id = ? and article_id = ? order by number desc limit 1000', [
        scope.tenantId,
        article.id,
      ]);
      return { items: rows.map(summary) };
    },
  }),
  defineRoute<{ id: string; number: number }>({
    method: 'get',
    path: '/articles/:id/revisions/:number',
    summary: 'One revision with the content it recorded',
    permission: PERMISSIONS.readInternal,
    schema: { params: numberParams, response: { 200: { type: 'object', properties: { ...revisionSummary.properties, snapshot: { type: 'object' } } } } },
    async handler({ scope, params }) {
      const article = await findArticle(scope.em, scope.tenantId, params.id, readerOf(scope.actor));
      const [row] = await sql<RevisionRow>(scope.em, 'select * from knowledge_base_revision where tenant_id = ? and article_id = ? and number = ?', [scope.tenantId, article.id, params.number]);
      if (!row) throw new TicketOpsError('not_found', 'Revision was not found');
      return { ...summary(row), snapshot: row.snapshot };
    },
  }),
  defineRoute<{ id: string; number: number }, unknown, { version?: number } | undefined>({
    method: 'post',
    path: '/articles/:id/revisions/:number/restore',
    summary: "Put a revision's content back (translations, category, visibility, tags) as a new version and revision; state and slug stay",
    description: 'If-Match (or version) honoured: 412 when stale. A category deleted since then leaves the article without one.',
    permission: PERMISSIONS.write,
    schema: { params: numberParams, body: { type: 'object', additionalProperties: false, properties: { version: { type: 'integer', minimum: 1 } } }, response: { 200: articleSchema } },
    async handler({ scope, params, body, headers }) {
      const expected = expectedVersion(headers, body?.version);
      const row = await scope.transactional(async (tx) => {
        const current = await findArticle(tx.em, scope.tenantId, params.id, readerOf(scope.actor), true);
        assertVersion(current.version, expected);
        const [revision] = await sql<RevisionRow>(tx.em, 'select * from knowledge_base_revision where tenant_id = ? and article_id = ? and number = ?', [scope.tenantId, current.id, params.number]);
        if (!revision) throw new TicketOpsError('not_found', 'Revision was not found');
        const { snapshot } = revision;
        const now = await translationsOf(tx.em, scope.tenantId, current.id);
        // Languages added since then go; those of the revision come back as they were.
        await saveTranslations(tx.em, scope.tenantId, current.id, { ...Object.fromEntries(Object.keys(now).map((l) => [l, null])), ...snapshot.translations });
        const category = snapshot.categoryId && (await findCategory(tx.em, scope.tenantId, snapshot.categoryId)) ? snapshot.categoryId : null;
        const updated = await bump(scope, tx.em, current.id, { category_id: category, visibility: snapshot.visibility, default_language: snapshot.defaultLanguage, tags: snapshot.tags });
        await recordRevision(scope, tx, updated, 'restored');
        await tx.audit({ action: 'knowledge-base.article.restored', targetType: 'knowledge_base_article', targetId: current.id, data: { revision: params.number } });
        await tx.emit('knowledge-base.article.updated', { articleId: current.id, version: updated.version, restoredFrom: params.number });
        return updated;
      });
      return articleResponse(scope, row);
    },
  }),
];
