import { type RouteDefinition, defineRoute, invalidInput, respond } from '@ticketops/plugin-sdk';
import { PERMISSIONS } from '../permissions.ts';
import { checkRule } from '../rules/check.ts';
import { insertRule, listRules, ruleView } from '../rules/store.ts';
import { sql } from '../sql.ts';
import type { RuleDefinition } from '../model/rule.ts';

export const EXPORT_FORMAT = 'ticketops.automation/v1';
const MAX_IMPORT = 500;

/** Moves rules between systems (staging → production) as JSON: what is live, or the latest draft of a rule never published. */
export const transferRoutes = (): RouteDefinition[] => [
  defineRoute({
    method: 'get',
    path: '/export',
    summary: 'Every rule as JSON, in order (published version, or the latest draft of unpublished rules)',
    permission: PERMISSIONS.rulesRead,
    async handler({ scope }) {
      const rows = await listRules(scope.em, scope.tenantId);
      const published = await sql<{ rule_id: string; definition: RuleDefinition }>(
        scope.em,
        `select v.rule_id, v.definition from automation_rule r join automation_rule_version v on v.rule_id = r.id and v.version = r.published_version where r.tenant_id = ?`,
        [scope.tenantId],
      );
      const live = new Map(published.map((p) => [p.rule_id, p.definition]));
      return {
        format: EXPORT_FORMAT,
        exportedAt: new Date().toISOString(),
        rules: rows.map(({ row, definition }) => ({ name: row.name, active: row.active && row.published_version !== null, ...(live.get(row.id) ?? definition) })),
      };
    },
  }),
  defineRoute<unknown, unknown, { format?: string; rules: unknown[] }>({
    method: 'post',
    path: '/import',
    summary: 'Create rules from an export, all or none (each checked like a new rule; names must be free)',
    permission: PERMISSIONS.rulesWrite,
    schema: {
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['rules'],
        properties: { format: { const: EXPORT_FORMAT }, exportedAt: { type: 'string' }, rules: { type: 'array', minItems: 1, maxItems: MAX_IMPORT, items: { type: 'object' } } },
      },
    },
    async handler({ scope, body }) {
      return scope.transactional(async (tx) => {
        const names = new Map<string, number>();
        const created = [];
        for (const [i, raw] of body.rules.entries()) {
          const prefix = `/body/rules/${i}`;
          const { input, definition } = await checkRule(scope, tx.em, raw, prefix);
          const key = String(input.name).toLowerCase();
          if (names.has(key)) throw invalidInput('Two imported rules have the same name', [{ pointer: `${prefix}/name`, message: `repeats /body/rules/${names.get(key)}/name` }]);
          names.set(key, i);
          const row = await insertRule(tx.em, scope.tenantId, { name: input.name as string, active: input.active, definition, actorId: scope.actor.userId, pointer: `${prefix}/name` });
          created.push(ruleView(row, definition));
        }
        await tx.audit({ action: 'automation.rules.imported', targetType: 'automation_rule', data: { count: created.length, ids: created.map((r) => r.id) } });
        return respond(201, { items: created });
      });
    },
  }),
];
