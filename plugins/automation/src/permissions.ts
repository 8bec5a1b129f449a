import type { PermissionDefinition } from '@ticketops/plugin-sdk';

export const PERMISSIONS = {
  rulesRead: 'automation.rules.read',
  rulesWrite: 'automation.rules.write',
  runsRead: 'automation.runs.read',
  macrosApply: 'automation.macros.apply',
  approvalsRead: 'automation.approvals.read',
  approvalsDecide: 'automation.approvals.decide',
} as const;

/** Writing rules is admin-only (admins hold `*`); agents see rules and macros, apply macros and answer approvals. */
export const permissions: PermissionDefinition[] = [
  { name: PERMISSIONS.rulesRead, description: 'Read automation rules, their versions and macros', grantTo: ['agent'] },
  { name: PERMISSIONS.rulesWrite, description: 'Create, change, publish, roll back, import and dry-run automation rules' },
  { name: PERMISSIONS.runsRead, description: 'Read the automation execution log' },
  { name: PERMISSIONS.macrosApply, description: 'Preview and apply macros to tickets', grantTo: ['agent'] },
  { name: PERMISSIONS.approvalsRead, description: 'See approval requests', grantTo: ['agent'] },
  { name: PERMISSIONS.approvalsDecide, description: 'Approve or reject approval requests assigned to you', grantTo: ['agent'] },
];
