import type { Migration } from '@ticketops/plugin-sdk';

/** Saved ticket views: a name, a filter and a sort; personal (owner set) or shared (owner null). */
export const migration: Migration = {
  name: '0006-views',
  up: [
    `create table ticket_view (
      id text primary key,
      tenant_id text not null references tenant (id) on delete cascade,
      owner_id text references app_user (id) on delete cascade,
      name text not null,
      filter jsonb not null default '{}',
      sort text not null default '-updated',
      position integer not null default 0,
      created_at timestamptz not null default now()
    )`,
    `create index ticket_view_tenant on ticket_view (tenant_id, owner_id)`,
  ],
};
