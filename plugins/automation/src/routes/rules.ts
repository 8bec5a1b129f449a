import { type RouteDefinition, defineRoute, invalidInput, respond } from '@ticketops/plugin-sdk';
import { PERMISSIONS } from '../permissions.ts';
import { ruleChangeBodySchema, ruleBodySchema } from '../model/validate.ts';
import { RULE_KINDS, type RuleDefinition, type RuleInput } from '../model/rule.ts';
import { checkRule } from '../rules/check.ts';
import { addVersion, findRule, findVersion, insertRule, listRules, previousPublished, publishVersion, ruleView, uniqueName, versionView } from '../rules/store.ts';
import { pgArray, sql } from '../sql.ts';

export const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 100 } } };
const versionBody = { type: 'object', additionalProperties: false, properties: { version: { type: 'integer', minimum: 1 } } };

export const ruleRoutes = (): RouteDefinition[] => [
  defineRoute<unknown, unknown, RuleInput>({
    method: 'post',
    path: '/rules',
    summary: 'Create a rule (a first draft version; with "active": true it is published at once)',
    permission: PERMISSIONS.rulesWrite,
    schema: { body: ruleBodySchema },
    async handler({ scope, body }) {
      return scope.transactional(async (tx) => {
        const { definition } = await checkRule(scope, tx.em, body, '/body');
        const row = await insertRule(tx.em, scope.tenantId, { name: body.name, active: body.active, definition, actorId: scope.actor.userId });
        await tx.audit({ action: 'automation.rule.created', targetType: 'automation_rule', targetId: row.id, data: { name: row.name, kind: row.kind, published: row.published_version !== null } });
        return respond(201, ruleView(row, definition), { location: `/api/v1/automation/rules/${row.id}` });
      });
    },
  }),
  defineRoute<unknown, { kind?: string }>({
    method: 'get',
    path: '/rules',
    summary: 'Rules in the order they run (latest version of each)',
    permission: PERMISSIONS.rulesRead,
    schema: { query: { type: 'object', additionalProperties: false, properties: { kind: { type: 'string', enum: [...RULE_KINDS] } } } },
    async handler({ scope, query }) {
      return { items: (await listRules(scope.em, scope.tenantId, query.kind)).map(({ row, definition }) => ruleView(row, definition)) };
    },
  }),
  defineRoute<{ id: string }>({
    method: 'get',
    path: '/rules/:id',
    summary: 'One rule and its latest version',
    permission: PERMISSIONS.rulesRead,
    schema: { params: idParams },
    async handler({ scope, params }) {
      const row = await findRule(scope.em, scope.tenantId, params.id);
      return ruleView(row, (await findVersion(scope.em, scope.tenantId, row.id, row.latest_version)).definition);
    },
  }),
  defineRoute<{ id: string }, unknown, Partial<RuleInput>>({
    method: 'patch',
    path: '/rules/:id',
    summary: 'Rename, enable or disable a rule; any other change makes a new draft version (publish it to take effect)',
    permission: PERMISSIONS.rulesWrite,
    schema: { params: idParams, body: ruleChangeBodySchema },
    async handler({ scope, params, body }) {
      return scope.transactional(async (tx) => {
        let row = await findRule(tx.em, scope.tenantId, params.id, { lock: true });
        const latest = (await findVersion(tx.em, scope.tenantId, row.id, row.latest_version)).definition;
        const { name, active, ...content } = body;
        let definition: RuleDefinition = latest;
        if (Object.keys(content).length) {
          definition = (await checkRule(scope, tx.em, content, '/body', latest)).definition;
          row = await addVersion(tx.em, row, definition, scope.actor.userId);
        } else await checkRule(scope, tx.em, { name: name ?? row.name }, '/body', latest);
        if (active === true && row.published_version === null) throw invalidInput('Publish the rule to activate it', [{ pointer: '/body/active', message: 'the rule has no published version' }]);
        if (name !== undefined || active !== undefined) {
          [row] = (await uniqueName(() => sql(
            tx.em,
            `update automation_rule set name = coalesce(?, name), active = coalesce(?, active), disabled_reason = case when ? then null else disabled_reason end, updated_at = now()
             where tenant_id = ? and id = ? returning *`,
            [name ?? null, active ?? null, active === true, scope.tenantId, row.id],
          ))) as [typeof row];
        }
        await tx.audit({ action: 'automation.rule.updated', targetType: 'automation_rule', targetId: row.id, data: { fields: Object.keys(body), version: row.latest_version } });
        return ruleView(row, definition);
      });
    },
  }),
  defineRoute<{ id: string }>({
    method: 'delete',
    path: '/rules/:id',
    summary: 'Delete a rule, its versions and its runs',
    permission: PERMISSIONS.rulesWrite,
    schema: { params: idParams },
    async handler({ scope, params }) {
      return scope.transactional(async (tx) => {
        const row = await findRule(tx.em, scope.tenantId, params.id, { lock: true });
        await sql(tx.em, 'delete from automation_rule where tenant_id = ? and id = ?', [scope.tenantId, row.id]);
        await tx.audit({ action: 'automation.rule.deleted', targetType: 'automation_rule', targetId: row.id, data: { name: row.name } });
        return respond(204);
      });
    },
  }),
  defineRoute<{ id: string }>({
    method: 'get',
    path: '/rules/:id/versions',
    summary: 'Every version of a rule, newest first (versions never change)',
    permission: PERMISSIONS.rulesRead,
    schema: { params: idParams },
    async handler({ scope, params }) {
      const row = await findRule(scope.em, scope.tenantId, params.id);
      const versions = await sql<Parameters<typeof versionView>[0]>(scope.em, 'select version, definition, created_by, created_at, published_at from automation_rule_version where tenant_id = ? and rule_id = ? order by version desc limit 500', [scope.tenantId, row.id]);
      return { publishedVersion: row.published_version, items: versions.map(versionView) };
    },
  }),
  defineRoute<{ id: string }, unknown, { version?: number }>({
    method: 'post',
    path: '/rules/:id/publish',
    summary: 'Publish a version (default: the latest) and activate the rule',
    permission: PERMISSIONS.rulesWrite,
    schema: { params: idParams, body: versionBody },
    async handler({ scope, params, body }) {
      return scope.transactional(async (tx) => {
        let row = await findRule(tx.em, scope.tenantId, params.id, { lock: true });
        const version = body?.version ?? row.latest_version;
        row = await publishVersion(tx.em, row, version);
        await tx.audit({ action: 'automation.rule.published', targetType: 'automation_rule', targetId: row.id, data: { version } });
        return ruleView(row, (await findVersion(tx.em, scope.tenantId, row.id, row.latest_version)).definition);
      });
    },
  }),
  defineRoute<{ id: string }, unknown, { version?: number }>({
    method: 'post',
    path: '/rules/:id/rollback',
    summary: 'Go back to an earlier published version (default: the one published before the current one)',
    permission: PERMISSIONS.rulesWrite,
    schema: { params: idParams, body: versionBody },
    async handler({ scope, params, body }) {
      return scope.transactional(async (tx) => {
        let row = await findRule(tx.em, scope.tenantId, params.id, { lock: true });
        const from = row.published_version;
        const version = body?.version ?? (await previousPublished(tx.em, row));
        row = await publishVersion(tx.em, row, version);
        await tx.audit({ action: 'automation.rule.rolled_back', targetType: 'automation_rule', targetId: row.id, data: { from, to: version } });
        return ruleView(row, (await findVersion(tx.em, scope.tenantId, row.id, row.latest_version)).definition);
      });
    },
  }),
  defineRoute<unknown, unknown, { ids: string[] }>({
    method: 'put',
    path: '/rules/order',
    summary: 'Reorder the rules: `ids` lists every rule, first runs first',
    permission: PERMISSIONS.rulesWrite,
    schema: { body: { type: 'object', additionalProperties: false, required: ['ids'], properties: { ids: { type: 'array', items: { type: 'string' }, uniqueItems: true, maxItems: 5000 } } } },
    async handler({ scope, body }) {
      return scope.transactional(async (tx) => {
        const rows = await sql<{ id: string }>(tx.em, 'select id from automation_rule where tenant_id = ? for update', [scope.tenantId]);
        const known = new Set(rows.map((r) => r.id));
        const details = body.ids.flatMap((id, i) => (known.has(id) ? [] : [{ pointer: `/body/ids/${i}`, message: 'is not a rule of this tenant' }]));
        for (const r of rows) if (!body.ids.includes(r.id)) details.push({ pointer: '/body/ids', message: `is missing ${r.id}` });
        if (details.length) throw invalidInput('ids must list every rule of this tenant exactly once', details);
        await sql(tx.em, `update automation_rule r set position = o.n, updated_at = now() from unnest(?::text[]) with ordinality as o(id, n) where r.tenant_id = ? and r.id = o.id`, [
          pgArray(body.ids), scope.tenantId,
        ]);
        await tx.audit({ action: 'automation.rule.reordered', targetType: 'automation_rule', data: { ids: body.ids } });
        return { items: (await listRules(tx.em, scope.tenantId)).map(({ row, definition }) => ruleView(row, definition)) };
      });
    },
  }),
];
