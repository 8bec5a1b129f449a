/**
 * Actions → what they would do to a ticket (a plan), then the plan applied through the kernel's
 * `tickets` service. Planning is pure apart from loading macros, so dry runs and macro previews
 * share it with real runs and never write.
 */
import type { TicketChange, TicketPatch, TicketRecord, TicketsService, TransactionContext, Scope } from '@ticketops/plugin-sdk';
import type { Action, RequestApprovalAction } from '../model/actions.ts';
import { requestApproval } from '../approvals/store.ts';
import { withCause } from './cause.ts';
import { render } from './templates.ts';

export interface ActionResult {
  type: string;
  applied: boolean;
  /** Notifications and webhooks in a dry run or preview. */
  wouldSend?: boolean;
  detail?: string;
}

export interface Notification {
  userIds: string[];
  groupIds: string[];
  assignee: boolean;
  requester: boolean;
  subject: string | null;
  body: string;
}

export interface Plan {
  patch: TicketPatch;
  comments: { body: string; internal: boolean }[];
  notifications: Notification[];
  /** Approval requests to open, with the ticket's status before the wait. */
  approvals: { action: RequestApprovalAction; previousStatus: string }[];
  results: ActionResult[];
  /** The ticket as it would be after the patch. */
  next: TicketRecord;
}

export interface PlanDeps {
  /** Active priorities, lowest first. */
  priorities: string[];
  loadMacro(id: string): Promise<Action[] | null>;
  eventType: string;
}

const templateData = (ticket: TicketRecord, eventType: string) => ({
  ticket: { ...ticket, description: ticket.description.slice(0, 10_000) },
  event: { type: eventType },
});

export async function planActions(actions: Action[], ticket: TicketRecord, deps: PlanDeps, plan?: Plan, inMacro = false): Promise<Plan> {
  const p: Plan = plan ?? { patch: {}, comments: [], notifications: [], approvals: [], results: [], next: { ...ticket, tags: [...ticket.tags], customFields: { ...ticket.customFields } } };
  const n = p.next;
  const set = <K extends 'status' | 'priority' | 'type' | 'assigneeId' | 'groupId'>(field: K, value: TicketRecord[K]) => {
    (p.patch as Record<string, unknown>)[field] = value;
    (n as unknown as Record<string, unknown>)[field] = value;
  };
  for (const a of actions) {
    switch (a.type) {
      case 'set_field':
        if (a.field.startsWith('customFields.')) {
          const key = a.field.slice(13);
          p.patch.customFields = { ...p.patch.customFields, [key]: a.value };
          if (a.value === null) delete n.customFields[key];
          else n.customFields[key] = a.value;
        } else set(a.field as 'status' | 'priority' | 'type', a.value as string);
        p.results.push({ type: a.type, applied: true, detail: `${a.field} → ${JSON.stringify(a.value)}` });
        break;
      case 'add_tags':
      case 'remove_tags': {
        const tags = new Set(n.tags);
        for (const tag of a.tags) a.type === 'add_tags' ? tags.add(tag.trim().toLowerCase()) : tags.delete(tag.trim().toLowerCase());
        n.tags = [...tags];
        p.patch.tags = n.tags;
        p.results.push({ type: a.type, applied: true, detail: a.tags.join(', ') });
        break;
      }
      case 'assign':
        if (a.userId !== undefined) set('assigneeId', a.userId);
        if (a.groupId !== undefined) set('groupId', a.groupId);
        p.results.push({ type: a.type, applied: true });
        break;
      case 'raise_priority': {
        const rank = deps.priorities.indexOf(n.priority);
        const to = a.to ?? deps.priorities[rank + 1];
        if (to === undefined || deps.priorities.indexOf(to) <= rank) {
          p.results.push({ type: a.type, applied: false, detail: `already ${n.priority}` });
          break;
        }
        p.results.push({ type: a.type, applied: true, detail: `${n.priority} → ${to}` });
        set('priority', to);
        break;
      }
      case 'add_note':
        p.comments.push({ body: render(a.body, templateData(n, deps.eventType)), internal: a.internal ?? true });
        p.results.push({ type: a.type, applied: true });
        break;
      case 'notify': {
        const data = templateData(n, deps.eventType);
        p.notifications.push({
          userIds: a.userIds ?? [], groupIds: a.groupIds ?? [], assignee: a.assignee ?? false, requester: a.requester ?? false,
          subject: a.subject ? render(a.subject, data) : null, body: render(a.body, data),
        });
        p.results.push({ type: a.type, applied: true, wouldSend: true });
        break;
      }
      case 'webhook':
        p.results.push({ type: a.type, applied: false, detail: 'the integrations plugin is not enabled' });
        break;
      case 'request_approval':
        p.approvals.push({ action: a, previousStatus: n.status });
        if (a.waitStatus) set('status', a.waitStatus);
        p.results.push({ type: a.type, applied: true, detail: `${a.steps.length} step(s)${a.waitStatus ? `, waits in ${a.waitStatus}` : ''}` });
        break;
      case 'apply_macro': {
        const macro = inMacro ? null : await deps.loadMacro(a.macroId);
        if (!macro) {
          p.results.push({ type: a.type, applied: false, detail: inMacro ? 'a macro cannot apply a macro' : 'the macro no longer exists or is not published' });
          break;
        }
        p.results.push({ type: a.type, applied: true, detail: a.macroId });
        await planActions(macro, ticket, deps, p, true);
        break;
      }
    }
  }
  return p;
}

export const NOTIFICATION_EVENT = 'automation.notification.requested';

/**
 * Applies a plan in `tx` as `scope.actor`, the changes carrying `cause`: one ticket update (one
 * `ticket.updated`), then the notes, then the notification requests (delivered after commit).
 */
export async function applyPlan(
  scope: Scope, tx: TransactionContext, tickets: TicketsService, ticketId: string, plan: Plan, cause: string[], meta: { ruleId: string | null; via?: string },
): Promise<{ ticket: TicketRecord | null; changes: TicketChange[] }> {
  return withCause(cause, async () => {
    let ticket: TicketRecord | null = null;
    let changes: TicketChange[] = [];
    if (Object.keys(plan.patch).length) ({ ticket, changes } = await tickets.update(scope, ticketId, plan.patch, { via: meta.via ?? 'automation', tx }));
    for (const c of plan.comments) await tickets.comment(scope, ticketId, { body: c.body, internal: c.internal, channel: 'automation' }, { tx });
    for (const n of plan.notifications) await tx.emit(NOTIFICATION_EVENT, { ticketId, ruleId: meta.ruleId, cause, ...n });
    if (plan.approvals.length) {
      const current = ticket ?? (await tickets.get(scope, ticketId, tx));
      for (const a of plan.approvals) await requestApproval(scope, tx, current, a.action, a.previousStatus, meta.ruleId);
    }
    for (const r of plan.results) {
      if (!r.wouldSend) continue;
      delete r.wouldSend;
      r.detail = 'queued';
    }
    return { ticket, changes };
  });
}
