/**
 * Multi-step approvals: steps in order, each approved by any or all of its approvers (users, group
 * members, the requester's manager — resolved when the step is reached); one rejection ends the
 * request. The ticket waits in a status until the decision, then moves on; every decision is audited
 * and emitted as an event.
 */
import { type Scope, TicketOpsError, type TicketRecord, type TicketsService, type TransactionContext, forbidden, notFound } from '@ticketops/plugin-sdk';
import { newId } from '../ids.ts';
import type { ApprovalStepSpec, RequestApprovalAction } from '../model/actions.ts';
import { pgArray, sql } from '../sql.ts';

export const APPROVAL_REQUESTED = 'automation.approval.requested';
export const APPROVAL_DECIDED = 'automation.approval.decided';

export interface ApprovalStep extends ApprovalStepSpec {
  /** Resolved when the step is reached. */
  approvers: string[];
}

export interface ApprovalRow {
  id: string;
  ticket_id: string;
  rule_id: string | null;
  title: string;
  state: 'pending' | 'approved' | 'rejected';
  steps: ApprovalStep[];
  current_step: number;
  approved_status: string | null;
  rejected_status: string | null;
  previous_status: string | null;
  requested_at: Date;
  decided_at: Date | null;
}

async function approversOf(tx: TransactionContext, tenantId: string, step: ApprovalStepSpec, requesterId: string | null): Promise<string[]> {
  const rows = await sql<{ id: string }>(
    tx.em,
    `select u.id from app_user u where u.tenant_id = ? and u.active and (
       u.id = any(?::text[])
       or u.id in (select m.user_id from group_member m where m.tenant_id = ? and m.group_id = any(?::text[]))
       or (? and u.id in (select manager_id from automation_manager where tenant_id = ? and user_id = ?)))
     order by u.id`,
    [tenantId, pgArray(step.userIds ?? []), tenantId, pgArray(step.groupIds ?? []), step.requesterManager === true, tenantId, requesterId ?? ''],
  );
  return rows.map((r) => r.id);
}

async function resolveStep(tx: TransactionContext, tenantId: string, steps: ApprovalStep[], index: number, requesterId: string | null): Promise<void> {
  const step = steps[index] as ApprovalStep;
  step.approvers = await approversOf(tx, tenantId, step, requesterId);
  if (!step.approvers.length) throw new TicketOpsError('invalid_input', `Approval step ${index + 1} has no active approver (empty groups, or the requester has no manager)`, { details: [{ pointer: `/steps/${index}`, message: 'has no approver' }] });
}

/** Opens an approval request for a ticket (inside the rule's transaction). The wait status was set by the plan. */
export async function requestApproval(scope: Scope, tx: TransactionContext, ticket: TicketRecord, action: RequestApprovalAction, previousStatus: string, ruleId: string | null): Promise<string> {
  const steps: ApprovalStep[] = action.steps.map((s) => ({ ...s, approvers: [] }));
  await resolveStep(tx, scope.tenantId, steps, 0, ticket.requesterId);
  const id = newId('apr');
  await sql(
    tx.em,
    `insert into automation_approval (id, tenant_id, ticket_id, rule_id, title, state, steps, approved_status, rejected_status, previous_status)
     values (?, ?, ?, ?, ?, 'pending', ?::jsonb, ?, ?, ?)`,
    [id, scope.tenantId, ticket.id, ruleId, action.title ?? `Approval for #${ticket.number}`, JSON.stringify(steps), action.approvedStatus ?? null, action.rejectedStatus ?? null, previousStatus],
  );
  await tx.emit(APPROVAL_REQUESTED, { approvalId: id, ticketId: ticket.id, step: 0, approverIds: steps[0]!.approvers });
  return id;
}

export async function findApproval(em: Scope['em'], tenantId: string, id: string, lock = false): Promise<ApprovalRow> {
  const [row] = await sql<ApprovalRow>(em, `select * from automation_approval where tenant_id = ? and id = ?${lock ? ' for update' : ''}`, [tenantId, id]);
  if (!row) throw notFound('Approval');
  return row;
}

export async function decisionsOf(em: Scope['em'], tenantId: string, ids: string[]) {
  if (!ids.length) return [];
  return sql<{ approval_id: string; step: number; user_id: string; decision: string; comment: string | null; created_at: Date }>(
    em, 'select * from automation_approval_decision where tenant_id = ? and approval_id = any(?::text[]) order by created_at', [tenantId, pgArray(ids)],
  );
}

/** Records the actor's decision on the current step and moves the request (and the ticket's status) on. */
export async function decide(scope: Scope, tx: TransactionContext, id: string, decision: 'approved' | 'rejected', comment: string | null): Promise<ApprovalRow> {
  const userId = scope.actor.userId;
  const row = await findApproval(tx.em, scope.tenantId, id, true);
  if (row.state !== 'pending') throw new TicketOpsError('conflict', `This approval was already ${row.state}`);
  const step = row.steps[row.current_step] as ApprovalStep;
  if (!userId || !step.approvers.includes(userId)) throw forbidden('You are not an approver of the current step');
  const inserted = await sql(
    tx.em,
    `insert into automation_approval_decision (approval_id, tenant_id, step, user_id, decision, comment) values (?, ?, ?, ?, ?, ?) on conflict do nothing returning user_id`,
    [id, scope.tenantId, row.current_step, userId, decision, comment],
  );
  if (!inserted.length) throw new TicketOpsError('conflict', 'You already decided on this step');
  const approvedBy = new Set((await sql<{ user_id: string }>(tx.em, `select user_id from automation_approval_decision where approval_id = ? and step = ? and decision = 'approved'`, [id, row.current_step])).map((r) => r.user_id));
  let state: ApprovalRow['state'] = 'pending';
  let next = row.current_step;
  if (decision === 'rejected') state = 'rejected';
  else if (step.mode === 'any' || step.approvers.every((a) => approvedBy.has(a))) {
    if (row.current_step + 1 >= row.steps.length) state = 'approved';
    else {
      next = row.current_step + 1;
      const ticket = await scope.resolve<TicketsService>('tickets').get(scope, row.ticket_id, tx);
      await resolveStep(tx, scope.tenantId, row.steps, next, ticket.requesterId);
    }
  }
  const [updated] = await sql<ApprovalRow>(
    tx.em,
    `update automation_approval set state = ?, current_step = ?, steps = ?::jsonb, decided_at = case when ? <> 'pending' then now() else null end where tenant_id = ? and id = ? returning *`,
    [state, next, JSON.stringify(row.steps), state, scope.tenantId, id],
  );
  if (state !== 'pending') {
    const status = state === 'approved' ? (row.approved_status ?? row.previous_status) : (row.rejected_status ?? row.previous_status);
    if (status) await scope.resolve<TicketsService>('tickets').update(scope, row.ticket_id, { status }, { via: 'approval', tx });
  } else if (next !== row.current_step) {
    await tx.emit(APPROVAL_REQUESTED, { approvalId: id, ticketId: row.ticket_id, step: next, approverIds: row.steps[next]!.approvers });
  }
  await tx.audit({ action: 'automation.approval.decided', targetType: 'automation_approval', targetId: id, data: { ticketId: row.ticket_id, step: row.current_step, decision, state } });
  await tx.emit(APPROVAL_DECIDED, { approvalId: id, ticketId: row.ticket_id, step: row.current_step, decision, state, userId });
  return updated as ApprovalRow;
}
