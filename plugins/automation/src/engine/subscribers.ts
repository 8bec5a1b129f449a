import type { PluginRegistrar, Scope, TicketsService } from '@ticketops/plugin-sdk';
import { isTicketOpsError } from '@ticketops/plugin-sdk';
import type { AutomationConfig } from '../config.ts';
import { sandboxOf } from '../rules/check.ts';
import { TICKET_EVENT, type TicketEventPayload } from './event.ts';
import { type EngineDeps, processEvent } from './triggers.ts';

export function engineDeps(scope: Scope, config: AutomationConfig): EngineDeps {
  return {
    tickets: scope.resolve<TicketsService>('tickets'),
    sandbox: () => sandboxOf(scope),
    quarantine: { after: config.quarantineAfter, windowMinutes: config.quarantineWindowMinutes },
  };
}

/** A ticket deleted before its event was processed: nothing to do (not a failure to retry). */
async function unlessGone(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (isTicketOpsError(error) && error.code === 'not_found') return;
    throw error;
  }
}

/** Triggers run after commit, at least once, idempotent by event id (see `processEvent`). */
export function subscribeTriggers(r: PluginRegistrar<AutomationConfig>): void {
  r.subscribe<TicketEventPayload>(TICKET_EVENT, { id: 'ticket-events' }, async (event, scope) => {
    const p = event.payload;
    const deps = engineDeps(scope, r.config);
    const base = { id: event.id, type: p.type, occurredAt: event.occurredAt, changes: p.changes ?? [], comment: p.comment, cause: Array.isArray(p.cause) ? p.cause : [] };
    await unlessGone(() =>
      p.ticket
        ? processEvent(scope, { ...base, ticket: p.ticket }, deps)
        : processEvent(scope, { ...base, ticket: { id: p.ticketId } as TicketEventPayload['ticket'] }, deps, (tx) => deps.tickets.get(scope, p.ticketId, tx)),
    );
  });
  for (const name of ['sla.warning', 'sla.breached'] as const) {
    r.subscribe<{ ticketId: string; metric?: string }>(name, { id: name.replace('.', '-') }, async (event, scope) => {
      const deps = engineDeps(scope, r.config);
      const ticketId = event.payload.ticketId;
      await unlessGone(() =>
        processEvent(scope, { id: event.id, type: name, occurredAt: event.occurredAt, ticket: { id: ticketId } as TicketEventPayload['ticket'], changes: [], sla: { metric: event.payload.metric, kind: name.slice(4) }, cause: [] }, deps, (tx) => deps.tickets.get(scope, ticketId, tx)),
      );
    });
  }
}
