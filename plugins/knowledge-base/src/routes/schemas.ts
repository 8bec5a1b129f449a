/** JSON Schemas shared by the knowledge-base routes (ajv 2020-12; the kernel validates and documents them). */
import { LANGUAGE_CODES } from '../languages.ts';

export const idPattern = '^[A-Za-z0-9_]{1,64}$';
export const id = { type: 'string', pattern: idPattern };
export const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 120, pattern: '^[A-Za-z0-9_-]+$' } } };
export const language = { enum: LANGUAGE_CODES };
export const slug = { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 120, description: 'Lower-case words joined by hyphens; unique per tenant' };
export const tags = { type: 'array', maxItems: 30, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 50, pattern: '^[^\\s,]+$' } };
export const visibility = { enum: ['public', 'internal'], description: 'public: customers see it once published; internal: staff only' };
export const state = { enum: ['draft', 'published', 'archived'] };

const text = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'body'],
  properties: { title: { type: 'string', minLength: 1, maxLength: 300 }, body: { type: 'string', maxLength: 200_000, description: 'Markdown; images of this help desk as ![alt](attachment:att_…)' } },
};
export const translationsInput = (nullable: boolean) => ({
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: Object.fromEntries(LANGUAGE_CODES.map((l) => [l, nullable ? { anyOf: [text, { type: 'null' }] } : text])),
  description: nullable ? 'Per language; null removes a translation (never the default language)' : 'Per language; must include the default language',
});

export const articleSchema = {
  type: 'object',
  required: ['id', 'slug', 'state', 'visibility', 'defaultLanguage', 'translations', 'version'],
  properties: {
    id: { type: 'string' },
    slug: { type: 'string' },
    categoryId: { type: ['string', 'null'] },
    state,
    visibility,
    defaultLanguage: language,
    tags: { type: 'array', items: { type: 'string' } },
    translations: { type: 'object', additionalProperties: text },
    authorId: { type: ['string', 'null'] },
    updatedBy: { type: ['string', 'null'] },
    version: { type: 'integer' },
    publishedAt: { type: ['string', 'null'], format: 'date-time' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};

export const articleSummarySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    slug: { type: 'string' },
    title: { type: 'string', description: 'In the requested language, else the default language' },
    language,
    categoryId: { type: ['string', 'null'] },
    state,
    visibility,
    tags: { type: 'array', items: { type: 'string' } },
    version: { type: 'integer' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};
