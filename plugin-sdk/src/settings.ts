/**
 * Per-tenant plugin settings: what a tenant's admin may set for a plugin (in the console, or with
 * `PUT /api/v1/plugins/<id>/settings`), described by the plugin's `settingsSchema`. Unlike the
 * plugin's config — installation-wide, set by the operator in the config file, read at boot —
 * settings differ per tenant and change while the server runs.
 */

/** Name of the kernel service a plugin resolves to read its own settings (`resolve('settings')`). */
export const SETTINGS_SERVICE = 'settings';

/**
 * A plugin's view of its own settings; another plugin's are out of reach. Typed by the plugin:
 * `resolve<PluginSettings<MySettings>>('settings')`.
 */
export interface PluginSettings<S = Record<string, unknown>> {
  /**
   * The tenant's settings: the schema's defaults merged with what the tenant's admin saved,
   * secrets (`writeOnly`) included — they never leave the server through the API. A fresh copy
   * on each call; cached per process and invalidated on every node when an admin saves.
   */
  get(tenantId: string): Promise<S>;
}
