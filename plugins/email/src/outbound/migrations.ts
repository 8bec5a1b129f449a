import type { Migration } from '@ticketops/plugin-sdk';

/**
 * Outbound tables. `email_outbox` holds every rendered message until it is delivered (or given
 * up): a redelivered event finds its `dedupe_key` taken and queues nothing. `email_bounce` holds
 * addresses that rejected mail permanently, suppressed until `suppressed_until`.
 */
export const outboundMigrations: Migration[] = [
  {
    name: '0101-outbound-tables',
    up: [
      `create table email_outbox (
        id text primary key,
        tenant_id text not null references tenant (id) on delete cascade,
        dedupe_key text not null,
        kind text not null,
        ticket_id text references ticket (id) on delete set null,
        comment_id text references comment (id) on delete set null,
        recipient_id text references app_user (id) on delete set null,
        to_address text not null,
        message_id text not null,
        envelope jsonb not null,
        state text not null default 'pending' check (state in ('pending', 'sending', 'sent', 'failed', 'bounced', 'suppressed')),
        attempts integer not null default 0,
        locked_until timestamptz,
        last_error text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        sent_at timestamptz,
        unique (tenant_id, dedupe_key)
      )`,
      `create index email_outbox_ticket on email_outbox (ticket_id)`,
      `create index email_outbox_open on email_outbox (updated_at) where state in ('pending', 'sending')`,
      `create index email_outbox_recent_kind on email_outbox (tenant_id, lower(to_address), kind, created_at)`,
      `create table email_bounce (
        tenant_id text not null references tenant (id) on delete cascade,
        address text not null,
        reason text not null,
        bounces integer not null default 1,
        last_bounced_at timestamptz not null default now(),
        suppressed_until timestamptz not null,
        primary key (tenant_id, address)
      )`,
      `create table email_template (
        tenant_id text not null references tenant (id) on delete cascade,
        kind text not null,
        locale text not null,
        subject text not null,
        html text not null,
        text text not null,
        updated_by text references app_user (id) on delete set null,
        updated_at timestamptz not null default now(),
        primary key (tenant_id, kind, locale)
      )`,
      `create table email_preference (
        tenant_id text not null references tenant (id) on delete cascade,
        user_id text not null references app_user (id) on delete cascade,
        locale text,
        disabled text[] not null default '{}',
        updated_at timestamptz not null default now(),
        primary key (tenant_id, user_id)
      )`,
      `create table email_ack_suppressed (
        tenant_id text not null references tenant (id) on delete cascade,
        ticket_id text not null references ticket (id) on delete cascade,
        primary key (tenant_id, ticket_id)
      )`,
    ],
  },
];
