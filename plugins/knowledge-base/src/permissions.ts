import type { PermissionDefinition } from '@ticketops/plugin-sdk';

export const PERMISSIONS = {
  read: 'knowledge-base.read',
  readInternal: 'knowledge-base.read.internal',
  write: 'knowledge-base.write',
} as const;

/**
 * Customers read published public articles; agents also drafts, archived and internal ones, and
 * write. Admins hold `*`. A custom role may read internal articles without editing them.
 */
export const permissions: PermissionDefinition[] = [
  { name: PERMISSIONS.read, description: 'Read and search the knowledge base (published public articles only, unless also read.internal)', grantTo: ['agent', 'customer'] },
  { name: PERMISSIONS.readInternal, description: 'Also read internal, draft and archived articles, their revisions and ticket links', grantTo: ['agent'] },
  { name: PERMISSIONS.write, description: 'Create, change, publish, archive and delete articles and categories; link articles to tickets', grantTo: ['agent'] },
];
