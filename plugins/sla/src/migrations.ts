import type { Migration } from '@ticketops/plugin-sdk';

export const migrations: Migration[] = [
  {
    name: '0001-calendars-policies',
    up: [
      `create table sla_calendar (
        id text primary key,
        tenant_id text not null references tenant (id) on delete cascade,
        name text not null,
        time_zone text not null,
        hours jsonb not null,
        holidays jsonb not null default '[]',
        country text,
        region text,
        ical text,
        version integer not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`,
      `create unique index sla_calendar_tenant_name on sla_calendar (tenant_id, lower(name))`,
      `create table sla_policy (
        id text primary key,
        tenant_id text not null references tenant (id) on delete cascade,
        name text not null,
        position integer not null,
        active boolean not null default true,
        conditions jsonb not null default '{}',
        targets jsonb not null,
        calendar_id text not null references sla_calendar (id),
        pause_statuses jsonb,
        warning_percent integer,
        version integer not null default 1,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`,
      `create unique index sla_policy_tenant_name on sla_policy (tenant_id, lower(name))`,
      `create index sla_policy_tenant_position on sla_policy (tenant_id, position)`,
    ],
  },
  {
    name: '0002-engine',
    up: [
      // What the SLA clocks are derived from: one row per relevant ticket change, written by the
      // plugin's hook taps in the ticket's own transaction (so it exists iff the change committed).
      `create table sla_ticket_fact (
        id bigserial primary key,
        tenant_id text not null references tenant (id) on delete cascade,
        ticket_id text not null references ticket (id) on delete cascade,
        at timestamptz not null,
        kind text not null check (kind in ('created', 'updated', 'comment')),
        ref text,
        data jsonb not null
      )`,
      `create index sla_ticket_fact_ticket on sla_ticket_fact (ticket_id, id)`,
      // The derived state, stored so lists can sort and filter by due times and the scheduler finds alerts.
      `create table sla_ticket (
        ticket_id text primary key references ticket (id) on delete cascade,
        tenant_id text not null references tenant (id) on delete cascade,
        policy_id text,
        open boolean not null default true,
        first_response_due timestamptz,
        next_response_due timestamptz,
        resolution_due timestamptz,
        next_alert_at timestamptz,
        state jsonb not null default '{}',
        updated_at timestamptz not null default now()
      )`,
      `create index sla_ticket_alert on sla_ticket (next_alert_at) where next_alert_at is not null`,
      `create index sla_ticket_open on sla_ticket (tenant_id, ticket_id) where open`,
      `create index sla_ticket_resolution_due on sla_ticket (tenant_id, resolution_due) where resolution_due is not null`,
      // One row per alert ever sent: the primary key makes sla.warning / sla.breached exactly once per metric cycle.
      `create table sla_escalation (
        tenant_id text not null references tenant (id) on delete cascade,
        ticket_id text not null references ticket (id) on delete cascade,
        metric text not null,
        cycle integer not null,
        kind text not null check (kind in ('warning', 'breached')),
        at timestamptz not null,
        created_at timestamptz not null default now(),
        primary key (ticket_id, metric, cycle, kind)
      )`,
    ],
  },
  {
    name: '0003-escalation-levels-reports',
    up: [
      `alter table sla_policy add column escalations jsonb not null default '[]'`,
      // Escalation levels are recorded like warnings and breaches: kind `level:<index>`, once per metric cycle.
      `alter table sla_escalation drop constraint sla_escalation_kind_check`,
      `alter table sla_escalation add constraint sla_escalation_kind_check check (kind in ('warning', 'breached') or kind ~ '^level:[0-9]+$')`,
      // Every metric cycle of every ticket as last derived: what reports count (met/breached, business-time statistics).
      `create table sla_metric_cycle (
        ticket_id text not null references ticket (id) on delete cascade,
        tenant_id text not null references tenant (id) on delete cascade,
        metric text not null,
        cycle integer not null,
        policy_id text,
        state text not null,
        target_minutes integer not null,
        started_at timestamptz not null,
        fulfilled_at timestamptz,
        breached_at timestamptz,
        elapsed_minutes double precision not null,
        primary key (ticket_id, metric, cycle)
      )`,
      `create index sla_metric_cycle_outcome on sla_metric_cycle (tenant_id, (coalesce(fulfilled_at, breached_at))) where fulfilled_at is not null or breached_at is not null`,
      `create index sla_metric_cycle_breached on sla_metric_cycle (tenant_id, breached_at, ticket_id, metric, cycle) where breached_at is not null`,
    ],
  },
  {
    name: '0004-list-fields',
    up: [
      // Ticket lists sort and filter by these (the kernel's list fields, declared in index.ts): the
      // running clocks' due times, and the earliest of them.
      `alter table sla_ticket add column next_due timestamptz generated always as (least(first_response_due, next_response_due, resolution_due)) stored`,
      `create index sla_ticket_next_due on sla_ticket (tenant_id, next_due) where next_due is not null`,
      `create index sla_ticket_first_response_due on sla_ticket (tenant_id, first_response_due) where first_response_due is not null`,
      `create index sla_ticket_next_response_due on sla_ticket (tenant_id, next_response_due) where next_response_due is not null`,
    ],
  },
];
