import type { Migration } from '@ticketops/plugin-sdk';

/** Who is viewing or replying to a ticket, refreshed by heartbeats; expired rows mean gone. */
export const migration: Migration = {
  name: '0005-realtime',
  up: [
    `create table ticket_presence (
      tenant_id text not null references tenant (id) on delete cascade,
      ticket_id text not null references ticket (id) on delete cascade,
      user_id text not null references app_user (id) on delete cascade,
      state text not null check (state in ('viewing', 'replying')),
      expires_at timestamptz not null,
      primary key (ticket_id, user_id)
    )`,
    `create index ticket_presence_expiry on ticket_presence (expires_at)`,
  ],
};
