import { type RouteDefinition, TicketOpsError, defineRoute, notFound, respond } from '@ticketops/plugin-sdk';
import { type CategoryRow, MAX_DEPTH, categoryView, findCategory, requireCategory, subtreeHeight, subtreeIds } from '../categories/store.ts';
import { newId, sql } from '../db.ts';
import { LANGUAGE_CODES } from '../languages.ts';
import { PERMISSIONS } from '../permissions.ts';
import { assertVersion, expectedVersion } from './concurrency.ts';
import { id, idParams } from './schemas.ts';

const names = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: Object.fromEntries(LANGUAGE_CODES.map((l) => [l, { type: 'string', minLength: 1, maxLength: 120 }])),
  description: 'The name per language',
};
const categorySchema = {
  type: 'object',
  required: ['id', 'depth', 'position', 'names', 'version'],
  properties: {
    id: { type: 'string' },
    parentId: { type: ['string', 'null'] },
    depth: { type: 'integer', minimum: 1, maximum: MAX_DEPTH },
    position: { type: 'integer' },
    names,
    version: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};
const position = { type: 'integer', minimum: 0, maximum: 100_000 };

interface CategoryInput {
  names?: Record<string, string>;
  parentId?: string | null;
  position?: number;
  version?: number;
}

const tooDeep = () => new TicketOpsError('invalid_input', `Categories nest at most ${MAX_DEPTH} levels deep`, { details: [{ pointer: '/body/parentId', message: `would nest deeper than ${MAX_DEPTH} levels` }] });

export const categoryRoutes = (): RouteDefinition[] => [
  defineRoute({
    method: 'get',
    path: '/categories',
    summary: 'Every category, parents before children, by position',
    permission: PERMISSIONS.read,
    schema: { response: { 200: { type: 'object', properties: { items: { type: 'array', items: categorySchema } } } } },
    async handler({ scope }) {
      const rows = await sql<CategoryRow>(scope.em, 'select * from knowledge_base_category where tenant_id = ? order by depth, position, id limit 2000', [scope.tenantId]);
      return { items: rows.map(categoryView) };
    },
  }),
  defineRoute<unknown, unknown, CategoryInput & { names: Record<string, string> }>({
    method: 'post',
    path: '/categories',
    summary: 'Create a category (at most three levels deep)',
    permission: PERMISSIONS.write,
    schema: {
      body: { type: 'object', additionalProperties: false, required: ['names'], properties: { names, parentId: { anyOf: [id, { type: 'null' }] }, position } },
      response: { 201: categorySchema },
    },
    async handler({ scope, body }) {
      return scope.transactional(async (tx) => {
        const parent = body.parentId ? await requireCategory(tx.em, scope.tenantId, body.parentId, '/body/parentId') : null;
        const depth = (parent?.depth ?? 0) + 1;
        if (depth > MAX_DEPTH) throw tooDeep();
        const [row] = await sql<CategoryRow>(
          tx.em,
          'insert into knowledge_base_category (id, tenant_id, parent_id, depth, position, names) values (?, ?, ?, ?, ?, ?) returning *',
          [newId('kbc'), scope.tenantId, parent?.id ?? null, depth, body.position ?? 0, JSON.stringify(body.names)],
        );
        await tx.audit({ action: 'knowledge-base.category.created', targetType: 'knowledge_base_category', targetId: row!.id });
        return respond(201, categoryView(row!), { location: `/api/v1/knowledge-base/categories/${row!.id}` });
      });
    },
  }),
  defineRoute<{ id: string }, unknown, CategoryInput>({
    method: 'patch',
    path: '/categories/:id',
    summary: 'Rename, move or reorder a category (If-Match or version: a stale write answers 412)',
    permission: PERMISSIONS.write,
    schema: {
      params: idParams,
      body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { names, parentId: { anyOf: [id, { type: 'null' }] }, position, version: { type: 'integer', minimum: 1 } } },
      response: { 200: categorySchema },
    },
    async handler({ scope, params, body, headers }) {
      return scope.transactional(async (tx) => {
        const row = await findCategory(tx.em, scope.tenantId, params.id, true);
        if (!row) throw notFound('Category');
        assertVersion(row.version, expectedVersion(headers, body.version));
        let depth = row.depth;
        if (body.parentId !== undefined && body.parentId !== row.parent_id) {
          const parent = body.parentId ? await requireCategory(tx.em, scope.tenantId, body.parentId, '/body/parentId') : null;
          if (parent && (await subtreeIds(tx.em, scope.tenantId, row.id)).includes(parent.id)) {
            throw new TicketOpsError('invalid_input', 'A category cannot move under itself', { details: [{ pointer: '/body/parentId', message: 'is this category or one under it' }] });
          }
          depth = (parent?.depth ?? 0) + 1;
          if (depth + (await subtreeHeight(tx.em, scope.tenantId, row.id)) - 1 > MAX_DEPTH) throw tooDeep();
          // The whole subtree moves with it, one level up or down.
          const under = (await subtreeIds(tx.em, scope.tenantId, row.id)).filter((c) => c !== row.id);
          for (const child of under) await sql(tx.em, 'update knowledge_base_category set depth = depth + ? where tenant_id = ? and id = ?', [depth - row.depth, scope.tenantId, child]);
        }
        const [updated] = await sql<CategoryRow>(
          tx.em,
          `update knowledge_base_category set names = ?, parent_id = ?, depth = ?, position = ?, version = version + 1, updated_at = now()
            where tenant_id = ? and id = ? returning *`,
          [JSON.stringify(body.names ?? row.names), body.parentId === undefined ? row.parent_id : body.parentId, depth, body.position ?? row.position, scope.tenantId, row.id],
        );
        await tx.audit({ action: 'knowledge-base.category.updated', targetType: 'knowledge_base_category', targetId: row.id, data: { fields: Object.keys(body) } });
        return categoryView(updated!);
      });
    },
  }),
  defineRoute<{ id: string }>({
    method: 'delete',
    path: '/categories/:id',
    summary: 'Delete an empty category (409 while it holds categories or articles)',
    permission: PERMISSIONS.write,
    schema: { params: idParams },
    async handler({ scope, params }) {
      return scope.transactional(async (tx) => {
        const row = await findCategory(tx.em, scope.tenantId, params.id, true);
        if (!row) throw notFound('Category');
        const [used] = await sql<{ children: number; articles: number }>(
          tx.em,
          `select (select count(*)::int from knowledge_base_category where tenant_id = ? and parent_id = ?) as children,
                  (select count(*)::int from knowledge_base_article where tenant_id = ? and category_id = ?) as articles`,
          [scope.tenantId, row.id, scope.tenantId, row.id],
        );
        if (used && (used.children || used.articles)) {
          throw new TicketOpsError('conflict', `The category still holds ${used.children} categories and ${used.articles} articles; move or delete them first`);
        }
        await sql(tx.em, 'delete from knowledge_base_category where tenant_id = ? and id = ?', [scope.tenantId, row.id]);
        await tx.audit({ action: 'knowledge-base.category.deleted', targetType: 'knowledge_base_category', targetId: row.id });
        return respond(204);
      });
    },
  }),
];
