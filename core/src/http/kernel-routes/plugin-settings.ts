import { type RouteDefinition, TicketOpsError, defineRoute, respond } from '@ticketops/plugin-sdk';
import type { Kernel } from '../../kernel/kernel.ts';

const params = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } };
const settingsView = {
  type: 'object',
  required: ['pluginId', 'schema', 'value', 'redacted', 'version'],
  properties: {
    pluginId: { type: 'string' },
    schema: { type: 'object', description: "The plugin's settings schema (JSON Schema 2020-12); `writeOnly` properties are secrets" },
    value: { type: 'object', description: "Defaults merged with the tenant's saved settings; a secret that is set is `null`" },
    redacted: { type: 'array', items: { type: 'string' }, description: 'JSON pointers of the secrets that are set (withheld)' },
    version: { type: 'integer', minimum: 0, description: '0 until the first save; the ETag is this number, quoted' },
  },
};

const etag = (version: number) => `"${version}"`;

/** `If-Match: "3"` (or W/"3") → 3. Required: settings are replaced whole, so a blind write could undo someone's change. */
function ifMatch(headers: Record<string, string | string[] | undefined>): number {
  const raw = headers['if-match'];
  if (raw === undefined) {
    throw new TicketOpsError('precondition_required', 'Send If-Match with the ETag from GET …/settings, so a change made meanwhile is not overwritten', { details: [{ pointer: '/headers/if-match', message: 'is required' }] });
  }
  const match = typeof raw === 'string' ? /^(?:W\/)?"(\d+)"$/.exec(raw.trim()) : null;
  if (!match) throw new TicketOpsError('invalid_input', 'If-Match must be an ETag this API returned, like "3"', { details: [{ pointer: '/headers/if-match', message: 'is not a settings ETag' }] });
  return Number(match[1]);
}

/**
 * A tenant's settings of an enabled plugin (its `settingsSchema`), read and replaced by the
 * tenant's admins. Not the plugin's config: that is the operator's, read-only here.
 */
export const pluginSettingsRoutes = (kernel: Kernel): RouteDefinition[] => [
  defineRoute<{ id: string }>({
    method: 'get', path: '/plugins/:id/settings', summary: "This help desk's settings of an enabled plugin, with the schema (secrets withheld)", tags: ['plugins'], permission: 'plugins.read',
    description: '404 when the plugin is not enabled or has no settings schema. The ETag is the version, for `If-Match` on PUT.',
    schema: { params, response: { 200: settingsView } },
    async handler({ scope, params: { id } }) {
      const view = await kernel.pluginSettings.view(scope.tenantId, id);
      return respond(200, { pluginId: id, ...view }, { ETag: etag(view.version) });
    },
  }),
  defineRoute<{ id: string }, unknown, Record<string, unknown>>({
    method: 'put', path: '/plugins/:id/settings', summary: "Replace this help desk's settings of a plugin (optimistic concurrency)", tags: ['plugins'], permission: 'plugins.configure',
    description:
      'The body is the whole settings object, checked strictly against the plugin\'s settings schema (unknown keys refused; each failing field named in `errors`). Left-out keys fall back to their defaults; a secret sent as `null` or left out keeps its stored value. `If-Match` is required (428 without it); a stale one answers 412 and changes nothing. Audited (changed keys only) and announced as `plugin.settings.changed`.',
    schema: { params, body: { type: 'object', description: "The settings, as the plugin's settings schema describes them" }, response: { 200: settingsView } },
    async handler({ scope, params: { id }, body, headers }) {
      kernel.pluginSettings.schemaOf(id); // 404 before anything else
      const expectedVersion = ifMatch(headers);
      await scope.transactional(async (tx) => {
        const { version, changed } = await kernel.pluginSettings.save(tx, { tenantId: scope.tenantId, pluginId: id, body, expectedVersion, actorId: scope.actor.userId });
        await tx.audit({ action: 'plugin.settings.changed', targetType: 'plugin', targetId: id, data: { version, changed } });
        await tx.emit('plugin.settings.changed', { pluginId: id, version, changed });
      });
      kernel.pluginSettings.forget(scope.tenantId, id);
      const view = await kernel.pluginSettings.view(scope.tenantId, id);
      return respond(200, { pluginId: id, ...view }, { ETag: etag(view.version) });
    },
  }),
  defineRoute<{ id: string }>({
    method: 'delete', path: '/plugins/:id/settings', summary: "Reset this help desk's settings of a plugin to the schema's defaults (optimistic concurrency)", tags: ['plugins'], permission: 'plugins.configure',
    description: 'Saved values and secrets are forgotten; the version still counts up, so an older ETag is stale afterwards. `If-Match` is required (428 without it, 412 when stale). Audited (`plugin.settings.reset`, the keys that had been set) and announced as `plugin.settings.changed`.',
    schema: { params, response: { 200: settingsView } },
    async handler({ scope, params: { id }, headers }) {
      kernel.pluginSettings.schemaOf(id); // 404 before anything else
      const expectedVersion = ifMatch(headers);
      await scope.transactional(async (tx) => {
        const { version, changed } = await kernel.pluginSettings.reset(tx, { tenantId: scope.tenantId, pluginId: id, expectedVersion, actorId: scope.actor.userId });
        if (!changed.length) return;
        await tx.audit({ action: 'plugin.settings.reset', targetType: 'plugin', targetId: id, data: { version, changed } });
        await tx.emit('plugin.settings.changed', { pluginId: id, version, changed });
      });
      kernel.pluginSettings.forget(scope.tenantId, id);
      const view = await kernel.pluginSettings.view(scope.tenantId, id);
      return respond(200, { pluginId: id, ...view }, { ETag: etag(view.version) });
    },
  }),
];
