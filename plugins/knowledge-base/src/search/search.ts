import type { EntityManager } from '@mikro-orm/sql';
import { type Reader, seenBy } from '../access.ts';
import { sql } from '../db.ts';
import { LANGUAGES, LANGUAGE_CODES, type Language } from '../languages.ts';

export interface SearchRequest {
  q: string;
  lang?: Language;
  /** Category ids to search in (a category with those under it), or all. */
  categories?: string[];
  limit: number;
  /** Suggest while typing: the last word also matches words it begins ("toner cart" finds "cartridge"). */
  prefix?: boolean;
}

export interface SearchHit {
  id: string;
  slug: string;
  title: string;
  language: Language;
  categoryId: string | null;
  state: string;
  visibility: string;
  rank: number;
  /** Excerpt of the title and body around the hits: HTML-escaped, with `<mark>` around matched words. */
  snippet: string;
}

// Markers ts_headline puts around hits; the text is escaped in JS, then the markers become <mark> (as the ticket search does).
const START = '\u0002';
const STOP = '\u0003';
const HEADLINE = `StartSel=${START}, StopSel=${STOP}, MaxFragments=2, MaxWords=30, MinWords=10, FragmentDelimiter=" … "`;
const escapeHtml = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
export const highlight = (text: string) => escapeHtml(text).replaceAll(START, '<mark>').replaceAll(STOP, '</mark>');

/** A word `to_tsquery` may take as a prefix (`word:*`) without any of its operators. */
const PLAIN_WORD = /^[\p{L}\p{N}]{1,60}$/u;

/**
 * The tsquery for a search: `websearch_to_tsquery` of what was typed; with `prefix`, a plain last
 * word becomes a prefix match, ANDed with the rest. The configuration is a constant per branch.
 */
function tsquery(config: string, q: string, prefix: boolean): { sql: string; params: string[] } {
  const words = q.trim().split(/\s+/);
  const last = words.at(-1) ?? '';
  if (!prefix || !PLAIN_WORD.test(last)) return { sql: `websearch_to_tsquery('${config}', ?)`, params: [q] };
  const rest = words.slice(0, -1).join(' ');
  const tail = `to_tsquery('${config}', ?)`;
  return rest ? { sql: `(websearch_to_tsquery('${config}', ?) && ${tail})`, params: [rest, `${last}:*`] } : { sql: tail, params: [`${last}:*`] };
}

/**
 * Full-text search over titles (weight A) and bodies (weight B), each language with its own text
 * search configuration. One branch per language keeps the configuration a constant, so each
 * branch can use the GIN index on `search_vector`; an article found in several languages is
 * listed once, in its best-ranked one (or only in `lang`).
 */
export async function searchArticles(em: EntityManager, tenantId: string, reader: Reader, request: SearchRequest): Promise<SearchHit[]> {
  const languages = request.lang ? [request.lang] : LANGUAGE_CODES;
  const params: unknown[] = [];
  const branches = languages.map((language) => {
    const config = LANGUAGES[language];
    const query = tsquery(config, request.q, request.prefix ?? false);
    const category = request.categories ? ` and a.category_id in (select jsonb_array_elements_text(?::jsonb))` : '';
    // In the order the placeholders appear: rank, headline, where, category.
    params.push(...query.params, ...query.params, HEADLINE, tenantId, language, ...query.params);
    if (request.categories) params.push(JSON.stringify(request.categories));
    return `select a.id, a.slug, a.category_id, a.state, a.visibility, t.language, t.title,
              ts_rank(t.search_vector, ${query.sql})::float8 as rank,
              ts_headline('${config}', t.title || ' — ' || t.body, ${query.sql}, ?) as snippet
         from knowledge_base_translation t join knowledge_base_article a on a.tenant_id = t.tenant_id and a.id = t.article_id
        where t.tenant_id = ? and t.language = ? and t.search_vector @@ ${query.sql} and ${seenBy(reader)}${category}`;
  });
  const rows = await sql<{ id: string; slug: string; category_id: string | null; state: string; visibility: string; language: Language; title: string; rank: number; snippet: string }>(
    em,
    `select * from (select distinct on (id) * from (${branches.join(' union all ')}) hits order by id, rank desc) best order by rank desc, id limit ?`,
    [...params, request.limit],
  );
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    title: r.title,
    language: r.language,
    categoryId: r.category_id,
    state: r.state,
    visibility: r.visibility,
    rank: Number(r.rank),
    snippet: highlight(r.snippet),
  }));
}
