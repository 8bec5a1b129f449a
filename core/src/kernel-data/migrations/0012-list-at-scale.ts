import type { Migration } from '@ticketops/plugin-sdk';

/**
 * What a million tickets need for lists to stay index-ordered:
 * - sorting by priority or status used a per-row lookup of the position and sorted every match;
 *   each ticket now carries its priority's and status's position (`priority_rank`, `status_rank`),
 *   kept by triggers when a ticket changes and when a priority or status moves or is renamed;
 * - sorting by creation time had no index.
 */
export const migration: Migration = {
  name: '0012-list-at-scale',
  up: [
    `alter table ticket add column priority_rank integer not null default -1, add column status_rank integer not null default -1`,
    `update ticket t set priority_rank = coalesce(p.position, -1), status_rank = coalesce(s.position, -1)
       from ticket t2
       left join ticket_priority p on p.tenant_id = t2.tenant_id and p.name = t2.priority
       left join ticket_status s on s.tenant_id = t2.tenant_id and s.name = t2.status
      where t2.id = t.id`,
    `create function ticket_ranks() returns trigger language plpgsql as $$
     begin
       new.priority_rank := coalesce((select position from ticket_priority where tenant_id = new.tenant_id and name = new.priority), -1);
       new.status_rank := coalesce((select position from ticket_status where tenant_id = new.tenant_id and name = new.status), -1);
       return new;
     end $$`,
    `create trigger ticket_ranks before insert or update of priority, status on ticket for each row execute function ticket_ranks()`,
    // A priority or status that moves (or is renamed) carries its tickets' stored position along.
    ...(['priority', 'status'] as const).flatMap((kind) => [
      `create function ticket_${kind}_moved() returns trigger language plpgsql as $$
       begin
         update ticket set ${kind}_rank = new.position where tenant_id = new.tenant_id and ${kind} = new.name and ${kind}_rank <> new.position;
         return null;
       end $$`,
      `create trigger ticket_${kind}_moved after insert or update of position, name on ticket_${kind} for each row execute function ticket_${kind}_moved()`,
    ]),
    `create index ticket_created on ticket (tenant_id, created_at desc, id desc) where deleted_at is null`,
    `create index ticket_priority_rank on ticket (tenant_id, priority_rank desc, id desc) where deleted_at is null`,
    `create index ticket_status_rank on ticket (tenant_id, status_rank desc, id desc) where deleted_at is null`,
  ],
};
