import type { Migration } from '@ticketops/plugin-sdk';

/** Bulk jobs apply several chunks at once; each chunk records itself here as it commits, for resuming. */
export const migration: Migration = {
  name: '0011-bulk-chunks',
  up: [`alter table bulk_job add column done_chunks integer[] not null default '{}'`],
};
