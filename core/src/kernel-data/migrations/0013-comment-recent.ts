import type { Migration } from '@ticketops/plugin-sdk';

/**
 * Full-text search reads a tenant's most recent comments first (tickets/search/list.ts). Through the
 * primary key alone that walks every tenant's newer comments; this index keeps it to one tenant's.
 */
export const migration: Migration = {
  name: '0013-comment-recent',
  up: ['create index comment_tenant_recent on comment (tenant_id, id desc)'],
};
