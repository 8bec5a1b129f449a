/**
 * `ticketops-rules.d.ts`: the whole script API for the console's editor — the event a script
 * receives, the actions it may return (the same schema the host checks) and `ctx` with the
 * capabilities registered in this installation. `types/ticketops-rules.d.ts` is this output for
 * the kernel's own capabilities; `GET /api/v1/automation/script-api.d.ts` adds the plugins' ones.
 */
import type { SandboxCapability } from '@ticketops/plugin-sdk';
import { FIELDS, TRIGGER_EVENTS } from '../model/fields.ts';

type Capability = Omit<SandboxCapability, 'handler'>;

const HEADER = `// ticketops-rules.d.ts — the automation script API (generated; do not edit).
// A script is an ES module whose default export is a pure function of the event that returns actions as data:
//   export default (event: RuleEvent, ctx: RuleContext): Action[] | Promise<Action[]> => [...]
// The host checks the returned actions against the action schema; one invalid action and nothing is applied.

export type TicketStatusCategory = 'new' | 'open' | 'pending' | 'on-hold' | 'solved' | 'closed';

/** A read-only snapshot of the ticket right after the change. */
export interface TicketRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly number: number;
  readonly title: string;
  /** Cut to its first 10,000 characters. */
  readonly description: string;
  readonly status: string;
  readonly statusCategory: TicketStatusCategory;
  readonly priority: string;
  readonly type: string | null;
  readonly requesterId: string | null;
  readonly organizationId: string | null;
  readonly assigneeId: string | null;
  readonly groupId: string | null;
  readonly tags: readonly string[];
  readonly channel: string;
  readonly customFields: Readonly<Record<string, unknown>>;
  readonly mergedIntoId: string | null;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly firstResponseAt: string | null;
  readonly solvedAt: string | null;
  readonly closedAt: string | null;
}

export interface TicketChange {
  readonly field: 'title' | 'description' | 'status' | 'priority' | 'type' | 'requesterId' | 'organizationId' | 'assigneeId' | 'groupId' | 'tags' | 'customFields';
  readonly from: unknown;
  readonly to: unknown;
}
`;

const ACTIONS = `
/** Set a ticket field (status, priority, type, or customFields.<key>; null removes a custom field). */
export interface SetFieldAction { type: 'set_field'; field: 'status' | 'priority' | 'type' | \`customFields.\${string}\`; value: unknown }
export interface AddTagsAction { type: 'add_tags'; tags: string[] }
export interface RemoveTagsAction { type: 'remove_tags'; tags: string[] }
/** Assign to a user and/or a group of this tenant (null unassigns). */
export interface AssignAction { type: 'assign'; userId?: string | null; groupId?: string | null }
/** An internal note (default) or, with internal: false, a public reply; the body is a Handlebars template over { ticket, event }. */
export interface AddNoteAction { type: 'add_note'; body: string; internal?: boolean }
/** One step up the tenant's priorities, or up to \`to\` (never down). */
export interface RaisePriorityAction { type: 'raise_priority'; to?: string }
export interface NotifyAction { type: 'notify'; body: string; subject?: string; userIds?: string[]; groupIds?: string[]; assignee?: boolean; requester?: boolean }
/** Needs the integrations plugin. */
export interface WebhookAction { type: 'webhook'; integrationId: string; payload?: Record<string, unknown> }
export interface ApplyMacroAction { type: 'apply_macro'; macroId: string }
/** Steps in order, each approved by any or all of its approvers; the ticket waits in waitStatus until decided. */
export interface RequestApprovalAction {
  type: 'request_approval';
  title?: string;
  steps: { mode: 'any' | 'all'; userIds?: string[]; groupIds?: string[]; requesterManager?: boolean }[];
  waitStatus?: string;
  approvedStatus?: string;
  rejectedStatus?: string;
}

export type Action =
  | SetFieldAction | AddTagsAction | RemoveTagsAction | AssignAction | AddNoteAction
  | RaisePriorityAction | NotifyAction | WebhookAction | ApplyMacroAction | RequestApprovalAction;
`;

/** Capabilities grouped by namespace: `tickets.get` → `ctx.tickets.get`. */
function capabilityTypes(capabilities: readonly Capability[]): string {
  const byNamespace = new Map<string, Capability[]>();
  for (const c of [...capabilities].sort((a, b) => a.name.localeCompare(b.name))) {
    const [ns] = c.name.split('.');
    byNamespace.set(ns as string, [...(byNamespace.get(ns as string) ?? []), c]);
  }
  return [...byNamespace.entries()]
    .map(([ns, list]) => `  /** Only when granted to the rule (\`capabilities\`). */\n  readonly ${ns}?: {\n${list.map((c) => `    /** ${c.description.replace(/\*\//g, '* /')} */\n    ${c.name.slice(ns.length + 1)}: ${c.signature};`).join('\n')}\n  };`)
    .join('\n');
}

export function rulesDeclarations(capabilities: readonly Capability[]): string {
  const events = TRIGGER_EVENTS.map((e) => `'${e}'`).join(' | ');
  return `${HEADER}
export interface RuleEvent {
  readonly type: ${events} | 'automation.scan' | 'scheduled';
  readonly ticket: TicketRecord;
  /** What changed (ticket.updated); empty otherwise. */
  readonly changes: readonly TicketChange[];
  /** The comment of comment.created. */
  readonly comment: { readonly id: string; readonly body: string; readonly internal: boolean; readonly authorId: string | null } | null;
  /** The SLA alert of sla.warning / sla.breached. */
  readonly sla: { readonly metric?: string; readonly kind?: string } | null;
}
${ACTIONS}
export interface RuleContext {
  /** A line in the run's log (lines and total length are capped). */
  log(...values: unknown[]): void;
  /** The current time, ISO 8601. */
  now(): string;
${capabilityTypes(capabilities)}
}

/** Fields declarative conditions may test (for reference): ${Object.keys(FIELDS).join(', ')}, customFields.<key>. */
export type RuleScript = (event: RuleEvent, ctx: RuleContext) => Action[] | Promise<Action[]>;
`;
}

/** The kernel's own capabilities, as the static file describes them. */
export const KERNEL_CAPABILITIES: Capability[] = [
  { name: 'tickets.get', description: "A ticket of the run's tenant as a JSON record (read-only).", signature: '(id: string) => Promise<TicketRecord>' },
  { name: 'users.get', description: "A user of the run's tenant: id, name, email and role (nothing secret).", signature: '(id: string) => Promise<{ id: string; name: string; email: string; role: string }>' },
];
