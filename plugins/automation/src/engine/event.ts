import type { TicketChange, TicketRecord } from '@ticketops/plugin-sdk';

/** What rules see: the event, the ticket right after the change, and the change itself. */
export interface RuleEvent {
  /** Delivered event id (idempotency key); absent in dry runs. */
  id?: string;
  type: string;
  ticket: TicketRecord;
  changes: TicketChange[];
  comment?: { id: string; body: string; internal: boolean; authorId: string | null };
  sla?: { metric?: string; kind?: string };
  /** When the change happened (the delivered event's `occurredAt`); default: now. */
  occurredAt?: string;
  /** `<ruleId>@<eventId>` of every rule change that led here, oldest first. */
  cause: string[];
}

/** Event the plugin emits (from kernel hooks, in the change's own transaction) and then processes after commit. */
export const TICKET_EVENT = 'automation.ticket.event';

export interface TicketEventPayload {
  type: 'ticket.created' | 'ticket.updated' | 'comment.created';
  ticketId: string;
  ticket: TicketRecord;
  changes: TicketChange[];
  comment?: RuleEvent['comment'];
  cause: string[];
}

const MAX_TEXT = 10_000;
const cut = (v: unknown) => (typeof v === 'string' && v.length > MAX_TEXT ? v.slice(0, MAX_TEXT) : v);

/** Events stay small: long texts are cut (a `contains` condition sees the first 10,000 characters). */
export function compactTicket(ticket: TicketRecord): TicketRecord {
  return { ...ticket, description: cut(ticket.description) as string };
}
export const compactChanges = (changes: TicketChange[]): TicketChange[] => changes.map((c) => ({ field: c.field, from: cut(c.from), to: cut(c.to) }));
