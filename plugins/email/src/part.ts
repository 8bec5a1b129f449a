import type { JsonSchema, Migration, PermissionDefinition, PluginInitContext, PluginRegistrar } from '@ticketops/plugin-sdk';
import type { EmailConfig } from './config.ts';

/**
 * The email plugin is made of parts (outbound, inbound) that own their folders, config section,
 * migrations and routes; `index.ts` assembles them into one plugin. Each part registers and
 * initialises only what is its own.
 */
export interface EmailPart {
  name: 'outbound' | 'inbound';
  /** The JSON Schema of the part's config section (`config.<name>`), with defaults. */
  configSchema: JsonSchema;
  /** Named `<NNNN>-<part>-…`; outbound uses 0100–0199, inbound 0200–0299. */
  migrations: Migration[];
  permissions: PermissionDefinition[];
  events: string[];
  register(r: PluginRegistrar<EmailConfig>): void;
  init(ctx: PluginInitContext<EmailConfig>): Promise<void> | void;
}
