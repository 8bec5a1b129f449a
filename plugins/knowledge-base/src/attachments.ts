import { type Scope, type TransactionContext, hasPermission } from '@ticketops/plugin-sdk';
import { readerOf, seenBy } from './access.ts';
import { sql } from './db.ts';
import { PERMISSIONS } from './permissions.ts';

/** Files of an article are kept by the attachments plugin under this owner kind. */
export const ARTICLE_KIND = 'knowledge-base.article';

type Check = (scope: Scope, ownerId: string) => Promise<boolean>;

/** The part of `attachments.owners` this plugin uses (the attachments plugin's contract, not its code). */
export interface OwnerRegistry {
  register(kind: string, definition: { canRead: Check; canWrite: Check }): void;
  removeAll(scope: Scope, tx: TransactionContext, owner: { kind: string; id: string }): Promise<number>;
}

/** Set in init when the attachments plugin is enabled; null otherwise (articles then simply have no files). */
export interface AttachmentsLink {
  owners: OwnerRegistry | null;
}

async function articleSeen(scope: Scope, articleId: string, asWriter: boolean): Promise<boolean> {
  const reader = readerOf(scope.actor);
  if (asWriter ? !reader.writer : !(reader.staff || hasPermission(scope.actor, PERMISSIONS.read))) return false;
  const rows = await sql(scope.em, `select 1 from knowledge_base_article a where a.tenant_id = ? and a.id = ? and ${seenBy(reader)}`, [scope.tenantId, articleId]);
  return rows.length > 0;
}

/** Who may see an article's files: whoever may see the article (customers: published public ones); who may change them: editors. */
export const articleOwnerKind = {
  canRead: (scope: Scope, articleId: string) => articleSeen(scope, articleId, false),
  canWrite: (scope: Scope, articleId: string) => articleSeen(scope, articleId, true),
};
