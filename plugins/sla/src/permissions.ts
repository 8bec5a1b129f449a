import type { PermissionDefinition } from '@ticketops/plugin-sdk';

export const PERMISSIONS = {
  calendarsRead: 'sla.calendars.read',
  calendarsWrite: 'sla.calendars.write',
  policiesRead: 'sla.policies.read',
  policiesWrite: 'sla.policies.write',
  ticketsRead: 'sla.tickets.read',
  reportsRead: 'sla.reports.read',
  backfill: 'sla.backfill',
} as const;

/** Writes are admin-only (admins hold `*`); agents read calendars and policies and see ticket SLAs. */
export const permissions: PermissionDefinition[] = [
  { name: PERMISSIONS.calendarsRead, description: 'Read business calendars and compute due times', grantTo: ['agent'] },
  { name: PERMISSIONS.calendarsWrite, description: 'Create, change and delete business calendars' },
  { name: PERMISSIONS.policiesRead, description: 'Read SLA policies', grantTo: ['agent'] },
  { name: PERMISSIONS.policiesWrite, description: 'Create, change, reorder and delete SLA policies' },
  { name: PERMISSIONS.ticketsRead, description: 'See the SLA state of tickets', grantTo: ['agent'] },
  { name: PERMISSIONS.reportsRead, description: 'SLA compliance, breach and statistics reports and their CSV export (staff only)', grantTo: ['agent'] },
  { name: PERMISSIONS.backfill, description: 'Build SLA state for tickets created before the plugin was enabled' },
];
