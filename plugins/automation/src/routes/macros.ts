import { type RouteDefinition, type TicketRecord, type TicketsService, defineRoute, notFound } from '@ticketops/plugin-sdk';
import { applyPlan, planActions } from '../engine/apply.ts';
import { evalContext, loadMacro, planDeps } from '../engine/context.ts';
import { insertRuns } from '../engine/runs.ts';
import { PERMISSIONS } from '../permissions.ts';
import { type RuleRow, liveRules } from '../rules/store.ts';
import { sql } from '../sql.ts';
import { idParams } from './rules.ts';

const FIELDS = ['status', 'priority', 'type', 'assigneeId', 'groupId', 'tags', 'customFields'] as const;

/** What the macro would change, field by field (for the preview). */
function diff(before: TicketRecord, after: TicketRecord) {
  return FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f])).map((field) => ({ field, from: before[field], to: after[field] }));
}

export const macroRoutes = (): RouteDefinition[] => [
  defineRoute({
    method: 'get',
    path: '/macros',
    summary: 'Macros agents may apply (active and published), in order',
    permission: PERMISSIONS.macrosApply,
    async handler({ scope }) {
      const rules = await liveRules(scope.em, scope.tenantId, 'macro');
      return { items: rules.map((r) => ({ id: r.id, name: r.name, version: r.version, description: r.definition.description ?? null, actions: r.definition.actions ?? [] })) };
    },
  }),
  defineRoute<{ id: string }, unknown, { ticketId: string; preview?: boolean }>({
    method: 'post',
    path: '/macros/:id/apply',
    summary: 'Apply a macro to a ticket as the signed-in agent (`preview: true` answers what would change and writes nothing)',
    permission: PERMISSIONS.macrosApply,
    schema: {
      params: idParams,
      body: { type: 'object', additionalProperties: false, required: ['ticketId'], properties: { ticketId: { type: 'string', minLength: 1, maxLength: 100 }, preview: { type: 'boolean' } } },
    },
    async handler({ scope, params, body }) {
      const tickets = scope.resolve<TicketsService>('tickets');
      const actions = await loadMacro(scope, null, params.id);
      if (!actions) throw notFound('Macro');
      const [rule] = await sql<Pick<RuleRow, 'published_version'>>(scope.em, 'select published_version from automation_rule where tenant_id = ? and id = ?', [scope.tenantId, params.id]);
      if (body.preview) {
        const ticket = await tickets.get(scope, body.ticketId);
        const { priorities } = await evalContext(scope, null, tickets);
        const plan = await planActions(actions, ticket, planDeps(scope, null, priorities, 'macro.applied'));
        return { preview: true, ticket: plan.next, changes: diff(ticket, plan.next), actions: plan.results, comments: plan.comments, notifications: plan.notifications };
      }
      return scope.transactional(async (tx) => {
        // Visibility and note permissions are the agent's own: the kernel applies them to `scope.actor`.
        const ticket = await tickets.get(scope, body.ticketId, tx);
        const started = performance.now();
        const { priorities } = await evalContext(scope, tx, tickets);
        const plan = await planActions(actions, ticket, planDeps(scope, tx, priorities, 'macro.applied'));
        const applied = await applyPlan(scope, tx, tickets, ticket.id, plan, [], { ruleId: params.id, via: 'macro' });
        await insertRuns(tx.em, scope.tenantId, [{
          ruleId: params.id, ruleVersion: rule?.published_version ?? 0, eventId: null, eventType: 'macro.applied', ticketId: ticket.id, outcome: 'matched',
          wallMs: performance.now() - started, cpuMs: 0, trace: [], proposed: actions, applied: plan.results, logs: [], error: null, cause: [],
        }]);
        return { preview: false, ticket: applied.ticket ?? ticket, changes: applied.changes, actions: plan.results, comments: plan.comments.length };
      });
    },
  }),
];
