import type { EntityManager } from '@mikro-orm/sql';
import { TicketOpsError } from '@ticketops/plugin-sdk';
import { sql } from '../db.ts';

export const MAX_DEPTH = 3;

export interface CategoryRow {
  id: string;
  parent_id: string | null;
  depth: number;
  position: number;
  names: Record<string, string>;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export function categoryView(row: CategoryRow) {
  return {
    id: row.id,
    parentId: row.parent_id,
    depth: row.depth,
    position: row.position,
    names: row.names,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

export async function findCategory(em: EntityManager, tenantId: string, id: string, lock = false): Promise<CategoryRow | undefined> {
  const [row] = await sql<CategoryRow>(em, `select * from knowledge_base_category where tenant_id = ? and id = ?${lock ? ' for update' : ''}`, [tenantId, id]);
  return row;
}

/** A category id from a request body: 400 naming the field when it is not one of this tenant's. */
export async function requireCategory(em: EntityManager, tenantId: string, id: string, pointer: string): Promise<CategoryRow> {
  const row = await findCategory(em, tenantId, id);
  if (!row) throw new TicketOpsError('invalid_input', 'Unknown category', { details: [{ pointer, message: 'is not a category of this tenant' }] });
  return row;
}

/** The category and every category under it (the tree is at most three levels deep). */
export async function subtreeIds(em: EntityManager, tenantId: string, id: string): Promise<string[]> {
  const rows = await sql<{ id: string }>(
    em,
    `with recursive tree as (
       select id, 1 as level from knowledge_base_category where tenant_id = ? and id = ?
       union all
       select c.id, tree.level + 1 from knowledge_base_category c join tree on c.parent_id = tree.id where c.tenant_id = ? and tree.level < ?
     ) select id from tree`,
    [tenantId, id, tenantId, MAX_DEPTH],
  );
  return rows.map((r) => r.id);
}

/** How many levels the subtree under (and including) a category spans: 1 for a leaf. */
export async function subtreeHeight(em: EntityManager, tenantId: string, id: string): Promise<number> {
  const [row] = await sql<{ height: number }>(
    em,
    `with recursive tree as (
       select id, 1 as level from knowledge_base_category where tenant_id = ? and id = ?
       union all
       select c.id, tree.level + 1 from knowledge_base_category c join tree on c.parent_id = tree.id where c.tenant_id = ? and tree.level <= ?
     ) select max(level)::int as height from tree`,
    [tenantId, id, tenantId, MAX_DEPTH],
  );
  return row?.height ?? 1;
}
