import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PluginSettings, defineRoute, definePlugin } from '@ticketops/plugin-sdk';
import { createToken } from '../../auth/tokens.ts';
import { createTenant } from '../../kernel/tenants.ts';
import { loadPlugins } from '../../plugins/loader.ts';
import { type TestKernel, startTestKernel, testDatabaseUrl } from '../../testing/index.ts';
import { createUser } from '../../users/users.ts';

interface VaultSettings {
  subjectTag: string;
  retries: number;
  signature?: string;
  apiKey?: string;
  nested: { region: 'eu' | 'us' };
}

const settingsSchema = {
  type: 'object',
  properties: {
    subjectTag: { type: 'string', maxLength: 20, default: '[Help]' },
    retries: { type: 'integer', minimum: 0, maximum: 5, default: 3 },
    signature: { type: 'string', maxLength: 200 },
    apiKey: { type: 'string', minLength: 4, writeOnly: true },
    nested: { type: 'object', default: {}, properties: { region: { enum: ['eu', 'us'], default: 'eu' } } },
  },
};

/** A plugin reading its own settings through the kernel service, as a route would. */
const vault = definePlugin({
  id: 'vault', version: '1.0.0', kernel: '^0.1.0', settingsSchema,
  configSchema: { type: 'object', properties: { apiKey: { type: 'string' } } },
  register(r) {
    r.routes([
      defineRoute({
        method: 'get', path: '/effective', summary: 'The settings as the plugin sees them', permission: null,
        async handler({ scope }) {
          return scope.resolve<PluginSettings<VaultSettings>>('settings').get(scope.tenantId);
        },
      }),
    ]);
    r.subscribe('plugin.settings.changed', { id: 'seen' }, async () => {});
  },
});
const plain = definePlugin({
  id: 'plain', version: '1.0.0', kernel: '^0.1.0',
  init({ resolve }) {
    expect(() => resolve('settings')).toThrow(/declares no settingsSchema/);
  },
});

let t: TestKernel;
let admin: { id: string; token: string };
let agent: { id: string; token: string };
let other: { token: string; tenantId: string };

const get = (token: string, node = t) => node.request('GET', '/api/v1/plugins/vault/settings', { token });
const put = (body: unknown, ifMatch: string | undefined, token = admin.token) =>
  t.request('PUT', '/api/v1/plugins/vault/settings', { token, body, headers: ifMatch === undefined ? {} : { 'if-match': ifMatch } });
const effective = async (token: string, node = t) => (await node.request('GET', '/api/v1/vault/effective', { token })).body as VaultSettings;

beforeAll(async () => {
  t = await startTestKernel({ workers: false, plugins: [{ definition: vault, config: { apiKey: 'install-key' } }, { definition: plain }] });
  admin = await t.createUser({ role: 'admin' });
  agent = await t.createUser({ role: 'agent' });
  const tenant = await createTenant(t.kernel.db, { slug: 'beta', name: 'Beta' });
  const user = await t.kernel.runAsSystem(tenant.id, 'test', (scope) => createUser(scope, t.kernel.hooks, { email: 'b@beta.test', name: 'B', role: 'admin', password: 'a long password b' }));
  const { token } = await t.kernel.runAsSystem(tenant.id, 'test', (scope) => createToken(scope, { userId: user.id, name: 'b' }));
  other = { token, tenantId: tenant.id };
});
afterAll(async () => {
  await t?.close();
});

describe('plugin settings', () => {
  it('boot refuses a settings schema that does not compile or whose defaults are invalid, naming the plugin', () => {
    const broken = definePlugin({ id: 'broken', version: '1.0.0', kernel: '^0.1.0', settingsSchema: { type: 'object', properties: { n: { type: 'nonsense' } } } });
    expect(() => loadPlugins([{ definition: broken }])).toThrow(/plugins\.broken\.settingsSchema does not compile/);
    const badDefault = definePlugin({ id: 'bad-default', version: '1.0.0', kernel: '^0.1.0', settingsSchema: { type: 'object', properties: { n: { type: 'integer', maximum: 3, default: 9 } } } });
    expect(() => loadPlugins([{ definition: badDefault }])).toThrow(/plugins\.bad-default\.settings\.n must be <= 3/);
    const notObject = definePlugin({ id: 'not-object', version: '1.0.0', kernel: '^0.1.0', settingsSchema: { type: 'string' } });
    expect(() => loadPlugins([{ definition: notObject }])).toThrow(/plugins\.not-object\.settingsSchema must be an object schema/);
  });

  it('starts at the defaults, version 0, with an ETag; agents may not read it; the config flags it', async () => {
    const res = await get(admin.token);
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"0"');
    expect(res.body).toEqual({ pluginId: 'vault', schema: settingsSchema, value: { subjectTag: '[Help]', retries: 3, nested: { region: 'eu' } }, redacted: [], version: 0 });
    expect((await get(agent.token)).status).toBe(403);
    expect((await t.request('GET', '/api/v1/plugins/vault/config', { token: admin.token })).body).toMatchObject({ writable: false, hasSettings: true });
    // The plugin sees the same defaults, and never the installation config's secret under the same key.
    expect(await effective(admin.token)).toEqual({ subjectTag: '[Help]', retries: 3, nested: { region: 'eu' } });
  });

  it('is documented in the OpenAPI document with its permissions', async () => {
    const doc = (await t.request('GET', '/api/v1/openapi.json')).body;
    const path = doc.paths['/api/v1/plugins/{id}/settings'];
    expect(path.get['x-permission']).toBe('plugins.read');
    expect(path.put['x-permission']).toBe('plugins.configure');
    expect(Object.keys(path.get.responses['200'].content['application/json'].schema.properties)).toEqual(['pluginId', 'schema', 'value', 'redacted', 'version']);
  });

  it('answers 404 for a plugin that is not enabled or has no settings schema', async () => {
    for (const id of ['nope', 'plain']) {
      expect((await t.request('GET', `/api/v1/plugins/${id}/settings`, { token: admin.token })).status).toBe(404);
      expect((await t.request('PUT', `/api/v1/plugins/${id}/settings`, { token: admin.token, body: {}, headers: { 'if-match': '"0"' } })).status).toBe(404);
    }
  });

  it('requires If-Match (428), refuses a malformed one, and needs plugins.configure', async () => {
    const missing = await put({ subjectTag: '[X]' }, undefined);
    expect(missing.status).toBe(428);
    expect(missing.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(missing.body.errors).toEqual([{ pointer: '/headers/if-match', message: 'is required' }]);
    expect((await put({ subjectTag: '[X]' }, 'latest')).status).toBe(400);
    expect((await put({ subjectTag: '[X]' }, '"0"', agent.token)).status).toBe(403);
    expect((await get(admin.token)).body.version).toBe(0);
  });

  it('refuses bad input naming every field, unknown keys and __proto__, writing nothing', async () => {
    const res = await put({ retries: 9, colour: 'red', nested: { region: 'mars', extra: 1 }, apiKey: 'x' }, '"0"');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { pointer: '/body/retries', message: 'must be <= 5' },
        { pointer: '/body/colour', message: 'is not an allowed property' },
        { pointer: '/body/nested/extra', message: 'is not an allowed property' },
        { pointer: '/body/nested/region', message: 'must be one of: eu, us' },
        { pointer: '/body/apiKey', message: 'must NOT have fewer than 4 characters' },
      ]),
    );
    const proto = await t.request('PUT', '/api/v1/plugins/vault/settings', { token: admin.token, rawBody: '{"__proto__":{"admin":true}}', headers: { 'if-match': '"0"' } });
    expect(proto.status).toBe(400);
    expect(proto.body.errors[0].pointer).toBe('/body/__proto__');
    expect((await get(admin.token)).body.version).toBe(0);
    expect(await t.kernel.db.query('select 1 from plugin_settings')).toHaveLength(0);
  });

  it('saves, withholds the secret, keeps it when sent as null or left out, and answers 412 to a stale write', async () => {
    const saved = await put({ subjectTag: '[ACME]', apiKey: 'first-secret' }, '"0"');
    expect(saved.status).toBe(200);
    expect(saved.headers.get('etag')).toBe('"1"');
    expect(saved.body).toMatchObject({ version: 1, value: { subjectTag: '[ACME]', retries: 3, apiKey: null }, redacted: ['/apiKey'] });
    expect(JSON.stringify((await get(admin.token)).body)).not.toContain('first-secret');
    expect(await effective(admin.token)).toEqual({ subjectTag: '[ACME]', retries: 3, apiKey: 'first-secret', nested: { region: 'eu' } });

    const stale = await put({ subjectTag: '[LATE]' }, '"0"');
    expect(stale.status).toBe(412);
    expect(stale.body.currentVersion).toBe(1);

    expect((await put({ subjectTag: '[ACME2]', apiKey: null, signature: 'Thanks' }, '"1"')).status).toBe(200);
    expect((await put({ subjectTag: '[ACME3]', retries: 1 }, 'W/"2"')).status).toBe(200);
    expect(await effective(admin.token)).toEqual({ subjectTag: '[ACME3]', retries: 1, apiKey: 'first-secret', nested: { region: 'eu' } });
    const replaced = await put({ subjectTag: '[ACME3]', retries: 1, apiKey: 'second-secret' }, '"3"');
    expect(replaced.body.version).toBe(4);
    expect((await effective(admin.token)).apiKey).toBe('second-secret');
  });

  it('audits the changed keys only (never a secret) and emits plugin.settings.changed', async () => {
    const audit = await t.request('GET', '/api/v1/audit/search?action=plugin.settings.changed', { token: admin.token });
    expect(audit.body.items.map((e: { data: unknown }) => e.data)).toEqual([
      { version: 4, changed: ['apiKey'] },
      { version: 3, changed: ['retries', 'signature', 'subjectTag'] },
      { version: 2, changed: ['signature', 'subjectTag'] },
      { version: 1, changed: ['apiKey', 'subjectTag'] },
    ]);
    expect(audit.body.items.every((e: { targetId: string; actorId: string }) => e.targetId === 'vault' && e.actorId === admin.id)).toBe(true);
    const everything = JSON.stringify(await t.kernel.db.query('select data from audit_log'));
    expect(everything).not.toContain('first-secret');
    expect(everything).not.toContain('second-secret');
    // workers are off, so the events wait in the subscriber's queue, written with the change.
    const jobs = await t.kernel.db.query<{ data: { name: string; payload: unknown } }>("select data from pgboss.job where name = 'evt.vault.seen' order by created_on");
    expect(jobs.map((j) => j.data.payload)).toEqual([
      { pluginId: 'vault', version: 1, changed: ['apiKey', 'subjectTag'] },
      { pluginId: 'vault', version: 2, changed: ['signature', 'subjectTag'] },
      { pluginId: 'vault', version: 3, changed: ['retries', 'signature', 'subjectTag'] },
      { pluginId: 'vault', version: 4, changed: ['apiKey'] },
    ]);
  });

  it("keeps tenants apart: another tenant sees only its own settings, and its save leaves the first's alone", async () => {
    const seen = await get(other.token);
    expect(seen.body).toMatchObject({ version: 0, value: { subjectTag: '[Help]', retries: 3 }, redacted: [] });
    expect(await effective(other.token)).toEqual({ subjectTag: '[Help]', retries: 3, nested: { region: 'eu' } });
    const saved = await t.request('PUT', '/api/v1/plugins/vault/settings', { token: other.token, body: { subjectTag: '[BETA]', nested: { region: 'us' } }, headers: { 'if-match': '"0"' } });
    expect(saved.status).toBe(200);
    expect(await effective(other.token)).toEqual({ subjectTag: '[BETA]', retries: 3, nested: { region: 'us' } });
    expect(await effective(admin.token)).toMatchObject({ subjectTag: '[ACME3]', apiKey: 'second-secret', nested: { region: 'eu' } });
    const auditB = await t.request('GET', '/api/v1/audit/search?action=plugin.settings.changed', { token: other.token });
    expect(auditB.body.items).toHaveLength(1);
  });

  it('a second node on the same database forgets its cached settings when the first saves', async () => {
    if (!(await testDatabaseUrl())) return; // one embedded database cannot be shared by processes
    const second = await startTestKernel({ workers: false, join: true, plugins: [{ definition: vault }, { definition: plain }] });
    try {
      const before = await effective(admin.token, second);
      expect(before.subjectTag).toBe('[ACME3]'); // now cached on the second node
      expect((await put({ subjectTag: '[NEW]' }, '"4"')).status).toBe(200);
      // The first node forgot at once; the second hears the NOTIFY sent at commit.
      expect((await effective(admin.token)).subjectTag).toBe('[NEW]');
      let seen = before.subjectTag;
      for (let i = 0; i < 40 && seen !== '[NEW]'; i++) {
        seen = (await effective(admin.token, second)).subjectTag;
        if (seen !== '[NEW]') await new Promise((r) => setTimeout(r, 25));
      }
      expect(seen).toBe('[NEW]');
      expect((await effective(admin.token, second)).apiKey).toBe('second-secret');
    } finally {
      await second.close();
    }
  });

  it('resets to the defaults, secrets forgotten, under If-Match; the version keeps counting; audited', async () => {
    const { version } = (await get(admin.token)).body;
    const [stored] = await t.kernel.db.query<{ value: Record<string, unknown> }>("select value from plugin_settings where plugin_id = 'vault' and tenant_id = 'ten_default'");
    const reset = (ifMatch?: string, token = admin.token) => t.request('DELETE', '/api/v1/plugins/vault/settings', { token, headers: ifMatch ? { 'if-match': ifMatch } : {} });
    expect((await reset()).status).toBe(428);
    expect((await reset(`"${version}"`, agent.token)).status).toBe(403);
    expect((await reset(`"${version - 1}"`)).status).toBe(412);
    const done = await reset(`"${version}"`);
    expect(done.status).toBe(200);
    expect(done.headers.get('etag')).toBe(`"${version + 1}"`);
    expect(done.body).toMatchObject({ version: version + 1, value: { subjectTag: '[Help]', retries: 3 }, redacted: [] });
    expect(await effective(admin.token)).toEqual({ subjectTag: '[Help]', retries: 3, nested: { region: 'eu' } });
    // The other tenant's settings stay as they were.
    expect(await effective(other.token)).toMatchObject({ subjectTag: '[BETA]' });
    const audit = await t.request('GET', '/api/v1/audit/search?action=plugin.settings.reset', { token: admin.token });
    expect(audit.body.items.map((e: { data: unknown }) => e.data)).toEqual([{ version: version + 1, changed: Object.keys(stored!.value).sort() }]);
    expect(Object.keys(stored!.value)).toContain('apiKey');
    // An older ETag is stale after the reset, even one that matched a version before it.
    expect((await put({ subjectTag: '[OLD]' }, `"${version}"`)).status).toBe(412);
  });
});
