import type { EntityManager } from '@mikro-orm/sql';
import type { Scope } from '@ticketops/plugin-sdk';

/** The part of the kernel's `ticketCatalog` service the plugin uses: a tenant's active statuses, priorities and types. */
export interface TicketCatalogView {
  statuses: Map<string, string>;
  priorities: Set<string>;
  types: Map<string, unknown>;
}

export function ticketCatalog(scope: Scope, em: EntityManager = scope.em): Promise<TicketCatalogView> {
  return scope.resolve<{ snapshot(em: EntityManager, tenantId: string): Promise<TicketCatalogView> }>('ticketCatalog').snapshot(em, scope.tenantId);
}

/** Statuses whose category pauses the clock when a policy names no statuses of its own. */
export const DEFAULT_PAUSE_CATEGORIES = ['pending', 'on-hold'];
