import semver from 'semver';
import { type PluginDefinition, TicketOpsError, isPluginDefinition } from '@ticketops/plugin-sdk';
import { createAjv, toDetails } from '../config/ajv.ts';

export const KERNEL_VERSION = '0.1.0';

export interface PluginEntry {
  definition: PluginDefinition<any>;
  config?: Record<string, unknown>;
}

export interface LoadedPlugin {
  definition: PluginDefinition<any>;
  config: Record<string, unknown>;
}

const ID_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Checks the enabled plugins and puts them in dependency order. Duplicate ids are rejected first,
 * then shape, kernel range, missing dependencies, cycles, and finally every plugin's config
 * (every error of every plugin in one message). Each error names the plugin and the key.
 */
export function loadPlugins(entries: PluginEntry[]): LoadedPlugin[] {
  const byId = new Map<string, PluginEntry>();
  for (const entry of entries) {
    const id = (entry.definition as { id?: unknown })?.id;
    if (typeof id === 'string' && byId.has(id)) {
      throw new TicketOpsError('plugin_duplicate', `Plugin "${id}" is enabled twice; each plugin id may appear once`);
    }
    if (typeof id === 'string') byId.set(id, entry);
  }
  for (const entry of entries) checkShape(entry.definition);

  for (const { definition } of entries) {
    for (const dep of definition.dependsOn ?? []) {
      if (!byId.has(dep)) {
        throw new TicketOpsError(
          'plugin_dependency_missing',
          `Plugin "${definition.id}" depends on "${dep}", which is not enabled (dependsOn)`,
        );
      }
    }
  }

  const ordered = topologicalOrder(entries.map((e) => e.definition), byId);
  const configs = validateConfigs(ordered.map((id) => byId.get(id) as PluginEntry));
  return ordered.map((id) => ({ definition: (byId.get(id) as PluginEntry).definition, config: configs.get(id) ?? {} }));
}

function checkShape(definition: unknown): asserts definition is PluginDefinition {
  const d = definition as Partial<PluginDefinition>;
  const name = typeof d?.id === 'string' ? `"${d.id}"` : '(without id)';
  if (!isPluginDefinition(definition)) {
    throw new TicketOpsError('plugin_invalid', `Plugin ${name} was not created with definePlugin()`);
  }
  if (typeof d.id !== 'string' || !ID_PATTERN.test(d.id)) {
    throw new TicketOpsError('plugin_invalid', `Plugin ${name}: id must be kebab-case (id)`);
  }
  if (typeof d.version !== 'string' || !semver.valid(d.version)) {
    throw new TicketOpsError('plugin_invalid', `Plugin ${name}: version must be a semver version (version)`);
  }
  if (typeof d.kernel !== 'string' || !semver.validRange(d.kernel)) {
    throw new TicketOpsError('plugin_invalid', `Plugin ${name}: kernel must be a semver range (kernel)`);
  }
  if (!semver.satisfies(KERNEL_VERSION, d.kernel, { includePrerelease: true })) {
    throw new TicketOpsError(
      'plugin_invalid',
      `Plugin ${name} needs kernel ${d.kernel}, but this kernel is ${KERNEL_VERSION} (kernel)`,
    );
  }
}

function topologicalOrder(definitions: PluginDefinition<any>[], byId: Map<string, PluginEntry>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]) => {
    const seen = state.get(id);
    if (seen === 'done') return;
    if (seen === 'visiting') {
      const cycle = [...path.slice(path.indexOf(id)), id];
      throw new TicketOpsError('plugin_dependency_cycle', `Plugin dependency cycle: ${cycle.join(' -> ')}`);
    }
    state.set(id, 'visiting');
    const definition = (byId.get(id) as PluginEntry).definition;
    const deps = [...(definition.dependsOn ?? []), ...(definition.optionalDependsOn ?? []).filter((d) => byId.has(d))];
    for (const dep of deps) visit(dep, [...path, id]);
    state.set(id, 'done');
    order.push(id);
  };
  for (const d of definitions) visit(d.id, []);
  return order;
}

function validateConfigs(entries: PluginEntry[]): Map<string, Record<string, unknown>> {
  const ajv = createAjv({ useDefaults: true });
  const result = new Map<string, Record<string, unknown>>();
  const problems: string[] = [];
  const details = [];
  for (const { definition, config } of entries) {
    const value = structuredClone(config ?? {});
    if (definition.configSchema) {
      const validate = ajv.compile(definition.configSchema);
      if (!validate(value)) {
        const pluginDetails = toDetails(validate.errors, '').map((d) => ({
          pointer: `plugins.${definition.id}.config${d.pointer.replaceAll('/', '.')}`,
          message: d.message,
        }));
        details.push(...pluginDetails);
        problems.push(...pluginDetails.map((d) => `${d.pointer} ${d.message}`));
      }
    }
    result.set(definition.id, value);
  }
  if (problems.length > 0) {
    throw new TicketOpsError('plugin_config_invalid', `Invalid plugin configuration:\n  - ${problems.join('\n  - ')}`, {
      details,
    });
  }
  return result;
}
