import { type PluginDefinition, TicketOpsError } from '@ticketops/plugin-sdk';
import { createAjv, toDetails } from '../config/ajv.ts';
import { closedSchema } from './settings-schema.ts';

/**
 * Boot check of every `settingsSchema`, like the config's: an object schema that compiles and whose
 * defaults alone are valid settings (a tenant that never saved anything gets exactly those). All
 * errors of all plugins in one `plugin_config_invalid`, each named `plugins.<id>.settings…`.
 */
export function checkSettingsSchemas(definitions: PluginDefinition<any>[]): void {
  const ajv = createAjv({ useDefaults: true });
  const details: { pointer: string; message: string }[] = [];
  for (const definition of definitions) {
    const schema = definition.settingsSchema;
    if (schema === undefined) continue;
    const at = `plugins.${definition.id}.settingsSchema`;
    if (typeof schema !== 'object' || schema === null || schema.type !== 'object' || typeof schema.properties !== 'object') {
      details.push({ pointer: at, message: 'must be an object schema with properties ({ type: "object", properties })' });
      continue;
    }
    let validate: ReturnType<typeof ajv.compile>;
    try {
      validate = ajv.compile(closedSchema(schema));
    } catch (error) {
      details.push({ pointer: at, message: `does not compile: ${(error as Error).message}` });
      continue;
    }
    if (!validate({})) {
      for (const d of toDetails(validate.errors, '')) details.push({ pointer: `plugins.${definition.id}.settings${d.pointer.replaceAll('/', '.')}`, message: `${d.message} (defaults must be valid settings)` });
    }
  }
  if (details.length > 0) {
    throw new TicketOpsError('plugin_config_invalid', `Invalid plugin settings schema:\n  - ${details.map((d) => `${d.pointer} ${d.message}`).join('\n  - ')}`, { details });
  }
}
