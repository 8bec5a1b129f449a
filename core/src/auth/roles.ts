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
