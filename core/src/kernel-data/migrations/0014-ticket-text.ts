import type { Migration } from '@ticketops/plugin-sdk';

/**
 * Text plugins add to a ticket's full-text search (the `tickets` service's `indexText`): OCR of an
 * image, text of an email attachment. Searched like comments (tickets/search), one row per source
 * entry, internal rows only for people who may read internal notes.
 */
export const migration: Migration = {
  name: '0014-ticket-text',
  up: [
    `create table ticket_text (
      id text primary key,
      tenant_id text not null references tenant (id) on delete cascade,
      ticket_id text not null references ticket (id) on delete cascade,
      source text not null,
      source_id text not null,
      body text not null,
      internal boolean not null default false,
      created_at timestamptz not null default now(),
      search_vector tsvector generated always as (to_tsvector('english', body)) stored,
      unique (tenant_id, source, source_id)
    )`,
    'create index ticket_text_ticket on ticket_text (ticket_id)',
    'create index ticket_text_recent on ticket_text (tenant_id, id desc)',
    'create index ticket_text_search on ticket_text using gin (search_vector)',
  ],
};
