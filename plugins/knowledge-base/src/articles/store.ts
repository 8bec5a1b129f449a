import type { EntityManager } from '@mikro-orm/sql';
import { type Scope, TicketOpsError, type TransactionContext } from '@ticketops/plugin-sdk';
import { type Reader, seenBy } from '../access.ts';
import { sql } from '../db.ts';
import type { Language } from '../languages.ts';

export type ArticleState = 'draft' | 'published' | 'archived';
export type Visibility = 'public' | 'internal';
export type Translations = Partial<Record<Language, { title: string; body: string }>>;

export interface ArticleRow {
  id: string;
  tenant_id: string;
  category_id: string | null;
  slug: string;
  state: ArticleState;
  visibility: Visibility;
  default_language: Language;
  tags: string[];
  author_id: string | null;
  updated_by: string | null;
  version: number;
  published_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The content a revision keeps and a restore puts back (state and slug stay as they are). */
export interface Snapshot {
  categoryId: string | null;
  visibility: Visibility;
  defaultLanguage: Language;
  tags: string[];
  translations: Translations;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function articleView(row: ArticleRow, translations: Translations) {
  return {
    id: row.id,
    slug: row.slug,
    categoryId: row.category_id,
    state: row.state,
    visibility: row.visibility,
    defaultLanguage: row.default_language,
    tags: row.tags,
    translations,
    authorId: row.author_id,
    updatedBy: row.updated_by,
    version: row.version,
    publishedAt: iso(row.published_at),
    createdAt: iso(row.created_at) as string,
    updatedAt: iso(row.updated_at) as string,
  };
}
export type ArticleView = ReturnType<typeof articleView>;

const notFound = () => new TicketOpsError('not_found', 'Article was not found');

/** The article by id or slug, if the reader may see it (else 404); `lock` holds it for this transaction. */
export async function findArticle(em: EntityManager, tenantId: string, idOrSlug: string, reader: Reader, lock = false): Promise<ArticleRow> {
  const [row] = await sql<ArticleRow>(
    em,
    `select a.* from knowledge_base_article a where a.tenant_id = ? and (a.id = ? or a.slug = ?) and ${seenBy(reader)}${lock ? ' for update' : ''}`,
    [tenantId, idOrSlug, idOrSlug],
  );
  if (!row) throw notFound();
  return row;
}

export async function translationsOf(em: EntityManager, tenantId: string, articleId: string): Promise<Translations> {
  const rows = await sql<{ language: Language; title: string; body: string }>(
    em,
    'select language, title, body from knowledge_base_translation where tenant_id = ? and article_id = ? order by language',
    [tenantId, articleId],
  );
  return Object.fromEntries(rows.map((r) => [r.language, { title: r.title, body: r.body }])) as Translations;
}

/** Writes the given languages (null removes one); the default language can never be removed. */
export async function saveTranslations(em: EntityManager, tenantId: string, articleId: string, changes: Record<string, { title: string; body: string } | null>): Promise<void> {
  for (const [language, text] of Object.entries(changes)) {
    if (text === null) {
      await sql(em, 'delete from knowledge_base_translation where tenant_id = ? and article_id = ? and language = ?', [tenantId, articleId, language]);
      continue;
    }
    await sql(
      em,
      `insert into knowledge_base_translation (tenant_id, article_id, language, title, body) values (?, ?, ?, ?, ?)
       on conflict (article_id, language) do update set title = excluded.title, body = excluded.body`,
      [tenantId, articleId, language, text.title, text.body],
    );
  }
}

/** Appends the revision numbered with the article's (new) version: a full snapshot, immutable once written. */
export async function recordRevision(scope: Scope, tx: TransactionContext, row: ArticleRow, action: string): Promise<void> {
  const snapshot: Snapshot = {
    categoryId: row.category_id,
    visibility: row.visibility,
    defaultLanguage: row.default_language,
    tags: row.tags,
    translations: await translationsOf(tx.em, scope.tenantId, row.id),
  };
  await sql(tx.em, 'insert into knowledge_base_revision (tenant_id, article_id, number, action, snapshot, created_by) values (?, ?, ?, ?, ?, ?)', [
    scope.tenantId,
    row.id,
    row.version,
    action,
    JSON.stringify(snapshot),
    scope.actor.userId,
  ]);
}

/** Bumps the version and stamps who changed it; returns the row as stored. */
export async function bump(scope: Scope, em: EntityManager, id: string, set: Record<string, unknown> = {}): Promise<ArticleRow> {
  const columns = Object.keys(set);
  // Column names come from this plugin's code, never from a request; tags travel as JSON (a driver may expand a bare array).
  const assignments = columns.map((c) => (c === 'tags' ? 'tags = array(select jsonb_array_elements_text(?::jsonb))' : `${c} = ?`)).join(', ');
  const [row] = await sql<ArticleRow>(
    em,
    `update knowledge_base_article set ${assignments}${columns.length ? ', ' : ''}version = version + 1, updated_by = ?, updated_at = now()
      where tenant_id = ? and id = ? returning *`,
    [...columns.map((c) => (c === 'tags' ? JSON.stringify(set[c]) : set[c])), scope.actor.userId, scope.tenantId, id],
  );
  return row as ArticleRow;
}
