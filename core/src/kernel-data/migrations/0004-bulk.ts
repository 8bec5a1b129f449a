import type { Migration } from '@ticketops/plugin-sdk';

/** Background bulk operations: request, progress and per-ticket results, so any node can report them. */
export const migration: Migration = {
  name: '0004-bulk',
  up: [
    `create table bulk_job (
      id text primary key,
      tenant_id text not null references tenant (id) on delete cascade,
      actor_id text references app_user (id) on delete set null,
      request jsonb not null,
      ticket_ids text[] not null,
      state text not null default 'queued' check (state in ('queued', 'running', 'completed', 'failed')),
      total integer not null,
      done integer not null default 0,
      results jsonb not null default '[]',
      error text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    `create index bulk_job_tenant on bulk_job (tenant_id, created_at desc)`,
  ],
};
