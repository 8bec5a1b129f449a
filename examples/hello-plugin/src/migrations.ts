import type { Migration } from '@ticketops/plugin-sdk';

export const migrations: Migration[] = [
  {
    name: '0001-greetings',
    up: [
      `create table hello_greeting (
        id text primary key,
        tenant_id text not null references tenant (id) on delete cascade,
        user_id text references app_user (id) on delete set null,
        message text not null,
        source_event_id text unique,
        created_at timestamptz not null default now()
      )`,
      `create index hello_greeting_tenant on hello_greeting (tenant_id, created_at)`,
    ],
  },
];
