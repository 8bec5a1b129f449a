import { type RouteDefinition, TicketOpsError, conflict, defineRoute, notFound, respond } from '@ticketops/plugin-sdk';
import { decodeCursor, encodeCursor } from '../http/pagination.ts';
import { newId } from '../kernel-data/ids.ts';
import { TICKET_COLUMNS, toTicketRecord } from '../tickets/record.ts';
import { pgArray, sql } from '../tickets/sql.ts';

type Em = Parameters<typeof sql>[0];
const idParams = (prefix: string) => ({ type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: `^${prefix}_[a-z0-9]+$` } } });
const page = { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 }, cursor: { type: 'string', maxLength: 300 } } };
const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

const orgView = (r: Record<string, any>) => ({
  id: r.id, name: r.name, domains: r.domains ?? [], notes: r.notes, sharedTickets: r.shared_tickets,
  customFields: typeof r.custom_fields === 'string' ? JSON.parse(r.custom_fields) : r.custom_fields,
  ...(r.members !== undefined ? { members: Number(r.members) } : {}),
  createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
});

/** Domains are hostnames and belong to one organization (they route new customers to it). */
async function checkDomains(em: Em, tenantId: string, domains: string[], self: string | null): Promise<string[]> {
  const normalized = [...new Set(domains.map((d) => d.trim().toLowerCase()))];
  const bad = normalized.findIndex((d) => !HOST.test(d));
  if (bad >= 0) throw new TicketOpsError('invalid_input', `"${normalized[bad]}" is not a domain name`, { details: [{ pointer: `/body/domains/${bad}`, message: 'is not a domain name' }] });
  const taken = await sql<{ name: string; domain: string }>(em, 'select name, unnest(domains) as domain from organization where tenant_id = ? and id is distinct from ?', [tenantId, self]);
  const clash = taken.find((t) => normalized.includes(t.domain));
  if (clash) throw conflict(`Domain ${clash.domain} already belongs to organization "${clash.name}"`);
  return normalized;
}

function organizationRoutes(): RouteDefinition[] {
  const props = {
    name: { type: 'string', minLength: 1, maxLength: 200 }, domains: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 253 } },
    notes: { type: 'string', maxLength: 10_000 }, sharedTickets: { type: 'boolean' }, customFields: { type: 'object', maxProperties: 100 },
  };
  const load = async (em: Em, tenantId: string, id: string) => {
    const [row] = await sql(em, `select o.*, (select count(*) from app_user u where u.organization_id = o.id) as members from organization o where o.tenant_id = ? and o.id = ?`, [tenantId, id]);
    if (!row) throw notFound('Organization');
    return row;
  };
  return [
    defineRoute<unknown, { limit: number; cursor?: string }>({
      method: 'get', path: '/organizations', summary: 'Customer organizations', tags: ['organizations'], permission: 'organizations.read', schema: { query: page },
      async handler({ scope, query }) {
        const after = decodeCursor(query.cursor);
        const rows = await sql(scope.em, `select * from organization where tenant_id = ?${after ? ' and id > ?' : ''} order by id limit ?`, [scope.tenantId, ...(after ? [after] : []), query.limit + 1]);
        const items = rows.slice(0, query.limit).map(orgView);
        return { items, nextCursor: rows.length > query.limit ? encodeCursor(items.at(-1)?.id as string) : null };
      },
    }),
    defineRoute<unknown, unknown, Record<string, any>>({
      method: 'post', path: '/organizations', summary: 'Create an organization', tags: ['organizations'], permission: 'organizations.write',
      schema: { body: { type: 'object', additionalProperties: false, required: ['name'], properties: props } },
      async handler({ scope, body }) {
        return scope.transactional(async (tx) => {
          if ((await sql(tx.em, 'select 1 from organization where tenant_id = ? and lower(name) = lower(?)', [scope.tenantId, body.name])).length) throw conflict(`An organization named "${body.name}" exists`);
          const domains = await checkDomains(tx.em, scope.tenantId, body.domains ?? [], null);
          const [row] = await sql(tx.em, 'insert into organization (id, tenant_id, name, domains, notes, shared_tickets, custom_fields) values (?, ?, ?, ?::text[], ?, ?, ?::jsonb) returning *', [
            newId('org'), scope.tenantId, body.name.trim(), pgArray(domains), body.notes ?? '', body.sharedTickets ?? false, JSON.stringify(body.customFields ?? {}),
          ]);
          await tx.audit({ action: 'organization.created', targetType: 'organization', targetId: row?.id, data: { name: body.name } });
          return respond(201, orgView(row as Record<string, unknown>));
        });
      },
    }),
    defineRoute<{ id: string }>({
      method: 'get', path: '/organizations/:id', summary: 'One organization with its member count', tags: ['organizations'], permission: 'organizations.read', schema: { params: idParams('org') },
      async handler({ scope, params }) {
        return orgView(await load(scope.em, scope.tenantId, params.id));
      },
    }),
    defineRoute<{ id: string }, unknown, Record<string, any>>({
      method: 'patch', path: '/organizations/:id', summary: 'Change an organization', tags: ['organizations'], permission: 'organizations.write',
      schema: { params: idParams('org'), body: { type: 'object', additionalProperties: false, minProperties: 1, properties: props } },
      async handler({ scope, params, body }) {
        return scope.transactional(async (tx) => {
          const current = await load(tx.em, scope.tenantId, params.id);
          if (body.name && (await sql(tx.em, 'select 1 from organization where tenant_id = ? and lower(name) = lower(?) and id <> ?', [scope.tenantId, body.name, params.id])).length) throw conflict(`An organization named "${body.name}" exists`);
          const domains = body.domains ? await checkDomains(tx.em, scope.tenantId, body.domains, params.id) : current.domains;
          const [row] = await sql(tx.em, 'update organization set name = ?, domains = ?::text[], notes = ?, shared_tickets = ?, custom_fields = ?::jsonb, updated_at = now() where id = ? returning *', [
            body.name ?? current.name, pgArray(domains ?? []), body.notes ?? current.notes, body.sharedTickets ?? current.shared_tickets,
            JSON.stringify(body.customFields ?? (typeof current.custom_fields === 'string' ? JSON.parse(current.custom_fields) : current.custom_fields)), params.id,
          ]);
          await tx.audit({ action: 'organization.changed', targetType: 'organization', targetId: params.id, data: { fields: Object.keys(body) } });
          return orgView({ ...(row as Record<string, unknown>), members: current.members });
        });
      },
    }),
    defineRoute<{ id: string }>({
      method: 'delete', path: '/organizations/:id', summary: 'Delete an organization (its users and tickets are kept, unlinked)', tags: ['organizations'], permission: 'organizations.write', schema: { params: idParams('org') },
      async handler({ scope, params }) {
        return scope.transactional(async (tx) => {
          const current = await load(tx.em, scope.tenantId, params.id);
          await sql(tx.em, 'delete from organization where id = ?', [params.id]);
          await tx.audit({ action: 'organization.deleted', targetType: 'organization', targetId: params.id, data: { name: current.name } });
          return respond(204);
        });
      },
    }),
    defineRoute<{ id: string }>({
      method: 'get', path: '/organizations/:id/users', summary: 'Users of an organization', tags: ['organizations'], permission: 'organizations.read', schema: { params: idParams('org') },
      async handler({ scope, params }) {
        await load(scope.em, scope.tenantId, params.id);
        const rows = await sql(scope.em, 'select id, email, name, role, active from app_user where tenant_id = ? and organization_id = ? order by name', [scope.tenantId, params.id]);
        return { items: rows, nextCursor: null };
      },
    }),
    defineRoute<{ id: string }, { limit: number; cursor?: string }>({
      method: 'get', path: '/organizations/:id/tickets', summary: 'Ticket history of an organization, newest first', tags: ['organizations'], permission: 'tickets.read.all',
      schema: { params: idParams('org'), query: page },
      async handler({ scope, params, query }) {
        await load(scope.em, scope.tenantId, params.id);
        const after = decodeCursor(query.cursor);
        const rows = await sql(scope.em, `select ${TICKET_COLUMNS} from ticket t where t.tenant_id = ? and t.organization_id = ? and t.deleted_at is null${after ? ' and t.id < ?' : ''} order by t.id desc limit ?`, [
          scope.tenantId, params.id, ...(after ? [after] : []), query.limit + 1,
        ]);
        const items = rows.slice(0, query.limit).map(toTicketRecord);
        return { items, nextCursor: rows.length > query.limit ? encodeCursor(items.at(-1)?.id as string) : null };
      },
    }),
  ];
}

function groupRoutes(): RouteDefinition[] {
  const view = async (em: Em, r: Record<string, any>) => ({
    id: r.id, name: r.name, description: r.description,
    memberIds: (await sql<{ user_id: string }>(em, 'select user_id from group_member where group_id = ? order by user_id', [r.id])).map((m) => m.user_id),
  });
  const load = async (em: Em, tenantId: string, id: string) => {
    const [row] = await sql(em, 'select * from agent_group where tenant_id = ? and id = ?', [tenantId, id]);
    if (!row) throw notFound('Group');
    return row;
  };
  /** Members are staff of the tenant; a customer or a stranger is named in the error. */
  const checkMembers = async (em: Em, tenantId: string, userIds: string[]) => {
    const rows = await sql<{ id: string; role: string }>(em, 'select id, role from app_user where tenant_id = ? and id = any(?::text[]) and active', [tenantId, pgArray(userIds)]);
    const details = userIds
      .map((id, i) => ({ id, i, row: rows.find((r) => r.id === id) }))
      .filter((x) => !x.row || x.row.role === 'customer')
      .map((x) => ({ pointer: `/body/userIds/${x.i}`, message: x.row ? 'customers cannot be group members' : 'is not a user of this help desk' }));
    if (details.length) throw new TicketOpsError('invalid_input', 'Some members cannot join the group', { details });
  };
  const props = { name: { type: 'string', minLength: 1, maxLength: 100 }, description: { type: 'string', maxLength: 1000 } };
  const userIds = { type: 'array', maxItems: 1000, uniqueItems: true, items: { type: 'string', maxLength: 40 } };
  return [
    defineRoute({
      method: 'get', path: '/groups', summary: 'Agent groups with their members', tags: ['groups'], permission: 'groups.read',
      async handler({ scope }) {
        const rows = await sql(scope.em, 'select * from agent_group where tenant_id = ? order by name', [scope.tenantId]);
        return { items: await Promise.all(rows.map((r) => view(scope.em, r))), nextCursor: null };
      },
    }),
    defineRoute<unknown, unknown, { name: string; description?: string; userIds?: string[] }>({
      method: 'post', path: '/groups', summary: 'Create a group', tags: ['groups'], permission: 'groups.write',
      schema: { body: { type: 'object', additionalProperties: false, required: ['name'], properties: { ...props, userIds } } },
      async handler({ scope, body }) {
        return scope.transactional(async (tx) => {
          if ((await sql(tx.em, 'select 1 from agent_group where tenant_id = ? and lower(name) = lower(?)', [scope.tenantId, body.name])).length) throw conflict(`A group named "${body.name}" exists`);
          await checkMembers(tx.em, scope.tenantId, body.userIds ?? []);
          const [row] = await sql(tx.em, 'insert into agent_group (id, tenant_id, name, description) values (?, ?, ?, ?) returning *', [newId('grp'), scope.tenantId, body.name.trim(), body.description ?? '']);
          for (const u of body.userIds ?? []) await sql(tx.em, 'insert into group_member (group_id, user_id, tenant_id) values (?, ?, ?)', [row?.id, u, scope.tenantId]);
          await tx.audit({ action: 'group.created', targetType: 'group', targetId: row?.id, data: { name: body.name, members: body.userIds ?? [] } });
          return respond(201, await view(tx.em, row as Record<string, unknown>));
        });
      },
    }),
    defineRoute<{ id: string }>({
      method: 'get', path: '/groups/:id', summary: 'One group', tags: ['groups'], permission: 'groups.read', schema: { params: idParams('grp') },
      async handler({ scope, params }) {
        return view(scope.em, await load(scope.em, scope.tenantId, params.id));
      },
    }),
    defineRoute<{ id: string }, unknown, { name?: string; description?: string }>({
      method: 'patch', path: '/groups/:id', summary: 'Rename or describe a group', tags: ['groups'], permission: 'groups.write',
      schema: { params: idParams('grp'), body: { type: 'object', additionalProperties: false, minProperties: 1, properties: props } },
      async handler({ scope, params, body }) {
        return scope.transactional(async (tx) => {
          const current = await load(tx.em, scope.tenantId, params.id);
          if (body.name && (await sql(tx.em, 'select 1 from agent_group where tenant_id = ? and lower(name) = lower(?) and id <> ?', [scope.tenantId, body.name, params.id])).length) throw conflict(`A group named "${body.name}" exists`);
          const [row] = await sql(tx.em, 'update agent_group set name = ?, description = ? where id = ? returning *', [body.name ?? current.name, body.description ?? current.description, params.id]);
          await tx.audit({ action: 'group.changed', targetType: 'group', targetId: params.id, data: body });
          return view(tx.em, row as Record<string, unknown>);
        });
      },
    }),
    defineRoute<{ id: string }, unknown, { userIds: string[] }>({
      method: 'put', path: '/groups/:id/members', summary: 'Replace the members of a group', tags: ['groups'], permission: 'groups.write',
      schema: { params: idParams('grp'), body: { type: 'object', additionalProperties: false, required: ['userIds'], properties: { userIds } } },
      async handler({ scope, params, body }) {
        return scope.transactional(async (tx) => {
          const current = await load(tx.em, scope.tenantId, params.id);
          await checkMembers(tx.em, scope.tenantId, body.userIds);
          await sql(tx.em, 'delete from group_member where group_id = ?', [params.id]);
          for (const u of body.userIds) await sql(tx.em, 'insert into group_member (group_id, user_id, tenant_id) values (?, ?, ?)', [params.id, u, scope.tenantId]);
          await tx.audit({ action: 'group.members_changed', targetType: 'group', targetId: params.id, data: { members: body.userIds } });
          return view(tx.em, current);
        });
      },
    }),
    defineRoute<{ id: string }>({
      method: 'delete', path: '/groups/:id', summary: 'Delete a group (tickets keep no group)', tags: ['groups'], permission: 'groups.write', schema: { params: idParams('grp') },
      async handler({ scope, params }) {
        return scope.transactional(async (tx) => {
          const current = await load(tx.em, scope.tenantId, params.id);
          await sql(tx.em, 'delete from agent_group where id = ?', [params.id]);
          await tx.audit({ action: 'group.deleted', targetType: 'group', targetId: params.id, data: { name: current.name } });
          return respond(204);
        });
      },
    }),
  ];
}

export const peopleRoutes = (): RouteDefinition[] => [...organizationRoutes(), ...groupRoutes()];
