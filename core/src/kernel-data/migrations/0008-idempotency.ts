import type { Migration } from '@ticketops/plugin-sdk';

/** Stored responses of POST requests sent with an Idempotency-Key, replayed on retries. */
export const migration: Migration = {
  name: '0008-idempotency',
  up: [
    `create table idempotency_key (
      tenant_id text not null references tenant (id) on delete cascade,
      principal text not null,
      key text not null,
      request_hash text not null,
      status integer,
      headers jsonb,
      body jsonb,
      created_at timestamptz not null default now(),
      primary key (tenant_id, principal, key)
    )`,
    `create index idempotency_key_created on idempotency_key (created_at)`,
  ],
};
