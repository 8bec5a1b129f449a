import { type RouteDefinition, defineRoute, hasPermission, invalidInput, respond } from '@ticketops/plugin-sdk';
import { type ApprovalRow, decide, decisionsOf, findApproval } from '../approvals/store.ts';
import { PERMISSIONS } from '../permissions.ts';
import { pgArray, sql } from '../sql.ts';
import { idParams } from './rules.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function approvalView(row: ApprovalRow, decisions: Awaited<ReturnType<typeof decisionsOf>>) {
  return {
    id: row.id, ticketId: row.ticket_id, ruleId: row.rule_id, title: row.title, state: row.state, currentStep: row.current_step,
    steps: row.steps.map((s, i) => ({ mode: s.mode, approvers: s.approvers, decisions: decisions.filter((d) => d.approval_id === row.id && d.step === i).map((d) => ({ userId: d.user_id, decision: d.decision, comment: d.comment, at: iso(d.created_at) })) })),
    requestedAt: iso(row.requested_at), decidedAt: iso(row.decided_at),
  };
}

export const approvalRoutes = (): RouteDefinition[] => [
  defineRoute<unknown, { state?: string; mine?: boolean; ticketId?: string }>({
    method: 'get',
    path: '/approvals',
    summary: 'Approval requests, newest first; `mine` (the default for people who cannot read rules) lists those waiting for the signed-in user',
    permission: PERMISSIONS.approvalsRead,
    schema: {
      query: { type: 'object', additionalProperties: false, properties: { state: { enum: ['pending', 'approved', 'rejected'] }, mine: { type: 'boolean' }, ticketId: { type: 'string', maxLength: 100 } } },
    },
    async handler({ scope, query }) {
      const mine = query.mine ?? !hasPermission(scope.actor, PERMISSIONS.rulesRead);
      const where = ['tenant_id = ?'];
      const params: unknown[] = [scope.tenantId];
      if (query.state) {
        where.push('state = ?');
        params.push(query.state);
      }
      if (query.ticketId) {
        where.push('ticket_id = ?');
        params.push(query.ticketId);
      }
      // Waiting for this user: they are among the current step's approvers.
      if (mine) {
        where.push(`state = 'pending' and (steps -> current_step -> 'approvers') @> jsonb_build_array(?::text)`);
        params.push(scope.actor.userId ?? '');
      }
      const rows = await sql<ApprovalRow>(scope.em, `select * from automation_approval where ${where.join(' and ')} order by requested_at desc, id desc limit 200`, params);
      const decisions = await decisionsOf(scope.em, scope.tenantId, rows.map((r) => r.id));
      return { items: rows.map((r) => approvalView(r, decisions)) };
    },
  }),
  defineRoute<{ id: string }>({
    method: 'get',
    path: '/approvals/:id',
    summary: 'One approval request with its steps and decisions',
    permission: PERMISSIONS.approvalsRead,
    schema: { params: idParams },
    async handler({ scope, params }) {
      const row = await findApproval(scope.em, scope.tenantId, params.id);
      return approvalView(row, await decisionsOf(scope.em, scope.tenantId, [row.id]));
    },
  }),
  defineRoute<{ id: string }, unknown, { decision: 'approved' | 'rejected'; comment?: string }>({
    method: 'post',
    path: '/approvals/:id/decision',
    summary: 'Approve or reject the current step (approvers of that step only)',
    permission: PERMISSIONS.approvalsDecide,
    schema: {
      params: idParams,
      body: { type: 'object', additionalProperties: false, required: ['decision'], properties: { decision: { enum: ['approved', 'rejected'] }, comment: { type: 'string', maxLength: 5_000 } } },
    },
    async handler({ scope, params, body }) {
      return scope.transactional(async (tx) => {
        const row = await decide(scope, tx, params.id, body.decision, body.comment ?? null);
        return approvalView(row, await decisionsOf(tx.em, scope.tenantId, [row.id]));
      });
    },
  }),
  defineRoute<{ userId: string }, unknown, { managerId: string | null }>({
    method: 'put',
    path: '/managers/:userId',
    summary: "Set (or clear, with null) a user's manager, who approves steps marked requesterManager",
    permission: PERMISSIONS.rulesWrite,
    schema: {
      params: { type: 'object', required: ['userId'], properties: { userId: { type: 'string', maxLength: 100 } } },
      body: { type: 'object', additionalProperties: false, required: ['managerId'], properties: { managerId: { type: ['string', 'null'], maxLength: 100 } } },
    },
    async handler({ scope, params, body }) {
      return scope.transactional(async (tx) => {
        const wanted = [params.userId, body.managerId].filter((x): x is string => typeof x === 'string');
        const found = new Set((await sql<{ id: string }>(tx.em, 'select id from app_user where tenant_id = ? and id = any(?::text[])', [scope.tenantId, pgArray(wanted)])).map((r) => r.id));
        const details = [];
        if (!found.has(params.userId)) details.push({ pointer: '/params/userId', message: 'is not a user of this tenant' });
        if (body.managerId !== null && !found.has(body.managerId)) details.push({ pointer: '/body/managerId', message: 'is not a user of this tenant' });
        if (body.managerId === params.userId) details.push({ pointer: '/body/managerId', message: 'cannot be the user themselves' });
        if (details.length) throw invalidInput('Unknown user', details);
        if (body.managerId === null) await sql(tx.em, 'delete from automation_manager where tenant_id = ? and user_id = ?', [scope.tenantId, params.userId]);
        else {
          await sql(tx.em, 'insert into automation_manager (user_id, tenant_id, manager_id) values (?, ?, ?) on conflict (user_id) do update set manager_id = excluded.manager_id', [params.userId, scope.tenantId, body.managerId]);
        }
        await tx.audit({ action: 'automation.manager.set', targetType: 'app_user', targetId: params.userId, data: { managerId: body.managerId } });
        return respond(200, { userId: params.userId, managerId: body.managerId });
      });
    },
  }),
];
