import { type RouteDefinition, type Scope, TicketOpsError, conflict, defineRoute, notFound, respond } from '@ticketops/plugin-sdk';
import { createAjv } from '../../config/ajv.ts';
import { newId } from '../../kernel-data/ids.ts';
import type { TicketCatalog } from '../catalog.ts';
import { sql } from '../sql.ts';

const CATEGORIES = ['new', 'open', 'pending', 'on-hold', 'solved', 'closed'] as const;
const name = { type: 'string', pattern: '^[a-z0-9][a-z0-9 _-]{0,48}$' };
const nameParams = { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 50 } } };
const invalid = (pointer: string, message: string) => new TicketOpsError('invalid_input', `${pointer.split('/').pop()} ${message}`, { details: [{ pointer, message }] });
const count = async (em: Parameters<typeof sql>[0], where: string, params: unknown[]) => Number((await sql<{ n: number }>(em, `select count(*)::int as n from ticket where deleted_at is null and ${where}`, params))[0]?.n ?? 0);

/**
 * A change to statuses, priorities or types. Every node hears of it through the tables' NOTIFY
 * trigger; this node also forgets its cached catalogue at once, so its very next write sees it.
 */
async function changeCatalog<T>(scope: Scope, work: Parameters<Scope['transactional']>[0]): Promise<T> {
  try {
    return (await scope.transactional(work)) as T;
  } finally {
    scope.resolve<TicketCatalog>('ticketCatalog').forget(scope.tenantId);
  }
}

/**
 * Statuses and priorities. Tickets store the name, so a rename updates the tickets carrying it in
 * the same transaction (and a status's category change re-categorises them); deleting one in use
 * is refused (deactivate it instead), and every category keeps at least one active status.
 */
function levelRoutes(kind: 'status' | 'priority'): RouteDefinition[] {
  const table = kind === 'status' ? 'ticket_status' : 'ticket_priority';
  const column = kind;
  const base = kind === 'status' ? '/ticket-statuses' : '/ticket-priorities';
  const props: Record<string, object> = { name, position: { type: 'integer', minimum: 0, maximum: 1000 }, active: { type: 'boolean' } };
  if (kind === 'status') props.category = { enum: [...CATEGORIES] };
  const view = (r: Record<string, any>) => ({ id: r.id, name: r.name, ...(kind === 'status' ? { category: r.category } : {}), position: r.position, active: r.active });

  const ensureCategoriesCovered = async (em: Parameters<typeof sql>[0], tenantId: string) => {
    if (kind !== 'status') return;
    const covered = await sql<{ category: string }>(em, 'select distinct category from ticket_status where tenant_id = ? and active', [tenantId]);
    const missing = CATEGORIES.filter((c) => !covered.some((r) => r.category === c));
    if (missing.length) throw conflict(`Every category needs an active status; none left for: ${missing.join(', ')}`);
  };

  return [
    defineRoute({
      method: 'get', path: base, summary: `List ${kind === 'status' ? 'statuses' : 'priorities'}`, tags: ['ticket settings'], permission: 'ticket-settings.read',
      async handler({ scope }) {
        return { items: (await sql(scope.em, `select * from ${table} where tenant_id = ? order by position, name`, [scope.tenantId])).map(view), nextCursor: null };
      },
    }),
    defineRoute<unknown, unknown, Record<string, any>>({
      method: 'post', path: base, summary: `Create a ${kind}`, tags: ['ticket settings'], permission: 'ticket-settings.write',
      schema: { body: { type: 'object', additionalProperties: false, required: kind === 'status' ? ['name', 'category'] : ['name'], properties: props } },
      async handler({ scope, body }) {
        return changeCatalog(scope, async (tx) => {
          if ((await sql(tx.em, `select 1 from ${table} where tenant_id = ? and name = ?`, [scope.tenantId, body.name])).length) throw conflict(`A ${kind} named "${body.name}" exists`);
          const id = newId(kind === 'status' ? 'tst' : 'tpr');
          const cols = ['id', 'tenant_id', 'name', 'position', 'active', ...(kind === 'status' ? ['category'] : [])];
          const values = [id, scope.tenantId, body.name, body.position ?? 100, body.active ?? true, ...(kind === 'status' ? [body.category] : [])];
          const [row] = await sql(tx.em, `insert into ${table} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')}) returning *`, values);
          await tx.audit({ action: `${kind}.created`, targetType: kind, targetId: id, data: { name: body.name } });
          return respond(201, view(row as Record<string, unknown>));
        });
      },
    }),
    defineRoute<{ name: string }, unknown, Record<string, any>>({
      method: 'patch', path: `${base}/:name`, summary: `Change a ${kind}; renames carry over to tickets`, tags: ['ticket settings'], permission: 'ticket-settings.write',
      schema: { params: nameParams, body: { type: 'object', additionalProperties: false, minProperties: 1, properties: props } },
      async handler({ scope, params, body }) {
        return changeCatalog(scope, async (tx) => {
          const [current] = await sql(tx.em, `select * from ${table} where tenant_id = ? and name = ? for update`, [scope.tenantId, params.name]);
          if (!current) throw notFound(kind === 'status' ? 'Status' : 'Priority');
          const next = { ...current, ...body } as Record<string, any>;
          if (body.name && body.name !== current.name && (await sql(tx.em, `select 1 from ${table} where tenant_id = ? and name = ?`, [scope.tenantId, body.name])).length) {
            throw conflict(`A ${kind} named "${body.name}" exists`);
          }
          await sql(tx.em, `update ${table} set name = ?, position = ?, active = ?${kind === 'status' ? ', category = ?' : ''} where id = ?`, [
            next.name, next.position, next.active, ...(kind === 'status' ? [next.category] : []), current.id,
          ]);
          if (next.name !== current.name || (kind === 'status' && next.category !== current.category)) {
            await sql(tx.em, `update ticket set ${column} = ?${kind === 'status' ? ', status_category = ?' : ''}, updated_at = now() where tenant_id = ? and ${column} = ?`, [
              next.name, ...(kind === 'status' ? [next.category] : []), scope.tenantId, current.name,
            ]);
          }
          await ensureCategoriesCovered(tx.em, scope.tenantId);
          await tx.audit({ action: `${kind}.changed`, targetType: kind, targetId: current.id, data: { from: view(current), to: view(next) } });
          return view(next);
        });
      },
    }),
    defineRoute<{ name: string }>({
      method: 'delete', path: `${base}/:name`, summary: `Delete an unused ${kind}`, tags: ['ticket settings'], permission: 'ticket-settings.write',
      schema: { params: nameParams },
      async handler({ scope, params }) {
        return changeCatalog(scope, async (tx) => {
          const used = await count(tx.em, `tenant_id = ? and ${column} = ?`, [scope.tenantId, params.name]);
          if (used) throw conflict(`${used} tickets use ${kind} "${params.name}"; deactivate it (active: false) instead`);
          const removed = await sql(tx.em, `delete from ${table} where tenant_id = ? and name = ? returning id`, [scope.tenantId, params.name]);
          if (!removed.length) throw notFound(kind === 'status' ? 'Status' : 'Priority');
          await ensureCategoriesCovered(tx.em, scope.tenantId);
          await tx.audit({ action: `${kind}.deleted`, targetType: kind, targetId: removed[0]?.id, data: { name: params.name } });
          return respond(204);
        });
      },
    }),
  ];
}

const ajv = createAjv();
const MAX_SCHEMA_BYTES = 64 * 1024;

/** A type's custom-field schema must be an object schema ajv compiles, with no remote references. */
function checkFieldsSchema(schema: Record<string, unknown>): void {
  const text = JSON.stringify(schema);
  if (text.length > MAX_SCHEMA_BYTES) throw invalid('/body/fieldsSchema', `must be under ${MAX_SCHEMA_BYTES} bytes`);
  if (schema.type !== 'object') throw invalid('/body/fieldsSchema/type', 'must be "object"');
  if (/"\$ref"\s*:\s*"(?!#)/.test(text)) throw invalid('/body/fieldsSchema', 'may only use local $ref (#/…)');
  try {
    ajv.compile({ ...schema, $id: undefined });
  } catch (error) {
    throw invalid('/body/fieldsSchema', `is not a valid JSON Schema: ${(error as Error).message}`);
  }
}

const typeView = (r: Record<string, any>) => ({
  id: r.id, name: r.name, description: r.description, fieldsSchema: typeof r.fields_schema === 'string' ? JSON.parse(r.fields_schema) : r.fields_schema, active: r.active,
});

/** Ticket types. A changed schema applies to later writes; existing tickets keep their values. */
function typeRoutes(): RouteDefinition[] {
  const props = { name: { type: 'string', minLength: 1, maxLength: 100 }, description: { type: 'string', maxLength: 1000 }, fieldsSchema: { type: 'object' }, active: { type: 'boolean' } };
  return [
    defineRoute({
      method: 'get', path: '/ticket-types', summary: 'List ticket types with their custom-field schemas', tags: ['ticket settings'], permission: 'ticket-settings.read',
      async handler({ scope }) {
        return { items: (await sql(scope.em, 'select * from ticket_type where tenant_id = ? order by name', [scope.tenantId])).map(typeView), nextCursor: null };
      },
    }),
    defineRoute<unknown, unknown, { name: string; description?: string; fieldsSchema?: Record<string, unknown>; active?: boolean }>({
      method: 'post', path: '/ticket-types', summary: 'Create a ticket type', tags: ['ticket settings'], permission: 'ticket-settings.write',
      schema: { body: { type: 'object', additionalProperties: false, required: ['name'], properties: props } },
      async handler({ scope, body }) {
        const schema = body.fieldsSchema ?? { type: 'object' };
        checkFieldsSchema(schema);
        return changeCatalog(scope, async (tx) => {
          if ((await sql(tx.em, 'select 1 from ticket_type where tenant_id = ? and name = ?', [scope.tenantId, body.name])).length) throw conflict(`A ticket type named "${body.name}" exists`);
          const [row] = await sql(tx.em, 'insert into ticket_type (id, tenant_id, name, description, fields_schema, active) values (?, ?, ?, ?, ?::jsonb, ?) returning *', [
            newId('tty'), scope.tenantId, body.name, body.description ?? '', JSON.stringify(schema), body.active ?? true,
          ]);
          await tx.audit({ action: 'ticket_type.created', targetType: 'ticket_type', targetId: row?.id, data: { name: body.name } });
          return respond(201, typeView(row as Record<string, unknown>));
        });
      },
    }),
    defineRoute<{ name: string }, unknown, { name?: string; description?: string; fieldsSchema?: Record<string, unknown>; active?: boolean }>({
      method: 'patch', path: '/ticket-types/:name', summary: 'Change a ticket type (renames carry over to tickets)', tags: ['ticket settings'], permission: 'ticket-settings.write',
      schema: { params: { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 100 } } }, body: { type: 'object', additionalProperties: false, minProperties: 1, properties: props } },
      async handler({ scope, params, body }) {
        if (body.fieldsSchema) checkFieldsSchema(body.fieldsSchema);
        return changeCatalog(scope, async (tx) => {
          const [current] = await sql(tx.em, 'select * from ticket_type where tenant_id = ? and name = ? for update', [scope.tenantId, params.name]);
          if (!current) throw notFound('Ticket type');
          const next = { ...typeView(current), ...body };
          await sql(tx.em, 'update ticket_type set name = ?, description = ?, fields_schema = ?::jsonb, active = ? where id = ?', [next.name, next.description, JSON.stringify(next.fieldsSchema), next.active, current.id]);
          if (next.name !== current.name) await sql(tx.em, 'update ticket set type = ? where tenant_id = ? and type = ?', [next.name, scope.tenantId, current.name]);
          await tx.audit({ action: 'ticket_type.changed', targetType: 'ticket_type', targetId: current.id, data: { name: next.name } });
          return next;
        });
      },
    }),
    defineRoute<{ name: string }>({
      method: 'delete', path: '/ticket-types/:name', summary: 'Delete an unused ticket type', tags: ['ticket settings'], permission: 'ticket-settings.write',
      schema: { params: { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 100 } } } },
      async handler({ scope, params }) {
        return changeCatalog(scope, async (tx) => {
          const used = await count(tx.em, 'tenant_id = ? and type = ?', [scope.tenantId, params.name]);
          if (used) throw conflict(`${used} tickets use type "${params.name}"; deactivate it (active: false) instead`);
          const removed = await sql(tx.em, 'delete from ticket_type where tenant_id = ? and name = ? returning id', [scope.tenantId, params.name]);
          if (!removed.length) throw notFound('Ticket type');
          await tx.audit({ action: 'ticket_type.deleted', targetType: 'ticket_type', targetId: removed[0]?.id, data: { name: params.name } });
          return respond(204);
        });
      },
    }),
  ];
}

/** Tags: usage counts and prefix search for autocomplete; delete and rename (merge) reach every ticket. */
function tagRoutes(): RouteDefinition[] {
  const tag = { type: 'string', minLength: 1, maxLength: 50 };
  return [
    defineRoute<unknown, { q?: string; limit: number }>({
      method: 'get', path: '/tags', summary: 'Tags with how many tickets carry them', tags: ['ticket settings'], permission: 'ticket-settings.read',
      schema: { query: { type: 'object', additionalProperties: false, properties: { q: { type: 'string', maxLength: 50 }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 } } } },
      async handler({ scope, query }) {
        const rows = await sql<{ name: string; n: number }>(
          scope.em,
          `select g.name, (select count(*)::int from ticket t where t.tenant_id = g.tenant_id and t.deleted_at is null and t.tags @> array[g.name]) as n
             from tag g where g.tenant_id = ? and g.name like ? order by g.name limit ?`,
          [scope.tenantId, `${(query.q ?? '').toLowerCase().replace(/[%_\\]/g, '\\$&')}%`, query.limit],
        );
        return { items: rows.map((r) => ({ name: r.name, tickets: r.n })), nextCursor: null };
      },
    }),
    defineRoute<{ name: string }>({
      method: 'delete', path: '/tags/:name', summary: 'Delete a tag and remove it from every ticket', tags: ['ticket settings'], permission: 'ticket-settings.write',
      schema: { params: { type: 'object', required: ['name'], properties: { name: tag } } },
      async handler({ scope, params }) {
        return scope.transactional(async (tx) => {
          const removed = await sql(tx.em, 'delete from tag where tenant_id = ? and name = ? returning name', [scope.tenantId, params.name]);
          if (!removed.length) throw notFound('Tag');
          const changed = await sql(tx.em, 'update ticket set tags = array_remove(tags, ?), updated_at = now() where tenant_id = ? and tags @> array[?]::text[] returning id', [params.name, scope.tenantId, params.name]);
          await tx.audit({ action: 'tag.deleted', targetType: 'tag', targetId: params.name, data: { tickets: changed.length } });
          return respond(204);
        });
      },
    }),
    defineRoute<{ name: string }, unknown, { to: string }>({
      method: 'post', path: '/tags/:name/rename', summary: 'Rename a tag (merging into an existing tag of that name)', tags: ['ticket settings'], permission: 'ticket-settings.write',
      schema: { params: { type: 'object', required: ['name'], properties: { name: tag } }, body: { type: 'object', additionalProperties: false, required: ['to'], properties: { to: { type: 'string', pattern: '^[\\p{L}\\p{N}][\\p{L}\\p{N}_:.-]{0,49}$' } } } },
      async handler({ scope, params, body }) {
        const to = body.to.toLowerCase();
        return scope.transactional(async (tx) => {
          if (!(await sql(tx.em, 'delete from tag where tenant_id = ? and name = ? returning name', [scope.tenantId, params.name])).length) throw notFound('Tag');
          await sql(tx.em, 'insert into tag (tenant_id, name) values (?, ?) on conflict do nothing', [scope.tenantId, to]);
          const changed = await sql(
            tx.em,
            `update ticket set tags = (select array_agg(distinct x order by x) from unnest(array_replace(tags, ?, ?)) x), updated_at = now() where tenant_id = ? and tags @> array[?]::text[] returning id`,
            [params.name, to, scope.tenantId, params.name],
          );
          await tx.audit({ action: 'tag.renamed', targetType: 'tag', targetId: params.name, data: { to, tickets: changed.length } });
          return { name: to, tickets: changed.length };
        });
      },
    }),
  ];
}

export const catalogRoutes = (): RouteDefinition[] => [...levelRoutes('status'), ...levelRoutes('priority'), ...typeRoutes(), ...tagRoutes()];
