import type { Migration } from '@ticketops/plugin-sdk';

export const migrations: Migration[] = [
  {
    name: '0001-blobs-files',
    up: [
      // Stored bytes, once per tenant and content (SHA-256); ref_count = attachments_file rows holding them.
      `create table attachments_blob (
        tenant_id text not null references tenant (id) on delete cascade,
        sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
        size bigint not null check (size > 0),
        storage_key text not null,
        ref_count integer not null default 0 check (ref_count >= 0),
        scan_status text not null check (scan_status in ('clean', 'unscanned')),
        created_at timestamptz not null default now(),
        primary key (tenant_id, sha256)
      )`,
      // What users see: one row per upload. Infected uploads keep a row (status, signature) but no bytes.
      `create table attachments_file (
        id text primary key,
        tenant_id text not null references tenant (id) on delete cascade,
        sha256 text not null,
        ticket_id text references ticket (id) on delete cascade,
        comment_id text references comment (id) on delete cascade,
        uploaded_by text references app_user (id) on delete set null,
        name text not null,
        original_name text not null,
        mime text not null,
        size bigint not null,
        status text not null check (status in ('clean', 'unscanned', 'infected')),
        signature text,
        created_at timestamptz not null default now()
      )`,
      `create index attachments_file_ticket on attachments_file (tenant_id, ticket_id, created_at) where ticket_id is not null`,
      `create index attachments_file_comment on attachments_file (comment_id) where comment_id is not null`,
      `create index attachments_file_blob on attachments_file (tenant_id, sha256)`,
      // Reference counting follows the file rows, whichever way they go (API delete, ticket delete cascade).
      `create function attachments_file_ref() returns trigger language plpgsql as $$
       begin
         if tg_op = 'INSERT' and new.status <> 'infected' then
           update attachments_blob set ref_count = ref_count + 1 where tenant_id = new.tenant_id and sha256 = new.sha256;
         elsif tg_op = 'DELETE' and old.status <> 'infected' then
           update attachments_blob set ref_count = ref_count - 1 where tenant_id = old.tenant_id and sha256 = old.sha256;
         end if;
         return null;
       end $$`,
      `create trigger attachments_file_ref after insert or delete on attachments_file for each row execute function attachments_file_ref()`,
    ],
  },
  {
    name: '0002-presigned-uploads',
    up: [
      // A direct-to-S3 upload between its presigned URL(s) and `complete`; the clean-up job drops expired ones and their bytes.
      `create table attachments_upload (
        id text primary key,
        tenant_id text not null references tenant (id) on delete cascade,
        uploaded_by text,
        ticket_id text references ticket (id) on delete cascade,
        comment_id text references comment (id) on delete cascade,
        original_name text not null,
        declared_size bigint not null check (declared_size > 0),
        staging_key text not null,
        s3_upload_id text,
        part_count integer not null check (part_count between 1 and 10000),
        part_size bigint not null,
        state text not null default 'pending' check (state in ('pending', 'completing')),
        expires_at timestamptz not null,
        created_at timestamptz not null default now()
      )`,
      `create index attachments_upload_expires on attachments_upload (expires_at)`,
    ],
  },
  {
    name: '0003-ocr',
    up: [
      // Text recognised in an image attachment (at most ocr.maxTextChars); goes with the file.
      `create table attachments_ocr (
        file_id text primary key references attachments_file (id) on delete cascade,
        tenant_id text not null references tenant (id) on delete cascade,
        status text not null check (status in ('done', 'failed')),
        text text,
        error text,
        updated_at timestamptz not null default now()
      )`,
    ],
  },
  {
    name: '0004-owner-kinds',
    up: [
      // A file belongs to a ticket (ticket_id), to its uploader (nothing set), or to an owner of a kind
      // another plugin registered (owner_kind + owner_id, e.g. knowledge-base.article) — never two of them.
      `alter table attachments_file add column owner_kind text, add column owner_id text`,
      `alter table attachments_file add constraint attachments_file_owner check (
         (owner_kind is null and owner_id is null) or (owner_kind is not null and owner_id is not null and ticket_id is null and comment_id is null))`,
      `create index attachments_file_owner_idx on attachments_file (tenant_id, owner_kind, owner_id, created_at) where owner_kind is not null`,
    ],
  },
  {
    name: '0005-presigned-owner',
    // A direct-to-S3 upload may be meant for an owner of a registered kind, like a streamed one.
    up: ['alter table attachments_upload add column owner_kind text, add column owner_id text'],
  },
];
