import type { PermissionDefinition } from '@ticketops/plugin-sdk';

export const BUILTIN_ROLES = ['admin', 'agent', 'customer'] as const;
export type BuiltinRole = (typeof BUILTIN_ROLES)[number];

/** Permissions the kernel itself defines; plugins add theirs through `permissions`. */
export const KERNEL_PERMISSIONS: (Omit<PermissionDefinition, 'grantTo'> & { grantTo: BuiltinRole[] })[] = [
  { name: 'users.read', description: 'List and view users', grantTo: ['admin', 'agent'] },
  { name: 'users.write', description: 'Create, change and deactivate users', grantTo: ['admin'] },
  { name: 'roles.read', description: 'List roles and permissions', grantTo: ['admin', 'agent'] },
  { name: 'roles.write', description: 'Create and change custom roles', grantTo: ['admin'] },
  { name: 'tokens.manage', description: 'Create and revoke API tokens for any user', grantTo: ['admin'] },
  { name: 'audit.read', description: 'Read the audit log', grantTo: ['admin'] },
  { name: 'plugins.read', description: 'List enabled plugins', grantTo: ['admin'] },
  { name: 'plugins.configure', description: "Change plugins' settings for this help desk", grantTo: ['admin'] },
  { name: 'tickets.read', description: 'Read tickets one may see (customers: their own)', grantTo: ['admin', 'agent', 'customer'] },
  { name: 'tickets.read.all', description: 'Read every ticket of the tenant', grantTo: ['admin', 'agent'] },
  { name: 'tickets.create', description: 'Open tickets', grantTo: ['admin', 'agent', 'customer'] },
  { name: 'tickets.update', description: 'Change ticket fields', grantTo: ['admin', 'agent'] },
  { name: 'tickets.delete', description: 'Delete tickets', grantTo: ['admin'] },
  { name: 'tickets.comment', description: 'Post public replies on visible tickets', grantTo: ['admin', 'agent', 'customer'] },
  { name: 'tickets.solve.own', description: 'Mark one\'s own request solved (staff: any visible ticket)', grantTo: ['admin', 'agent', 'customer'] },
  { name: 'tickets.notes.read', description: 'Read internal notes', grantTo: ['admin', 'agent'] },
  { name: 'tickets.notes.write', description: 'Write internal notes', grantTo: ['admin', 'agent'] },
  { name: 'tickets.bulk', description: 'Change many tickets at once', grantTo: ['admin', 'agent'] },
  { name: 'tickets.merge', description: 'Merge, split and link tickets', grantTo: ['admin', 'agent'] },
  { name: 'ticket-settings.read', description: 'Read statuses, priorities, types and tags', grantTo: ['admin', 'agent', 'customer'] },
  { name: 'ticket-settings.write', description: 'Manage statuses, priorities, types and tags', grantTo: ['admin'] },
  { name: 'organizations.read', description: 'Read organizations', grantTo: ['admin', 'agent'] },
  { name: 'organizations.write', description: 'Create and change organizations', grantTo: ['admin', 'agent'] },
  { name: 'groups.read', description: 'Read groups', grantTo: ['admin', 'agent'] },
  { name: 'groups.write', description: 'Manage groups and their members', grantTo: ['admin'] },
  { name: 'views.write', description: 'Save personal views', grantTo: ['admin', 'agent'] },
  { name: 'views.shared.write', description: 'Save views shared with everyone', grantTo: ['admin'] },
  { name: 'templates.read', description: 'Use ticket templates', grantTo: ['admin', 'agent'] },
  { name: 'templates.write', description: 'Manage ticket templates', grantTo: ['admin'] },
  { name: 'time.read', description: 'Read time tracking reports', grantTo: ['admin', 'agent'] },
  { name: 'time.write', description: 'Log work time', grantTo: ['admin', 'agent'] },
];

/**
 * The permission sets of the built-in roles: admin has everything (`*`); agents and customers get
 * what the kernel and each plugin grant them. Computed at boot from code, so enabling a plugin
 * updates the built-in roles without a data migration.
 */
export function builtinRolePermissions(plugins: { permissions?: PermissionDefinition[] }[]): Record<BuiltinRole, Set<string>> {
  const sets: Record<BuiltinRole, Set<string>> = { admin: new Set(['*']), agent: new Set(), customer: new Set() };
  const all = [...KERNEL_PERMISSIONS, ...plugins.flatMap((p) => p.permissions ?? [])];
  for (const permission of all) {
    for (const role of permission.grantTo ?? []) {
      if (role === 'agent' || role === 'customer') sets[role].add(permission.name);
    }
  }
  return sets;
}
