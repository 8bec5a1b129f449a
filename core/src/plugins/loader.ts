import semver from 'semver';
import { ADMIN_ZONES, PAGE_PATH, type PluginDefinition, TicketOpsError, isPluginDefinition, panelElementPattern } from '@ticketops/plugin-sdk';
import { createAjv, toDetails } from '../config/ajv.ts';
import { checkSettingsSchemas } from './settings-check.ts';

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
 * (every error of every plugin in one message) and settings schema. Each error names the plugin and the key.
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
  checkSettingsSchemas(ordered.map((id) => (byId.get(id) as PluginEntry).definition));
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
  if (d.admin !== undefined) checkAdmin(d.id, d.admin);
}

/** A plugin module file name inside its assets directory: no absolute path, no `..`, a JavaScript module. */
const MODULE_PATH = /^(?!\/)(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._/-]+\.m?js$/;

/** The console contribution: assets directory, module file, and panels in known zones with `to-<id>-…` elements. */
function checkAdmin(id: string, admin: NonNullable<PluginDefinition['admin']>): void {
  const fail = (message: string, key: string) => {
    throw new TicketOpsError('plugin_invalid', `Plugin "${id}": ${message} (${key})`);
  };
  if (typeof admin !== 'object' || admin === null) fail('admin must be an object with assets, module and panels', 'admin');
  const assets = admin.assets instanceof URL ? admin.assets.href : admin.assets;
  if (typeof assets !== 'string' || !(assets.startsWith('file:') || assets.startsWith('/'))) {
    fail('admin.assets must be a file: URL or an absolute path to the directory of the built admin files', 'admin.assets');
  }
  if (typeof admin.module !== 'string' || !MODULE_PATH.test(admin.module)) {
    fail('admin.module must be a .js file inside admin.assets, like "panels.js"', 'admin.module');
  }
  if (!Array.isArray(admin.panels) || admin.panels.length === 0) fail('admin.panels must list at least one panel', 'admin.panels');
  const pattern = panelElementPattern(id);
  const seen = new Set<string>();
  admin.panels.forEach((panel, i) => {
    const key = `admin.panels[${i}]`;
    if (typeof panel?.element !== 'string' || !pattern.test(panel.element)) fail(`panel element must be named to-${id}-<name> (lower case)`, `${key}.element`);
    if (seen.has(`${panel.zone}:${panel.element}`)) fail(`panel ${panel.element} is declared twice in ${panel.zone}`, `${key}.element`);
    seen.add(`${panel.zone}:${panel.element}`);
    if (!(ADMIN_ZONES as readonly string[]).includes(panel.zone)) fail(`zone must be one of ${ADMIN_ZONES.join(', ')}`, `${key}.zone`);
    const title = panel.title;
    const titled = typeof title === 'string' ? title.trim() !== '' : typeof title === 'object' && title !== null && typeof title.en === 'string' && title.en.trim() !== '' && Object.values(title).every((v) => typeof v === 'string');
    if (!titled) fail('panel title must be a non-empty string, or strings by language with at least "en"', `${key}.title`);
    if (panel.permission !== undefined && typeof panel.permission !== 'string') fail('panel permission must be a permission name', `${key}.permission`);
    if (panel.order !== undefined && !Number.isFinite(panel.order)) fail('panel order must be a number', `${key}.order`);
    if (panel.zone === 'page') {
      if (typeof panel.path !== 'string' || !PAGE_PATH.test(panel.path)) fail('a page panel needs a kebab-case path, like "articles"', `${key}.path`);
      if (seen.has(`page:${panel.path}`)) fail(`page ${panel.path} is declared twice`, `${key}.path`);
      seen.add(`page:${panel.path}`);
    } else if (panel.path !== undefined) fail('only page panels have a path', `${key}.path`);
  });
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
