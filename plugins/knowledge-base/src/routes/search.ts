import { type RouteDefinition, defineRoute } from '@ticketops/plugin-sdk';
import { readerOf } from '../access.ts';
import { subtreeIds } from '../categories/store.ts';
import type { Language } from '../languages.ts';
import { PERMISSIONS } from '../permissions.ts';
import { searchArticles } from '../search/search.ts';
import { id, language, state, visibility } from './schemas.ts';

const hitSchema = {
  type: 'object',
  required: ['id', 'slug', 'title', 'language', 'rank', 'snippet'],
  properties: {
    id: { type: 'string' },
    slug: { type: 'string' },
    title: { type: 'string' },
    language,
    categoryId: { type: ['string', 'null'] },
    state,
    visibility,
    rank: { type: 'number' },
    snippet: { type: 'string', description: 'HTML-escaped excerpt of title and body with <mark> around matched words' },
  },
};

export const searchRoutes = (): RouteDefinition[] => [
  defineRoute<unknown, { q: string; lang?: Language; category?: string; limit: number; prefix?: boolean }>({
    method: 'get',
    path: '/search',
    summary: 'Full-text search of the articles the caller may see, best first',
    description:
      'Web-search syntax (`"exact phrase"`, `-word`, `or`), stemmed per language (`lang`: only that language; else every language, each article once in its best match). Title matches rank above body matches. Customers find published public articles only.',
    permission: PERMISSIONS.read,
    schema: {
      query: {
        type: 'object',
        additionalProperties: false,
        required: ['q'],
        properties: { q: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' }, lang: language, category: id,
          limit: { type: 'integer', minimum: 1, maximum: 50, default: 20 },
          prefix: { type: 'boolean', default: false, description: 'Suggest while typing: the last word also matches words it begins' },
        },
      },
      response: { 200: { type: 'object', properties: { items: { type: 'array', items: hitSchema } } } },
    },
    async handler({ scope, query }) {
      const categories = query.category ? await subtreeIds(scope.em, scope.tenantId, query.category) : undefined;
      return { items: await searchArticles(scope.em, scope.tenantId, readerOf(scope.actor), { q: query.q, lang: query.lang, categories, limit: query.limit, prefix: query.prefix }) };
    },
  }),
];
