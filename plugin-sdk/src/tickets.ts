import type { CommentRecord, TicketChange, TicketRecord } from './hooks.ts';
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

/** A new ticket, as `POST /api/v1/tickets` takes it (the kernel's create rules and hooks apply). */
export interface TicketCreateInput {
  title: string;
  description?: string;
  status?: string;
  priority?: string;
  type?: string | null;
  tags?: string[];
  customFields?: Record<string, unknown>;
  /** A user id, or `{ email, name }` (an existing user with that email, else a new customer). Default: `scope.actor`. */
  requester?: string | { email: string; name?: string };
  assigneeId?: string | null;
  groupId?: string | null;
  organizationId?: string | null;
  /** Where it came from: `email`, `web`, `api`, … (shown in the ticket and its history). */
  channel?: string;
}

export interface CommentInput {
  /** Markdown. */
  body: string;
  /** An internal note (never shown to customers); needs an actor allowed to write notes. */
  internal?: boolean;
  channel?: string;
}

/** Text a plugin adds to a ticket's full-text search (OCR of an image, an email's attachment text…). */
export interface SearchTextEntry {
  ticketId: string;
  /** What kind of thing the text comes from (`attachment`, `email`); with `sourceId` it names the entry. */
  source: string;
  sourceId: string;
  text: string;
  /** Found only by people who may read internal notes (the text belongs to one). */
  internal: boolean;
}

export interface PersonRecord {
  id: string;
  role: string;
  organizationId: string | null;
  /** True when this call created the customer. */
  created: boolean;
}

/**
 * The kernel's `tickets` service (`resolve<TicketsService>('tickets')`): changes a ticket through
 * the kernel's own update path — validation, hooks, history, `ticket.updated` — as `scope.actor`.
 */
export interface TicketsService {
  update(scope: Scope, id: string, patch: TicketPatch, options: TicketUpdateOptions): Promise<{ ticket: TicketRecord; changes: TicketChange[] }>;
  /** The tenant's active priorities, lowest first (by their configured position). */
  priorities(scope: Scope, tx?: TransactionContext): Promise<string[]>;
  /** A ticket `scope.actor` may see (404 otherwise, also for another tenant's id). */
  get(scope: Scope, id: string, tx?: TransactionContext): Promise<TicketRecord>;
  /** The id of the tenant's ticket with that human number, or null. */
  idByNumber(scope: Scope, number: number, tx?: TransactionContext): Promise<string | null>;
  /** Creates a ticket as `scope.actor` (use `forUser` to act as a customer), recorded with `via`. */
  create(scope: Scope, input: TicketCreateInput, options: TicketUpdateOptions): Promise<TicketRecord>;
  /** Adds a public reply or internal note by `scope.actor`; `comment.created` and mentions follow as from the API. */
  comment(scope: Scope, ticketId: string, input: CommentInput, options: { tx?: TransactionContext }): Promise<CommentRecord>;
  /**
   * The tenant's user with this email (case-insensitive), or null; with `create`, a new customer
   * (placed in the organization owning the email's domain) instead of null.
   */
  person(scope: Scope, email: string, options: { create?: { name?: string }; tx?: TransactionContext }): Promise<PersonRecord | null>;
  /** Adds or replaces (same source and sourceId) text the ticket is found by in full-text search. */
  indexText(scope: Scope, entry: SearchTextEntry, options?: { tx?: TransactionContext }): Promise<void>;
  /** Removes what `indexText` added for this source entry. */
  removeText(scope: Scope, entry: { source: string; sourceId: string }, options?: { tx?: TransactionContext }): Promise<void>;
}
