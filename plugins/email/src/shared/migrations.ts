import type { Migration } from '@ticketops/plugin-sdk';

/**
 * Tables both parts use. `email_message` records every message that became (or came from) a
 * ticket change, keyed by its Message-ID: inbound threads replies through it (a reply's
 * In-Reply-To names a message we sent or received) and ingests a Message-ID once; outbound records
 * the Message-ID it gave each comment. `email_key` holds the per-tenant secret that signs reply
 * address tokens (`support+<token>@…`), made on first use so every process shares it.
 */
export const sharedMigrations: Migration[] = [
  {
    name: '0001-shared-messages',
    up: [
      `create table email_message (
        id text primary key,
        tenant_id text not null references tenant (id) on delete cascade,
        direction text not null check (direction in ('in', 'out')),
        message_id text not null,
        ticket_id text references ticket (id) on delete set null,
        comment_id text references comment (id) on delete set null,
        created_at timestamptz not null default now(),
        unique (tenant_id, message_id)
      )`,
      'create index email_message_ticket on email_message (ticket_id)',
      `create table email_key (
        tenant_id text primary key references tenant (id) on delete cascade,
        key bytea not null,
        created_at timestamptz not null default now()
      )`,
    ],
  },
];
