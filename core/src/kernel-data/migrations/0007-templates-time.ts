import type { Migration } from '@ticketops/plugin-sdk';

/** Ticket templates, work logs and running timers. */
export const migration: Migration = {
  name: '0007-templates-time',
  up: [
    `create table ticket_template (
      id text primary key,
      tenant_id text not null references tenant (id) on delete cascade,
      name text not null,
      description text not null default '',
      fields jsonb not null default '{}',
      visible_to_customers boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (tenant_id, name)
    )`,
    `create table time_entry (
      id text primary key,
      tenant_id text not null references tenant (id) on delete cascade,
      ticket_id text not null references ticket (id) on delete cascade,
      user_id text not null references app_user (id) on delete cascade,
      minutes integer not null check (minutes > 0 and minutes <= 1440),
      work_date date not null,
      activity text not null default 'work',
      billable boolean not null default false,
      note text not null default '',
      created_at timestamptz not null default now()
    )`,
    `create index time_entry_ticket on time_entry (ticket_id)`,
    `create index time_entry_tenant_date on time_entry (tenant_id, work_date)`,
    `create table time_timer (
      tenant_id text not null references tenant (id) on delete cascade,
      user_id text not null references app_user (id) on delete cascade,
      ticket_id text not null references ticket (id) on delete cascade,
      started_at timestamptz not null default now(),
      primary key (user_id, ticket_id)
    )`,
  ],
};
