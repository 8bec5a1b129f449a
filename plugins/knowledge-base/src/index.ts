import { asValue, definePlugin } from '@ticketops/plugin-sdk';
import { ARTICLE_KIND, type AttachmentsLink, type OwnerRegistry, articleOwnerKind } from './attachments.ts';
import { migrations } from './migrations.ts';
import { PERMISSIONS, permissions } from './permissions.ts';
import { ARTICLE_EVENTS, articleRoutes } from './routes/articles.ts';
import { categoryRoutes } from './routes/categories.ts';
import { revisionRoutes } from './routes/revisions.ts';
import { searchRoutes } from './routes/search.ts';
import { STATE_EVENTS, stateRoutes } from './routes/states.ts';
import { ticketLinkRoutes } from './routes/ticket-links.ts';

/**
 * The knowledge base: a category tree, articles in several languages with draft → published →
 * archived states, public or internal visibility, immutable revisions and optimistic concurrency,
 * PostgreSQL full-text search per language, links from tickets, and — with the attachments
 * plugin — files and inline images on articles (owner kind `knowledge-base.article`).
 */
export const knowledgeBasePlugin = definePlugin({
  id: 'knowledge-base',
  version: '0.1.0',
  kernel: '^0.1.0',
  description: 'Knowledge base: categories, multilingual articles with revisions, full-text search, ticket links, article files',
  optionalDependsOn: ['attachments'],
  migrations,
  permissions,
  events: [...ARTICLE_EVENTS, ...STATE_EVENTS],
  // Console and portal panels, from the module `npm run build:admin` builds (src/admin/panels.ts).
  admin: {
    assets: new URL('../dist/admin/', import.meta.url),
    module: 'panels.js',
    panels: [
      { element: 'to-knowledge-base-nav', zone: 'nav.main', title: { en: 'Knowledge base', de: 'Wissensdatenbank' }, permission: PERMISSIONS.readInternal },
      { element: 'to-knowledge-base-editor', zone: 'page', path: 'articles', title: { en: 'Knowledge base', de: 'Wissensdatenbank' }, permission: PERMISSIONS.write },
      { element: 'to-knowledge-base-ticket', zone: 'ticket.sidebar', title: { en: 'Knowledge base', de: 'Wissensdatenbank' }, permission: PERMISSIONS.readInternal },
      { element: 'to-knowledge-base-portal-search', zone: 'portal.home', title: { en: 'Help articles', de: 'Hilfeartikel' }, permission: PERMISSIONS.read },
    ],
  },

  register(r) {
    // Filled in init when the attachments plugin is enabled; routes only run after init.
    const attachments: AttachmentsLink = { owners: null };
    r.services({ attachments: asValue(attachments) });
    r.routes([...categoryRoutes(), ...articleRoutes(attachments), ...stateRoutes(), ...revisionRoutes(), ...searchRoutes(), ...ticketLinkRoutes()]);
  },

  init({ resolve }) {
    const link = resolve<AttachmentsLink>('knowledge-base.attachments');
    let owners: OwnerRegistry;
    try {
      owners = resolve<OwnerRegistry>('attachments.owners');
    } catch (error) {
      // Not enabled (an optional dependency): articles have no files. Anything else is a real failure.
      if ((error as Error).name === 'AwilixResolutionError') return;
      throw error;
    }
    owners.register(ARTICLE_KIND, articleOwnerKind);
    link.owners = owners;
  },
});

export default knowledgeBasePlugin;
