import type { Migration } from '@ticketops/plugin-sdk';

/**
 * Inbound tables. `email_inbound` holds what each ingested mail left besides its ticket change:
 * why it threaded where it did, the loop/noise verdict (so outbound skips notifications), the
 * authentication verdict, the full text before quote stripping and the raw source. It shares the
 * Message-ID key with `email_message` (written in the same transaction). `email_quarantine` keeps
 * mail that was not ingested (MIME bombs, oversize, rate limit, rejected senders) for an admin.
 */
export const inboundMigrations: Migration[] = [
  {
    name: '0201-inbound-messages',
    up: [
      `create table email_mailbox (
        id text primary key,
        tenant_id text not null references tenant (id) on delete cascade,
        name text not null,
        address text not null,
        host text not null,
        port integer not null,
        secure boolean not null default true,
        username text not null,
        password text not null,
        folder text not null default 'INBOX',
        move_to text,
        active boolean not null default true,
        uid_validity bigint,
        last_uid bigint not null default 0,
        lease_owner text,
        lease_until timestamptz,
        last_error text,
        last_polled_at timestamptz,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`,
      'create unique index email_mailbox_address on email_mailbox (lower(address))',
      `create table email_inbound (
        id text primary key,
        tenant_id text not null references tenant (id) on delete cascade,
        message_id text not null,
        source text not null,
        mailbox_id text references email_mailbox (id) on delete set null,
        kind text not null check (kind in ('ticket', 'comment', 'bounce', 'ignored')),
        ticket_id text references ticket (id) on delete set null,
        comment_id text references comment (id) on delete set null,
        sender text,
        subject text,
        thread jsonb not null,
        auto jsonb,
        auth jsonb,
        full_text text,
        attachments jsonb,
        raw bytea,
        created_at timestamptz not null default now(),
        unique (tenant_id, message_id)
      )`,
      'create index email_inbound_ticket on email_inbound (tenant_id, ticket_id)',
      `create table email_quarantine (
        id text primary key,
        tenant_id text not null references tenant (id) on delete cascade,
        dedup_key text not null,
        message_id text,
        source text not null,
        mailbox_id text references email_mailbox (id) on delete set null,
        sender text,
        reason text not null,
        detail jsonb not null default '{}',
        size bigint not null,
        raw bytea,
        created_at timestamptz not null default now(),
        unique (tenant_id, dedup_key)
      )`,
      'create index email_quarantine_recent on email_quarantine (tenant_id, created_at desc)',
      `create table email_sender_rate (
        tenant_id text not null references tenant (id) on delete cascade,
        address text not null,
        window_start timestamptz not null,
        count integer not null,
        primary key (tenant_id, address, window_start)
      )`,
    ],
  },
  {
    // What an admin reading a kept-aside mail or an ingested one asks first: its subject, whom it
    // was addressed to and when it says it was sent (null where the mail could not be parsed);
    // and the hand-over of a mail's files made crash-safe.
    name: '0202-inbound-recipients-date-subject-attachments-due',
    up: [
      'alter table email_quarantine add column subject text',
      'alter table email_inbound add column recipients jsonb',
      'alter table email_inbound add column sent_at timestamptz',
      // Files still to hand to the attachments plugin after the ingest committed: when the
      // recovery job may take them (the ingesting process holds them until then).
      'alter table email_inbound add column attachments_due timestamptz',
      'create index email_inbound_attachments_due on email_inbound (attachments_due) where attachments_due is not null',
    ],
  },
];
