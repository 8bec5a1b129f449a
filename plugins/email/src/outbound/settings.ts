import type { JsonSchema } from '@ticketops/plugin-sdk';
import { type OutboundConfig, senderOf } from './config.ts';

/**
 * The email plugin's per-tenant settings (its `settingsSchema`): what a help desk's admin changes
 * in the console without the operator. The SMTP server, addresses and credentials stay in the
 * installation config.
 */
export interface EmailSettings {
  /** The From display name of this help desk's mail; without one, the installation's (`from.name` or `tenants.<id>.name`). */
  senderName?: string;
}

export const emailSettingsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    senderName: {
      type: 'string',
      title: 'Sender name',
      description: 'The name your customers see as the sender of this help desk’s mail, e.g. “Acme Support”. Empty: the installation’s.',
      minLength: 1,
      maxLength: 200,
      // One header line: no CR/LF (the composer strips them too).
      pattern: '^[^\\r\\n]*$',
    },
  },
};

/** The outbound config as one tenant's mail uses it: the tenant's sender name over the installation's. */
export function configForTenant(config: OutboundConfig, tenantId: string, settings: EmailSettings): OutboundConfig {
  if (!settings.senderName) return config;
  return { ...config, tenants: { ...config.tenants, [tenantId]: { ...senderOf(config, tenantId), name: settings.senderName } } };
}
