import type { Migration } from '@ticketops/plugin-sdk';

export const migrations: Migration[] = [
  {
    name: '0001-rules-runs',
    up: [
      // A rule is a name, a place in the order and a pointer to its published version; content lives in versions.
      `create table automation_rule (
        id text primary key,
        tenant_id text not null references tenant (id) on delete cascade,
        name text not null,
        kind text not null check (kind in ('trigger', 'automation', 'scheduled', 'macro')),
        position integer not null,
        active boolean not null default false,
        published_version integer,
        latest_version integer not null,
        events text[] not null default '{}',
        disabled_reason text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`,
      `create unique index automation_rule_tenant_name on automation_rule (tenant_id, lower(name))`,
      `create index automation_rule_active on automation_rule (tenant_id, kind, position) where active and published_version is not null`,
      // Immutable: a change to a rule is a new version; publishing and rollback move the rule's pointer.
      `create table automation_rule_version (
        rule_id text not null references automation_rule (id) on delete cascade,
        version integer not null,
        tenant_id text not null references tenant (id) on delete cascade,
        definition jsonb not null,
        created_by text,
        created_at timestamptz not null default now(),
        published_at timestamptz,
        primary key (rule_id, version)
      )`,
      // One row per delivered event the engine processed: the key makes a redelivery a no-op, and the
      // stored snapshot is what dry-run replays.
      `create table automation_event (
        event_id text primary key,
        tenant_id text not null references tenant (id) on delete cascade,
        ticket_id text,
        event_type text not null,
        data jsonb not null,
        created_at timestamptz not null default now()
      )`,
      `create index automation_event_recent on automation_event (tenant_id, event_type, created_at desc)`,
      `create table automation_run (
        id text primary key,
        tenant_id text not null references tenant (id) on delete cascade,
        rule_id text not null references automation_rule (id) on delete cascade,
        rule_version integer not null,
        event_id text,
        event_type text not null,
        ticket_id text,
        outcome text not null check (outcome in ('matched', 'no_match', 'error', 'timeout', 'memory', 'crashed', 'throttled', 'loop_stopped')),
        wall_ms double precision not null default 0,
        cpu_ms double precision not null default 0,
        trace jsonb not null default '[]',
        proposed jsonb not null default '[]',
        applied jsonb not null default '[]',
        logs jsonb not null default '[]',
        error jsonb,
        cause jsonb not null default '[]',
        created_at timestamptz not null default now()
      )`,
      `create unique index automation_run_rule_event on automation_run (rule_id, event_id) where event_id is not null`,
      `create index automation_run_rule on automation_run (tenant_id, rule_id, id desc)`,
      `create index automation_run_recent on automation_run (tenant_id, id desc)`,
      `create index automation_run_violations on automation_run (rule_id, created_at) where outcome in ('timeout', 'memory', 'crashed')`,
      // Rules marked fire-once (and every time-based automation) act on a ticket at most once.
      `create table automation_fired (
        rule_id text not null references automation_rule (id) on delete cascade,
        ticket_id text not null references ticket (id) on delete cascade,
        tenant_id text not null references tenant (id) on delete cascade,
        fired_at timestamptz not null default now(),
        primary key (rule_id, ticket_id)
      )`,
      // Where a time-based automation's scan goes on next (tickets by id).
      `create table automation_scan (
        rule_id text primary key references automation_rule (id) on delete cascade,
        tenant_id text not null references tenant (id) on delete cascade,
        cursor text,
        last_run_at timestamptz
      )`,
    ],
  },
  {
    name: '0002-approvals',
    up: [
      // Who approves for a requester when a step says requesterManager (the kernel has no manager field).
      `create table automation_manager (
        user_id text primary key references app_user (id) on delete cascade,
        tenant_id text not null references tenant (id) on delete cascade,
        manager_id text not null references app_user (id) on delete cascade
      )`,
      // Approvers are resolved when the request is made (group members, the manager then), per step.
      `create table automation_approval (
        id text primary key,
        tenant_id text not null references tenant (id) on delete cascade,
        ticket_id text not null references ticket (id) on delete cascade,
        rule_id text references automation_rule (id) on delete set null,
        title text not null,
        state text not null check (state in ('pending', 'approved', 'rejected')),
        steps jsonb not null,
        current_step integer not null default 0,
        approved_status text,
        rejected_status text,
        previous_status text,
        requested_at timestamptz not null default now(),
        decided_at timestamptz
      )`,
      `create index automation_approval_pending on automation_approval (tenant_id, state, requested_at desc)`,
      `create table automation_approval_decision (
        approval_id text not null references automation_approval (id) on delete cascade,
        tenant_id text not null references tenant (id) on delete cascade,
        step integer not null,
        user_id text not null references app_user (id) on delete cascade,
        decision text not null check (decision in ('approved', 'rejected')),
        comment text,
        created_at timestamptz not null default now(),
        primary key (approval_id, step, user_id)
      )`,
    ],
  },
  {
    name: '0003-event-occurred-at',
    up: [
      // When the event happened (its emitting transaction), beside when it was processed: replays take the last N by this.
      `alter table automation_event add column occurred_at timestamptz`,
      `update automation_event set occurred_at = created_at`,
      `alter table automation_event alter column occurred_at set not null`,
      `create index automation_event_occurred on automation_event (tenant_id, event_type, occurred_at desc)`,
      `drop index automation_event_recent`,
    ],
  },
];
