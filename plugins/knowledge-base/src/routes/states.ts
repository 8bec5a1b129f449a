import { type RouteDefinition, TicketOpsError, defineRoute } from '@ticketops/plugin-sdk';
import { readerOf } from '../access.ts';
import { type ArticleState, bump, findArticle, recordRevision } from '../articles/store.ts';
import { PERMISSIONS } from '../permissions.ts';
import { articleResponse } from './articles.ts';
import { assertVersion, expectedVersion } from './concurrency.ts';
import { articleSchema, idParams } from './schemas.ts';

export const STATE_EVENTS = ['knowledge-base.article.published', 'knowledge-base.article.archived'];

/** Which states each action leaves from: draft → published → archived, and an archived article may come back. */
const TRANSITIONS: Record<'publish' | 'archive', { to: ArticleState; from: ArticleState[]; action: string }> = {
  publish: { to: 'published', from: ['draft', 'archived'], action: 'published' },
  archive: { to: 'archived', from: ['draft', 'published'], action: 'archived' },
};

const versionBody = { type: 'object', additionalProperties: false, properties: { version: { type: 'integer', minimum: 1 } } };

export const stateRoutes = (): RouteDefinition[] =>
  (Object.keys(TRANSITIONS) as (keyof typeof TRANSITIONS)[]).map((verb) => {
    const { to, from, action } = TRANSITIONS[verb];
    return defineRoute<{ id: string }, unknown, { version?: number } | undefined>({
      method: 'post',
      path: `/articles/:id/${verb}`,
      summary: verb === 'publish' ? 'Publish an article (customers see it if it is public)' : 'Archive an article (hidden from customers and search for them)',
      description: `From ${from.join(' or ')}; anything else is 409. A new version and revision. If-Match (or version) honoured: 412 when stale.`,
      permission: PERMISSIONS.write,
      schema: { params: idParams, body: versionBody, response: { 200: articleSchema } },
      async handler({ scope, params, body, headers }) {
        const expected = expectedVersion(headers, body?.version);
        const row = await scope.transactional(async (tx) => {
          const current = await findArticle(tx.em, scope.tenantId, params.id, readerOf(scope.actor), true);
          assertVersion(current.version, expected);
          if (!from.includes(current.state)) throw new TicketOpsError('unexpected_state', `An article that is ${current.state} cannot be ${action}`);
          const updated = await bump(scope, tx.em, current.id, { state: to, ...(to === 'published' ? { published_at: new Date() } : {}) });
          await recordRevision(scope, tx, updated, action);
          await tx.audit({ action: `knowledge-base.article.${action}`, targetType: 'knowledge_base_article', targetId: current.id });
          await tx.emit(`knowledge-base.article.${action}`, { articleId: current.id, version: updated.version });
          return updated;
        });
        return articleResponse(scope, row);
      },
    });
  });
