import { type RouteDefinition, TicketOpsError, conflict, defineRoute, respond } from '@ticketops/plugin-sdk';
import { invalidateAuth } from '../../auth/auth-cache.ts';
import { BUILTIN_ROLES, KERNEL_PERMISSIONS } from '../../auth/roles.ts';
import type { Kernel } from '../../kernel/kernel.ts';
import { AuditLog, Role } from '../../kernel-data/entities.ts';
import { newId } from '../../kernel-data/ids.ts';
import { decodeCursor, encodeCursor } from '../pagination.ts';
import { listOf, pageQuery } from './schemas.ts';

const roleSchema = {
  type: 'object', required: ['name', 'permissions', 'builtin'],
  properties: { id: { type: 'string' }, name: { type: 'string' }, description: { type: 'string' }, permissions: { type: 'array', items: { type: 'string' } }, builtin: { type: 'boolean' } },
};

/** Roles, permissions, audit log and plugin list: the administration surface of the kernel. */
export const adminRoutes = (kernel: Kernel): RouteDefinition[] => {
  const allPermissions = () => [...KERNEL_PERMISSIONS, ...kernel.plugins.flatMap((p) => p.definition.permissions ?? [])];
  /** Every permission string must exist (a `prefix.*` must cover at least one). */
  const checkPermissions = (permissions: string[]) => {
    const known = new Set(allPermissions().map((p) => p.name));
    const details = permissions
      .map((p, i) => ({ p, i }))
      .filter(({ p }) => !known.has(p) && !(p.endsWith('.*') && [...known].some((k) => k.startsWith(p.slice(0, -1)))))
      .map(({ i, p }) => ({ pointer: `/body/permissions/${i}`, message: `"${p}" is not a known permission` }));
    if (details.length) throw new TicketOpsError('invalid_input', 'Unknown permissions', { details });
  };
  return [
    defineRoute({
      method: 'get', path: '/permissions', summary: 'Every permission the kernel and enabled plugins define', tags: ['roles'], permission: 'roles.read',
      schema: { response: { 200: listOf({ type: 'object', properties: { name: { type: 'string' }, description: { type: 'string' } } }) } },
      async handler() {
        return { items: allPermissions().map(({ name, description }) => ({ name, description })), nextCursor: null };
      },
    }),
    defineRoute({
      method: 'get', path: '/roles', summary: 'Roles of the tenant with their permissions', tags: ['roles'], permission: 'roles.read',
      schema: { response: { 200: listOf(roleSchema) } },
      async handler({ scope }) {
        const roles = await scope.em.find(Role, {}, { orderBy: { name: 'asc' } });
        return {
          items: roles.map((r) => ({
            id: r.id, name: r.name, description: r.description, builtin: r.builtin,
            permissions: r.builtin ? [...kernel.rolePermissions[r.name as (typeof BUILTIN_ROLES)[number]]].sort() : r.permissions,
          })),
          nextCursor: null,
        };
      },
    }),
    defineRoute<unknown, unknown, { name: string; description?: string; permissions: string[] }>({
      method: 'post', path: '/roles', summary: 'Create a custom role from permission strings', tags: ['roles'], permission: 'roles.write',
      schema: {
        body: {
          type: 'object', additionalProperties: false, required: ['name', 'permissions'],
          properties: {
            name: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,39}$' }, description: { type: 'string', maxLength: 300 },
            permissions: { type: 'array', maxItems: 500, uniqueItems: true, items: { type: 'string', pattern: '^[a-z0-9-]+(\\.[a-z0-9_*-]+)*$' } },
          },
        },
        response: { 201: roleSchema },
      },
      async handler({ scope, body }) {
        checkPermissions(body.permissions);
        if ((BUILTIN_ROLES as readonly string[]).includes(body.name)) throw conflict(`"${body.name}" is a built-in role`);
        return scope.transactional(async (tx) => {
          if (await tx.em.findOne(Role, { name: body.name })) throw conflict(`Role "${body.name}" already exists`);
          const role = tx.em.create(Role, { id: newId('rol'), tenantId: scope.tenantId, name: body.name, description: body.description ?? '', permissions: body.permissions, builtin: false });
          await tx.em.flush();
          await tx.audit({ action: 'role.created', targetType: 'role', targetId: role.id, data: { name: role.name, permissions: role.permissions } });
          return respond(201, { id: role.id, name: role.name, description: role.description, permissions: role.permissions, builtin: false });
        });
      },
    }),
    defineRoute<{ name: string }, unknown, { description?: string; permissions?: string[] }>({
      method: 'patch', path: '/roles/:name', summary: 'Change a custom role\'s permissions (audited; applies on every node at once)', tags: ['roles'], permission: 'roles.write',
      schema: {
        params: { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 40 } } },
        body: {
          type: 'object', additionalProperties: false, minProperties: 1,
          properties: { description: { type: 'string', maxLength: 300 }, permissions: { type: 'array', maxItems: 500, uniqueItems: true, items: { type: 'string', pattern: '^[a-z0-9-]+(\\.[a-z0-9_*-]+)*$' } } },
        },
        response: { 200: roleSchema },
      },
      async handler({ scope, params, body }) {
        if ((BUILTIN_ROLES as readonly string[]).includes(params.name)) throw conflict(`"${params.name}" is a built-in role; its permissions come from the kernel and plugins`);
        if (body.permissions) checkPermissions(body.permissions);
        const role = await scope.transactional(async (tx) => {
          const current = await tx.em.findOne(Role, { name: params.name });
          if (!current) throw new TicketOpsError('not_found', `Role "${params.name}" was not found`);
          const before = current.permissions;
          if (body.permissions) current.permissions = body.permissions;
          if (body.description !== undefined) current.description = body.description;
          await tx.em.flush();
          await tx.audit({ action: 'role.changed', targetType: 'role', targetId: current.id, data: { name: current.name, from: before, to: current.permissions } });
          return current;
        });
        await invalidateAuth(kernel.db, kernel.authCache, { all: true });
        return { id: role.id, name: role.name, description: role.description, permissions: role.permissions, builtin: false };
      },
    }),
    defineRoute<{ name: string }>({
      method: 'delete', path: '/roles/:name', summary: 'Delete a custom role nobody holds (audited)', tags: ['roles'], permission: 'roles.write',
      schema: { params: { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 40 } } } },
      async handler({ scope, params }) {
        if ((BUILTIN_ROLES as readonly string[]).includes(params.name)) throw conflict(`"${params.name}" is a built-in role`);
        await scope.transactional(async (tx) => {
          const role = await tx.em.findOne(Role, { name: params.name });
          if (!role) throw new TicketOpsError('not_found', `Role "${params.name}" was not found`);
          const holders = await tx.em.getConnection().execute<{ n: number }[]>('select count(*)::int as n from app_user where tenant_id = ? and role = ?', [scope.tenantId, params.name], 'all', tx.em.getTransactionContext());
          if ((holders[0]?.n ?? 0) > 0) throw conflict(`${holders[0]?.n} users hold role "${params.name}"; give them another role first`);
          tx.em.remove(role);
          await tx.em.flush();
          await tx.audit({ action: 'role.deleted', targetType: 'role', targetId: role.id, data: { name: role.name } });
        });
        return respond(204);
      },
    }),
    defineRoute<unknown, { limit: number; cursor?: string; action?: string }>({
      method: 'get', path: '/audit', summary: 'Audit log of the tenant, newest first', tags: ['audit'], permission: 'audit.read',
      schema: {
        query: { ...pageQuery, properties: { ...pageQuery.properties, action: { type: 'string', maxLength: 100 } } },
        response: { 200: listOf({ type: 'object' }) },
      },
      async handler({ scope, query }) {
        const before = decodeCursor(query.cursor);
        const where: Record<string, unknown> = {};
        if (before) where.id = { $lt: before };
        if (query.action) where.action = query.action;
        const rows = await scope.em.find(AuditLog, where, { orderBy: { id: 'desc' }, limit: query.limit + 1 });
        const page = rows.slice(0, query.limit);
        return {
          items: page.map((r) => ({ id: r.id, action: r.action, actorId: r.actorId, targetType: r.targetType, targetId: r.targetId, data: r.data, ip: r.ip, requestId: r.requestId, createdAt: r.createdAt.toISOString() })),
          nextCursor: rows.length > query.limit ? encodeCursor(page.at(-1)?.id as string) : null,
        };
      },
    }),
    defineRoute({
      method: 'get', path: '/plugins', summary: 'Enabled plugins in load order', tags: ['plugins'], permission: 'plugins.read',
      schema: { response: { 200: listOf({ type: 'object' }) } },
      async handler() {
        return { items: kernel.plugins.map(({ definition: d }) => ({ id: d.id, version: d.version, description: d.description ?? '', dependsOn: d.dependsOn ?? [] })), nextCursor: null };
      },
    }),
  ];
};
