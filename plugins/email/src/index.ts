import { definePlugin } from '@ticketops/plugin-sdk';
import type { EmailConfig } from './config.ts';
import { inboundPart } from './inbound/part.ts';
import { outboundPart } from './outbound/part.ts';
import { emailSettingsSchema } from './outbound/settings.ts';
import { sharedMigrations } from './shared/migrations.ts';

export type { EmailConfig } from './config.ts';

const parts = [outboundPart, inboundPart];

/**
 * Email: notifications and replies sent by SMTP (outbound), tickets and comments from IMAP
 * mailboxes and an SMTP listener (inbound), threaded by Message-ID, references, reply-address
 * token and ticket number, with loop and bounce protection. See docs/email.md.
 */
export const emailPlugin = definePlugin<EmailConfig>({
  id: 'email',
  version: '0.1.0',
  kernel: '^0.1.0',
  description: 'Email channel: tickets from email and notifications by email',
  // Mail attachments are handed to the attachments plugin when it is enabled.
  optionalDependsOn: ['attachments'],
  admin: {
    assets: new URL('../dist/admin/', import.meta.url),
    module: 'panels.js',
    panels: [
      { element: 'to-email-templates', zone: 'settings.section', title: { en: 'Email templates', de: 'E-Mail-Vorlagen' }, permission: 'email.templates.manage' },
      { element: 'to-email-mailboxes', zone: 'settings.section', title: { en: 'Email mailboxes', de: 'E-Mail-Postfächer' }, permission: 'email.mailbox.manage' },
      { element: 'to-email-quarantine', zone: 'settings.section', title: { en: 'Email kept aside', de: 'Zurückgehaltene E-Mails' }, permission: 'email.quarantine.read' },
      { element: 'to-email-details', zone: 'comment.attachments', title: { en: 'Email details', de: 'E-Mail-Details' }, permission: 'email.message.read' },
    ],
  },
  configSchema: {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(parts.map((part) => [part.name, part.configSchema])),
  },
  // Per tenant, changed by its admins in the console: the sender name (outbound/settings.ts).
  settingsSchema: emailSettingsSchema,
  migrations: [...sharedMigrations, ...parts.flatMap((part) => part.migrations)],
  permissions: parts.flatMap((part) => part.permissions),
  events: parts.flatMap((part) => part.events),
  register(r) {
    for (const part of parts) part.register(r);
  },
  async init(ctx) {
    for (const part of parts) await part.init(ctx);
  },
});

export default emailPlugin;
