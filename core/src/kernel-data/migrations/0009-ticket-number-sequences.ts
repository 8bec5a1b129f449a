import type { Migration } from '@ticketops/plugin-sdk';

/** Ticket numbers now come from a sequence per tenant (tickets/numbers.ts); the counter table goes. */
export const migration: Migration = {
  name: '0009-ticket-number-sequences',
  up: [
    `do $$
     declare r record;
     begin
       for r in select c.tenant_id, c.last_number from ticket_counter c loop
         execute format('create sequence if not exists %I as bigint minvalue 1', 'ticket_number_' || lower(regexp_replace(r.tenant_id, '[^a-zA-Z0-9_]', '_', 'g')));
         if r.last_number > 0 then
           perform setval(format('%I', 'ticket_number_' || lower(regexp_replace(r.tenant_id, '[^a-zA-Z0-9_]', '_', 'g'))), r.last_number);
         end if;
       end loop;
     end $$`,
    `drop table ticket_counter`,
  ],
};
