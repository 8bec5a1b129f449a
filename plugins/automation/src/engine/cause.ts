/**
 * Loop protection needs every rule-made change to carry its cause chain into the next event. The
 * engine applies actions inside `withCause`; the plugin's taps on the kernel's after-hooks (same
 * call, same transaction) read the chain and put it, with the full change (from/to values) and the
 * ticket snapshot, into the event they emit. A change nobody's rule made carries an empty chain.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { type KernelHooks, STAGE } from '@ticketops/plugin-sdk';
import { TICKET_EVENT, type TicketEventPayload, compactChanges, compactTicket } from './event.ts';

const causeStore = new AsyncLocalStorage<readonly string[]>();

export function withCause<R>(cause: readonly string[], work: () => Promise<R>): Promise<R> {
  return causeStore.run(cause, work);
}

export const currentCause = (): string[] => [...(causeStore.getStore() ?? [])];

export function tapTicketEvents(hooks: KernelHooks, pluginId: string): void {
  const tap = { name: pluginId, stage: STAGE.AUDIT };
  hooks.ticket.afterCreate.tapPromise(tap, async (ticket, ctx) => {
    const payload: TicketEventPayload = { type: 'ticket.created', ticketId: ticket.id, ticket: compactTicket(ticket), changes: [], cause: currentCause() };
    await ctx.emit(TICKET_EVENT, payload as unknown as Record<string, unknown>);
  });
  hooks.ticket.afterUpdate.tapPromise(tap, async ({ ticket, changes }, ctx) => {
    const payload: TicketEventPayload = { type: 'ticket.updated', ticketId: ticket.id, ticket: compactTicket(ticket), changes: compactChanges(changes), cause: currentCause() };
    await ctx.emit(TICKET_EVENT, payload as unknown as Record<string, unknown>);
  });
  hooks.comment.afterCreate.tapPromise(tap, async (comment, ctx) => {
    const body = comment.body.length > 10_000 ? comment.body.slice(0, 10_000) : comment.body;
    const payload = {
      type: 'comment.created', ticketId: comment.ticketId, changes: [], cause: currentCause(),
      comment: { id: comment.id, body, internal: comment.internal, authorId: comment.authorId },
    };
    await ctx.emit(TICKET_EVENT, payload);
  });
}
