import type { Migration } from '@ticketops/plugin-sdk';

/** The ticket domain: tickets, comments, history, links, organizations, groups, statuses, priorities, types, tags. */
export const migration: Migration = {
  name: '0002-tickets',
  up: [
    `create extension if not exists pg_trgm`,
    `create table organization (
      id text primary key,
      tenant_id text not null references tenant (id) on delete cascade,
      name text not null,
      domains text[] not null default '{}',
      notes text not null default '',
      /** Customers of the organization may read each other's tickets. */
      shared_tickets boolean not null default false,
      custom_fields jsonb not null default '{}',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    `create unique index organization_tenant_name on organization (tenant_id, lower(name))`,
    `alter table app_user add column organization_id text references organization (id) on delete set null`,
    `create index app_user_organization on app_user (organization_id) where organization_id is not null`,
    `create table agent_group (
      id text primary key,
      tenant_id text not null references tenant (id) on delete cascade,
      name text not null,
      description text not null default '',
      created_at timestamptz not null default now()
    )`,
    `create unique index agent_group_tenant_name on agent_group (tenant_id, lower(name))`,
    `create table group_member (
      group_id text not null references agent_group (id) on delete cascade,
      user_id text not null references app_user (id) on delete cascade,
      tenant_id text not null,
      primary key (group_id, user_id)
    )`,
    `create table ticket_status (
      id text primary key,
      tenant_id text not null references tenant (id) on delete cascade,
      name text not null,
      category text not null check (category in ('new', 'open', 'pending', 'on-hold', 'solved', 'closed')),
      position integer not null default 0,
      active boolean not null default true,
      unique (tenant_id, name)
    )`,
    `create table ticket_priority (
      id text primary key,
      tenant_id text not null references tenant (id) on delete cascade,
      name text not null,
      position integer not null default 0,
      active boolean not null default true,
      unique (tenant_id, name)
    )`,
    `create table ticket_type (
      id text primary key,
      tenant_id text not null references tenant (id) on delete cascade,
      name text not null,
      description text not null default '',
      fields_schema jsonb not null default '{"type":"object"}',
      active boolean not null default true,
      created_at timestamptz not null default now(),
      unique (tenant_id, name)
    )`,
    `create table tag (
      tenant_id text not null references tenant (id) on delete cascade,
      name text not null,
      created_at timestamptz not null default now(),
      primary key (tenant_id, name)
    )`,
    `create table ticket_counter (
      tenant_id text primary key references tenant (id) on delete cascade,
      last_number bigint not null default 0
    )`,
    `create table ticket (
      id text primary key,
      tenant_id text not null references tenant (id) on delete cascade,
      number bigint not null,
      title text not null,
      description text not null default '',
      status text not null,
      status_category text not null,
      priority text not null,
      type text,
      requester_id text references app_user (id) on delete set null,
      organization_id text references organization (id) on delete set null,
      assignee_id text references app_user (id) on delete set null,
      group_id text references agent_group (id) on delete set null,
      tags text[] not null default '{}',
      channel text not null default 'api',
      custom_fields jsonb not null default '{}',
      merged_into_id text references ticket (id) on delete set null,
      version integer not null default 1,
      deleted_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      first_response_at timestamptz,
      solved_at timestamptz,
      closed_at timestamptz,
      search_vector tsvector generated always as (
        setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')
      ) stored,
      unique (tenant_id, number)
    )`,
    `create index ticket_tenant_updated on ticket (tenant_id, updated_at desc, id desc) where deleted_at is null`,
    `create index ticket_tenant_status on ticket (tenant_id, status_category, updated_at desc) where deleted_at is null`,
    `create index ticket_assignee on ticket (tenant_id, assignee_id, updated_at desc) where deleted_at is null`,
    `create index ticket_group on ticket (tenant_id, group_id, updated_at desc) where deleted_at is null`,
    `create index ticket_requester on ticket (tenant_id, requester_id, updated_at desc) where deleted_at is null`,
    `create index ticket_organization on ticket (tenant_id, organization_id, updated_at desc) where deleted_at is null`,
    `create index ticket_tags on ticket using gin (tags)`,
    `create index ticket_custom_fields on ticket using gin (custom_fields jsonb_path_ops)`,
    `create index ticket_search on ticket using gin (search_vector)`,
    `create index ticket_title_trgm on ticket using gin (title gin_trgm_ops)`,
    `create table ticket_watcher (
      ticket_id text not null references ticket (id) on delete cascade,
      user_id text not null references app_user (id) on delete cascade,
      tenant_id text not null,
      primary key (ticket_id, user_id)
    )`,
    `create table comment (
      id text primary key,
      tenant_id text not null references tenant (id) on delete cascade,
      ticket_id text not null references ticket (id) on delete cascade,
      author_id text references app_user (id) on delete set null,
      body text not null,
      internal boolean not null default false,
      channel text not null default 'api',
      created_at timestamptz not null default now(),
      search_vector tsvector generated always as (to_tsvector('english', body)) stored
    )`,
    `create index comment_ticket on comment (ticket_id, created_at, id)`,
    `create index comment_search on comment using gin (search_vector)`,
    `create table ticket_history (
      id text primary key,
      tenant_id text not null references tenant (id) on delete cascade,
      ticket_id text not null references ticket (id) on delete cascade,
      actor_id text,
      channel text not null default 'api',
      via text,
      field text not null,
      old_value jsonb,
      new_value jsonb,
      created_at timestamptz not null default now()
    )`,
    `create index ticket_history_ticket on ticket_history (ticket_id, created_at, id)`,
    `create table ticket_link (
      tenant_id text not null references tenant (id) on delete cascade,
      ticket_id text not null references ticket (id) on delete cascade,
      linked_id text not null references ticket (id) on delete cascade,
      type text not null check (type in ('parent', 'child', 'related', 'duplicate_of', 'duplicated_by', 'blocks', 'blocked_by')),
      created_at timestamptz not null default now(),
      primary key (ticket_id, linked_id, type)
    )`,
    `create index ticket_link_linked on ticket_link (linked_id)`,
  ],
};
