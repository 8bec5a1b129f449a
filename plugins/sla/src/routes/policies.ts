import { type RouteDefinition, defineRoute, invalidInput, respond } from '@ticketops/plugin-sdk';
import { ticketCatalog } from '../catalog.ts';
import { SlaPolicy } from '../entities.ts';
import { newId } from '../ids.ts';
import { PERMISSIONS } from '../permissions.ts';
import { type PolicyInput, assertValidPolicy, findPolicy, policyView } from '../policies/store.ts';
import { policyProperties, policySchema } from '../policies/schema.ts';
import { CONFIG_CHANGED } from './calendars.ts';
import { uniqueName } from './problems.ts';
import { idParams } from './schemas.ts';

const listSchema = { type: 'object', properties: { items: { type: 'array', items: policySchema } } };

export const policyRoutes = (): RouteDefinition[] => [
  defineRoute<unknown, unknown, PolicyInput & { name: string; targets: object; calendarId: string }>({
    method: 'post',
    path: '/policies',
    summary: 'Create an SLA policy (appended last; first match wins)',
    permission: PERMISSIONS.policiesWrite,
    schema: { body: { type: 'object', additionalProperties: false, required: ['name', 'targets', 'calendarId'], properties: policyProperties }, response: { 201: policySchema } },
    async handler({ scope, body }) {
      return scope.transactional(async (tx) => {
        await assertValidPolicy(tx.em, body, await ticketCatalog(scope, tx.em), scope.tenantId);
        const last = await tx.em.findOne(SlaPolicy, {}, { orderBy: { position: 'desc' }, fields: ['position'] });
        const row = tx.em.create(SlaPolicy, {
          id: newId('slp'), tenantId: scope.tenantId, name: body.name, position: (last?.position ?? 0) + 1, active: body.active ?? true,
          conditions: body.conditions ?? {}, targets: body.targets, calendarId: body.calendarId, pauseStatuses: body.pauseStatuses ?? null,
          warningPercent: body.warningPercent === undefined ? 80 : body.warningPercent, escalations: body.escalations ?? [], version: 1,
        });
        await uniqueName(() => tx.em.flush(), 'policy');
        await tx.audit({ action: 'sla.policy.created', targetType: 'sla_policy', targetId: row.id, data: { name: row.name } });
        await tx.emit(CONFIG_CHANGED, { policyId: row.id });
        return respond(201, policyView(row), { location: `/api/v1/sla/policies/${row.id}` });
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/policies',
    summary: 'SLA policies in the order they are tried',
    permission: PERMISSIONS.policiesRead,
    schema: { response: { 200: listSchema } },
    async handler({ scope }) {
      const rows = await scope.em.find(SlaPolicy, {}, { orderBy: { position: 'asc', id: 'asc' }, limit: 1000 });
      return { items: rows.map(policyView) };
    },
  }),
  defineRoute<{ id: string }>({
    method: 'get',
    path: '/policies/:id',
    summary: 'One SLA policy',
    permission: PERMISSIONS.policiesRead,
    schema: { params: idParams, response: { 200: policySchema } },
    async handler({ scope, params }) {
      return policyView(await findPolicy(scope.em, params.id));
    },
  }),
  defineRoute<{ id: string }, unknown, PolicyInput>({
    method: 'patch',
    path: '/policies/:id',
    summary: 'Change an SLA policy; open tickets are re-derived',
    permission: PERMISSIONS.policiesWrite,
    schema: { params: idParams, body: { type: 'object', additionalProperties: false, minProperties: 1, properties: policyProperties }, response: { 200: policySchema } },
    async handler({ scope, params, body }) {
      return scope.transactional(async (tx) => {
        const row = await findPolicy(tx.em, params.id);
        await assertValidPolicy(tx.em, body, await ticketCatalog(scope, tx.em), scope.tenantId, row);
        if (body.name !== undefined) row.name = body.name;
        if (body.active !== undefined) row.active = body.active;
        if (body.conditions !== undefined) row.conditions = body.conditions;
        if (body.targets !== undefined) row.targets = body.targets;
        if (body.calendarId !== undefined) row.calendarId = body.calendarId;
        if (body.pauseStatuses !== undefined) row.pauseStatuses = body.pauseStatuses;
        if (body.warningPercent !== undefined) row.warningPercent = body.warningPercent;
        if (body.escalations !== undefined) row.escalations = body.escalations;
        row.version += 1;
        await uniqueName(() => tx.em.flush(), 'policy');
        await tx.audit({ action: 'sla.policy.updated', targetType: 'sla_policy', targetId: row.id, data: { fields: Object.keys(body) } });
        await tx.emit(CONFIG_CHANGED, { policyId: row.id });
        return policyView(row);
      });
    },
  }),
  defineRoute<{ id: string }>({
    method: 'delete',
    path: '/policies/:id',
    summary: 'Delete an SLA policy',
    permission: PERMISSIONS.policiesWrite,
    schema: { params: idParams },
    async handler({ scope, params }) {
      return scope.transactional(async (tx) => {
        const row = await findPolicy(tx.em, params.id);
        tx.em.remove(row);
        await tx.em.flush();
        await tx.audit({ action: 'sla.policy.deleted', targetType: 'sla_policy', targetId: row.id, data: { name: row.name } });
        await tx.emit(CONFIG_CHANGED, { policyId: row.id });
        return respond(204);
      });
    },
  }),
  defineRoute<unknown, unknown, { ids: string[] }>({
    method: 'put',
    path: '/policies/order',
    summary: 'Reorder the policies: `ids` lists every policy, first tried first',
    permission: PERMISSIONS.policiesWrite,
    schema: {
      body: { type: 'object', additionalProperties: false, required: ['ids'], properties: { ids: { type: 'array', items: { type: 'string' }, uniqueItems: true, maxItems: 1000 } } },
      response: { 200: listSchema },
    },
    async handler({ scope, body }) {
      return scope.transactional(async (tx) => {
        const rows = await tx.em.find(SlaPolicy, {}, { orderBy: { position: 'asc' } });
        const known = new Set(rows.map((r) => r.id));
        const unknown = body.ids.map((id, i) => ({ id, i })).filter(({ id }) => !known.has(id));
        const missing = rows.filter((r) => !body.ids.includes(r.id));
        if (unknown.length || missing.length) {
          throw invalidInput('ids must list every policy of this tenant exactly once', [
            ...unknown.map(({ i }) => ({ pointer: `/body/ids/${i}`, message: 'is not a policy of this tenant' })),
            ...missing.map((r) => ({ pointer: '/body/ids', message: `is missing ${r.id}` })),
          ]);
        }
        const byId = new Map(rows.map((r) => [r.id, r]));
        body.ids.forEach((id, i) => {
          const row = byId.get(id)!;
          if (row.position !== i + 1) {
            row.position = i + 1;
            row.version += 1;
          }
        });
        await tx.em.flush();
        await tx.audit({ action: 'sla.policy.reordered', targetType: 'sla_policy', data: { ids: body.ids } });
        await tx.emit(CONFIG_CHANGED, { reordered: true });
        return { items: body.ids.map((id) => policyView(byId.get(id)!)) };
      });
    },
  }),
];
