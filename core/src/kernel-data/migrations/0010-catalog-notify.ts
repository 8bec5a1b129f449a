import type { Migration } from '@ticketops/plugin-sdk';

/**
 * Every node caches each tenant's statuses, priorities and ticket types (tickets/catalog.ts). Any
 * change to them, whoever makes it, tells every node through NOTIFY when the change commits.
 */
export const migration: Migration = {
  name: '0010-catalog-notify',
  up: [
    `create or replace function ticketops_catalog_changed() returns trigger language plpgsql as $$
     begin
       perform pg_notify('ticketops_catalog', coalesce(new.tenant_id, old.tenant_id));
       return null;
     end $$`,
    ...['ticket_status', 'ticket_priority', 'ticket_type'].map(
      (table) => `create trigger ${table}_changed after insert or update or delete on ${table} for each row execute function ticketops_catalog_changed()`,
    ),
  ],
};
