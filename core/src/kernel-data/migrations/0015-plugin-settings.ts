import type { Migration } from '@ticketops/plugin-sdk';

/**
 * Per-tenant plugin settings (a plugin's `settingsSchema`): one row per tenant and plugin holding
 * what the tenant's admin saved (defaults are not stored, so a plugin's new defaults apply), with
 * a version for optimistic concurrency (`If-Match`). A plugin that is disabled keeps its rows.
 */
export const migration: Migration = {
  name: '0015-plugin-settings',
  up: [
    `create table plugin_settings (
      tenant_id text not null references tenant (id) on delete cascade,
      plugin_id text not null,
      value jsonb not null,
      version integer not null check (version > 0),
      updated_at timestamptz not null default now(),
      updated_by text references app_user (id) on delete set null,
      primary key (tenant_id, plugin_id)
    )`,
  ],
};
