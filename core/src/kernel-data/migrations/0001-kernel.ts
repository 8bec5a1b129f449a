import type { Migration } from '@ticketops/plugin-sdk';

/** Kernel tables: tenants, roles, users, API tokens, sessions, audit log, login throttling. */
export const migration: Migration = {
    name: '0001-kernel',
    up: [
      `create table tenant (
        id text primary key,
        slug text not null unique,
        name text not null,
        created_at timestamptz not null default now()
      )`,
      `create table role (
        id text primary key,
        tenant_id text not null references tenant (id) on delete cascade,
        name text not null,
        description text not null default '',
        permissions jsonb not null default '[]',
        builtin boolean not null default false,
        created_at timestamptz not null default now(),
        unique (tenant_id, name)
      )`,
      `create table app_user (
        id text primary key,
        tenant_id text not null references tenant (id) on delete cascade,
        email text not null,
        name text not null,
        role text not null,
        password_hash text,
        active boolean not null default true,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`,
      `create unique index app_user_tenant_email on app_user (tenant_id, lower(email))`,
      `create table api_token (
        id text primary key,
        tenant_id text not null references tenant (id) on delete cascade,
        user_id text not null references app_user (id) on delete cascade,
        name text not null,
        token_hash text not null unique,
        hint text not null,
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz,
        created_at timestamptz not null default now()
      )`,
      `create index api_token_user on api_token (user_id)`,
      `create table user_session (
        id text primary key,
        tenant_id text not null references tenant (id) on delete cascade,
        user_id text not null references app_user (id) on delete cascade,
        token_hash text not null unique,
        csrf_token text not null,
        last_seen_at timestamptz not null,
        expires_at timestamptz not null,
        revoked_at timestamptz,
        ip text,
        user_agent text,
        created_at timestamptz not null default now()
      )`,
      `create index user_session_by_user on user_session (user_id)`,
      `create table audit_log (
        id text primary key,
        tenant_id text not null references tenant (id) on delete cascade,
        actor_id text,
        action text not null,
        target_type text,
        target_id text,
        data jsonb,
        ip text,
        request_id text,
        created_at timestamptz not null default now()
      )`,
      `create index audit_log_tenant_created on audit_log (tenant_id, created_at desc)`,
      `create table login_throttle (
        key text primary key,
        failures integer not null default 0,
        window_started_at timestamptz not null default now(),
        blocked_until timestamptz
      )`,
    ],
  };
