import type { EntityManager } from '@mikro-orm/sql';
import { type JsonSchema, type PluginSettings, TicketOpsError, type TransactionContext, invalidInput, notFound } from '@ticketops/plugin-sdk';
import { createAjv, toDetails } from '../config/ajv.ts';
import type { Database } from '../db/database.ts';
import type { Listener } from '../db/listener.ts';
import type { LoadedPlugin } from './loader.ts';
import { changedKeys, closedSchema, keepSecrets, redactSecrets, secretPaths } from './settings-schema.ts';

export const SETTINGS_CHANNEL = 'ticketops_plugin_settings';
/** Bounds staleness should a notification be lost without the LISTEN connection dropping. */
const TTL_MS = 60_000;

type Obj = Record<string, unknown>;
type Validate = ReturnType<ReturnType<typeof createAjv>['compile']>;
interface Stored {
  value: Obj;
  version: number;
}
interface Entry {
  schema: JsonSchema;
  secrets: string[][];
  /** Fills defaults into a copy (the stored value, or a candidate) and checks it strictly. */
  validate: Validate;
}

const parse = (v: unknown): Obj => (typeof v === 'string' ? JSON.parse(v) : (v as Obj)) ?? {};
/** Also the NOTIFY payload: tenant ids (`ten_…`) and plugin ids (kebab-case) hold no colon. */
const keyOf = (tenantId: string, pluginId: string) => `${tenantId}:${pluginId}`;

/**
 * Per-tenant plugin settings (table `plugin_settings`, migration 0015). Each process caches what
 * it read per tenant and plugin; a save NOTIFYs `ticketops_plugin_settings` in its transaction, so
 * every process forgets the entry when the change commits (the saving one at once), a LISTEN
 * reconnect clears everything, and a TTL bounds the rest. State lives only in PostgreSQL.
 */
export class PluginSettingsStore {
  readonly #db: Database;
  readonly #entries = new Map<string, Entry>();
  readonly #cache = new Map<string, { at: number; stored: Promise<Stored> }>();

  constructor(db: Database, plugins: LoadedPlugin[]) {
    this.#db = db;
    const ajv = createAjv({ useDefaults: true });
    for (const { definition } of plugins) {
      const schema = definition.settingsSchema;
      if (!schema) continue;
      this.#entries.set(definition.id, { schema, secrets: secretPaths(schema), validate: ajv.compile(closedSchema(schema)) });
    }
  }

  async attach(listener: Listener): Promise<void> {
    await listener.on(SETTINGS_CHANNEL, (payload) => this.#cache.delete(payload));
    listener.onReconnect(() => this.#cache.clear());
  }

  /** The plugin's settings schema; 404 for a plugin that is not enabled or has none. */
  schemaOf(pluginId: string): JsonSchema {
    return this.#entry(pluginId).schema;
  }

  /** The settings service a plugin resolves: its own settings only. */
  forPlugin<S>(pluginId: string): PluginSettings<S> {
    if (!this.#entries.has(pluginId)) throw new TicketOpsError('plugin_invalid', `Plugin "${pluginId}" reads settings but declares no settingsSchema`);
    return { get: async (tenantId) => (await this.effective(tenantId, pluginId)).value as S };
  }

  /** Defaults merged with the stored value (a fresh copy), and the stored version (0: never saved). */
  async effective(tenantId: string, pluginId: string): Promise<{ value: Obj; version: number }> {
    const entry = this.#entry(pluginId);
    const stored = await this.#stored(tenantId, pluginId);
    const value = structuredClone(stored.value);
    // Defaults fill in whatever the tenant did not set; a value saved under an older schema is returned as it is.
    entry.validate(value);
    return { value, version: stored.version };
  }

  /** What the API shows: the effective value with secrets that have a value as `null`, their pointers, the version. */
  async view(tenantId: string, pluginId: string): Promise<{ schema: JsonSchema; value: Obj; redacted: string[]; version: number }> {
    const { value, version } = await this.effective(tenantId, pluginId);
    const entry = this.#entry(pluginId);
    return { schema: entry.schema, ...redactSecrets(value, entry.secrets), version };
  }

  /**
   * Replaces a tenant's settings under optimistic concurrency, in `tx`: the body validated strictly
   * (400 naming each field, nothing written), secrets not sent kept, the row written only if its
   * version is still `expectedVersion` (else 412), and a NOTIFY that reaches every node at commit.
   * Returns the new version and the top-level keys that changed.
   */
  async save(tx: TransactionContext, input: { tenantId: string; pluginId: string; body: Obj; expectedVersion: number; actorId: string | null }): Promise<{ version: number; changed: string[] }> {
    const entry = this.#entry(input.pluginId);
    const run = <T>(text: string, params: unknown[]) => tx.em.getConnection().execute(text, params as never[], 'all', (tx.em as EntityManager).getTransactionContext()) as Promise<T[]>;
    const [row] = await run<{ value: unknown; version: number }>('select value, version from plugin_settings where tenant_id = ? and plugin_id = ? for update', [input.tenantId, input.pluginId]);
    const current: Stored = row ? { value: parse(row.value), version: Number(row.version) } : { value: {}, version: 0 };
    if (current.version !== input.expectedVersion) throw stale(input.expectedVersion, current.version);

    const next = keepSecrets(input.body, current.value, entry.secrets);
    const candidate = structuredClone(next);
    if (!entry.validate(candidate)) throw invalidInput('The settings do not match the plugin\'s settings schema', toDetails(entry.validate.errors, '/body'));

    const changed = changedKeys(current.value, next);
    const written = row
      ? await run<{ version: number }>('update plugin_settings set value = ?::jsonb, version = version + 1, updated_at = now(), updated_by = ? where tenant_id = ? and plugin_id = ? and version = ? returning version', [JSON.stringify(next), input.actorId, input.tenantId, input.pluginId, current.version])
      : await run<{ version: number }>('insert into plugin_settings (tenant_id, plugin_id, value, version, updated_by) values (?, ?, ?::jsonb, 1, ?) on conflict (tenant_id, plugin_id) do nothing returning version', [input.tenantId, input.pluginId, JSON.stringify(next), input.actorId]);
    // Another insert won the race for the first save.
    if (!written[0]) throw stale(input.expectedVersion, input.expectedVersion + 1);
    await run('select pg_notify(?, ?)', [SETTINGS_CHANNEL, keyOf(input.tenantId, input.pluginId)]);
    return { version: Number(written[0].version), changed };
  }

  /**
   * Back to the schema's defaults (secrets forgotten too) under optimistic concurrency, in `tx`:
   * the row keeps counting versions, so an ETag from before the reset is stale after it. Returns
   * the new version and the keys that had been set (none, and version 0, when never saved).
   */
  async reset(tx: TransactionContext, input: { tenantId: string; pluginId: string; expectedVersion: number; actorId: string | null }): Promise<{ version: number; changed: string[] }> {
    this.#entry(input.pluginId);
    const run = <T>(text: string, params: unknown[]) => tx.em.getConnection().execute(text, params as never[], 'all', (tx.em as EntityManager).getTransactionContext()) as Promise<T[]>;
    const [row] = await run<{ value: unknown; version: number }>('select value, version from plugin_settings where tenant_id = ? and plugin_id = ? for update', [input.tenantId, input.pluginId]);
    const current: Stored = row ? { value: parse(row.value), version: Number(row.version) } : { value: {}, version: 0 };
    if (current.version !== input.expectedVersion) throw stale(input.expectedVersion, current.version);
    if (!row) return { version: 0, changed: [] };
    const [written] = await run<{ version: number }>(
      `update plugin_settings set value = '{}'::jsonb, version = version + 1, updated_at = now(), updated_by = ? where tenant_id = ? and plugin_id = ? returning version`,
      [input.actorId, input.tenantId, input.pluginId],
    );
    await run('select pg_notify(?, ?)', [SETTINGS_CHANNEL, keyOf(input.tenantId, input.pluginId)]);
    return { version: Number(written!.version), changed: Object.keys(current.value).sort() };
  }

  /** Drops this process's cached entry (the saving node, right after commit). */
  forget(tenantId: string, pluginId: string): void {
    this.#cache.delete(keyOf(tenantId, pluginId));
  }

  #entry(pluginId: string): Entry {
    const entry = this.#entries.get(pluginId);
    if (!entry) throw notFound('Plugin settings');
    return entry;
  }

  #stored(tenantId: string, pluginId: string): Promise<Stored> {
    const key = keyOf(tenantId, pluginId);
    const hit = this.#cache.get(key);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.stored;
    const stored = this.#db
      .query<{ value: unknown; version: number }>('select value, version from plugin_settings where tenant_id = ? and plugin_id = ?', [tenantId, pluginId])
      .then(([row]) => (row ? { value: parse(row.value), version: Number(row.version) } : { value: {}, version: 0 }));
    const cached = { at: Date.now(), stored };
    this.#cache.set(key, cached);
    // A failed read is not remembered.
    stored.catch(() => {
      if (this.#cache.get(key) === cached) this.#cache.delete(key);
    });
    return stored;
  }
}

function stale(expected: number, current: number): TicketOpsError {
  return new TicketOpsError('precondition_failed', `The settings changed since version ${expected} (now ${current}); reload and retry`, { extra: { currentVersion: current } });
}
