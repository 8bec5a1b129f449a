import type { PermissionDefinition } from '@ticketops/plugin-sdk';

export const PERMISSIONS = {
  messagesRead: 'email.message.read',
  quarantineRead: 'email.quarantine.read',
  mailboxesManage: 'email.mailbox.manage',
} as const;

export const inboundPermissions: PermissionDefinition[] = [
  { name: PERMISSIONS.messagesRead, description: 'See the source, threading reason and verdicts of inbound mails on tickets one can see', grantTo: ['agent'] },
  { name: PERMISSIONS.quarantineRead, description: 'See and download mail kept aside by inbound' },
  { name: PERMISSIONS.mailboxesManage, description: 'Manage IMAP mailboxes and test their connection' },
];
