import { describe, expect, it } from 'vitest';
import { type PluginDefinition, definePlugin, isTicketOpsError } from '@ticketops/plugin-sdk';
import { loadPlugins } from './loader.ts';

const plugin = (id: string, extra: Partial<PluginDefinition<any>> = {}) => definePlugin({ id, version: '1.0.0', kernel: '^0.1.0', ...extra });

function errorOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (!isTicketOpsError(error)) throw error;
    return error;
  }
  throw new Error('expected an error');
}

describe('plugin loader', () => {
  it('orders plugins after their dependencies, optional ones included when enabled', () => {
    const order = loadPlugins([
      { definition: plugin('automation', { dependsOn: ['sla'], optionalDependsOn: ['email', 'analytics'] }) },
      { definition: plugin('email') },
      { definition: plugin('sla', { dependsOn: ['email'] }) },
    ]).map((p) => p.definition.id);
    expect(order).toEqual(['email', 'sla', 'automation']);
  });

  it('rejects a duplicate id before anything else', () => {
    const error = errorOf(() => loadPlugins([{ definition: plugin('sla') }, { definition: plugin('sla', { dependsOn: ['missing'] }) }]));
    expect(error.code).toBe('plugin_duplicate');
    expect(error.message).toContain('"sla"');
  });

  it('names the plugin and the missing dependency', () => {
    const error = errorOf(() => loadPlugins([{ definition: plugin('sla', { dependsOn: ['calendar'] }) }]));
    expect(error.code).toBe('plugin_dependency_missing');
    expect(error.message).toBe('Plugin "sla" depends on "calendar", which is not enabled (dependsOn)');
  });

  it('reports a cycle with its path', () => {
    const error = errorOf(() =>
      loadPlugins([
        { definition: plugin('a', { dependsOn: ['b'] }) },
        { definition: plugin('b', { dependsOn: ['c'] }) },
        { definition: plugin('c', { dependsOn: ['a'] }) },
      ]),
    );
    expect(error.code).toBe('plugin_dependency_cycle');
    expect(error.message).toBe('Plugin dependency cycle: a -> b -> c -> a');
  });

  it('lists every config error of every plugin, naming plugin and key, and applies defaults', () => {
    const schema = {
      type: 'object', additionalProperties: false, required: ['apiKey'],
      properties: { apiKey: { type: 'string' }, retries: { type: 'integer', minimum: 0, default: 3 } },
    };
    const error = errorOf(() =>
      loadPlugins([
        { definition: plugin('email', { configSchema: schema }), config: { retries: -1, colour: 'red' } },
        { definition: plugin('sla', { configSchema: schema }), config: { apiKey: 5 } },
      ]),
    );
    expect(error.code).toBe('plugin_config_invalid');
    expect(error.details.map((d) => d.pointer).sort()).toEqual([
      'plugins.email.config.apiKey', 'plugins.email.config.colour', 'plugins.email.config.retries', 'plugins.sla.config.apiKey',
    ]);
    expect(error.message).toContain('plugins.email.config.retries must be >= 0');

    const [loaded] = loadPlugins([{ definition: plugin('email', { configSchema: schema }), config: { apiKey: 'k' } }]);
    expect(loaded?.config).toEqual({ apiKey: 'k', retries: 3 });
  });

  it('rejects definitions not made with definePlugin, bad ids and kernel ranges that exclude this kernel', () => {
    expect(errorOf(() => loadPlugins([{ definition: { id: 'raw', version: '1.0.0', kernel: '*' } as never }])).message).toContain('definePlugin');
    expect(errorOf(() => loadPlugins([{ definition: plugin('Bad_Id') }])).message).toContain('kebab-case');
    const range = errorOf(() => loadPlugins([{ definition: plugin('future', { kernel: '^2.0.0' }) }]));
    expect(range.message).toContain('needs kernel ^2.0.0');
  });

  it('accepts admin panels in known zones and rejects bad zones, element names, module paths and titles', () => {
    const admin = (panels: unknown[], extra: Record<string, unknown> = {}) => ({ assets: new URL('file:///srv/hello/dist/admin/'), module: 'panels.js', panels, ...extra }) as never;
    const ok = { element: 'to-hello-greeting', zone: 'ticket.sidebar', title: { en: 'Greeting', de: 'Gruß' } };
    expect(loadPlugins([{ definition: plugin('hello', { admin: admin([ok, { ...ok, zone: 'nav.main', title: 'Hello' }]) }) }])).toHaveLength(1);

    const message = (a: unknown) => errorOf(() => loadPlugins([{ definition: plugin('hello', { admin: a as never }) }])).message;
    expect(message(admin([{ ...ok, zone: 'ticket.footer' }]))).toBe(
      'Plugin "hello": zone must be one of ticket.sidebar, ticket.toolbar, settings.section, nav.main, dashboard.widget, ticket.composer, comment.attachments, page, portal.home, portal.composer, portal.message.attachments (admin.panels[0].zone)',
    );
    expect(message(admin([ok, { ...ok, element: 'hello-greeting' }]))).toContain('to-hello-<name> (lower case) (admin.panels[1].element)');
    expect(message(admin([{ ...ok, element: 'to-sla-timer' }]))).toContain('(admin.panels[0].element)');
    expect(message(admin([ok, ok]))).toContain('declared twice');
    // Pages: a kebab-case path each, once per plugin; other zones take none.
    const pageOk = { ...ok, zone: 'page', path: 'greetings' };
    expect(loadPlugins([{ definition: plugin('hello', { admin: admin([pageOk]) }) }])).toHaveLength(1);
    expect(message(admin([{ ...pageOk, path: undefined }]))).toContain('a page panel needs a kebab-case path, like "articles" (admin.panels[0].path)');
    expect(message(admin([{ ...pageOk, path: '../admin' }]))).toContain('(admin.panels[0].path)');
    expect(message(admin([pageOk, { ...pageOk, element: 'to-hello-other' }]))).toContain('page greetings is declared twice (admin.panels[1].path)');
    expect(message(admin([{ ...ok, path: 'x' }]))).toContain('only page panels have a path (admin.panels[0].path)');
    expect(message(admin([{ ...ok, title: '' }]))).toContain('(admin.panels[0].title)');
    expect(message(admin([{ ...ok, title: { de: 'Gruß' } }]))).toContain('(admin.panels[0].title)');
    expect(message(admin([]))).toContain('(admin.panels)');
    for (const module of ['../secret.js', '/etc/panels.js', 'a/../../b.js', 'panels.ts', '']) {
      expect(message(admin([ok], { module })), module).toContain('(admin.module)');
    }
    expect(loadPlugins([{ definition: plugin('hello', { admin: admin([ok], { module: 'chunks/panels.mjs', assets: '/srv/hello/admin' }) }) }])).toHaveLength(1);
    expect(message(admin([ok], { assets: 'relative/dir' }))).toContain('(admin.assets)');
  });
});
