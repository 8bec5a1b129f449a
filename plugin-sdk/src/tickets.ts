import type { TicketChange, TicketRecord } from './hooks.ts';
import type { Scope, TransactionContext } from './scope.ts';

/** The fields a plugin may change on a ticket (the kernel's update rules and hooks apply). */
export interface TicketPatch {
  status?: string;
  priority?: string;
  type?: string | null;
  assigneeId?: string | null;
  groupId?: string | null;
  organizationId?: string | null;
  tags?: string[];
  customFields?: Record<string, unknown>;
}

export interface TicketUpdateOptions {
  /** Recorded in the ticket history as `via` (e.g. `sla`), so it shows which plugin changed the ticket. */
  via: string;
  /** Run inside this transaction (the change commits or rolls back with the caller's work). */
  tx?: TransactionContext;
}

/**
 * The kernel's `tickets` service (`resolve<TicketsService>('tickets')`): changes a ticket through
 * the kernel's own update path — validation, hooks, history, `ticket.updated` — as `scope.actor`.
 */
export interface TicketsService {
  update(scope: Scope, id: string, patch: TicketPatch, options: TicketUpdateOptions): Promise<{ ticket: TicketRecord; changes: TicketChange[] }>;
  /** The tenant's active priorities, lowest first (by their configured position). */
  priorities(scope: Scope, tx?: TransactionContext): Promise<string[]>;
}
