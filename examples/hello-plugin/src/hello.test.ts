import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin, isTicketOpsError } from '@ticketops/plugin-sdk';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { type HelloHooks, helloHooks, helloPlugin } from './index.ts';

/** A dependent plugin proving that published hooks and namespaced services reach declared dependents. */
const welcomed: string[] = [];
const fan = definePlugin({
  id: 'hello-fan',
  version: '1.0.0',
  kernel: '^0.1.0',
  dependsOn: ['hello'],
  init({ hooksOf, resolve }) {
    const hooks: HelloHooks = hooksOf(helloHooks);
    hooks.afterWelcome.tapPromise('hello-fan', async ({ userId }) => {
      welcomed.push(userId);
    });
    const greeter = resolve<{ greet(name: string): string }>('hello.greeter');
    welcomed.push(`service says: ${greeter.greet('fan')}`);
    // `settings` is always the asking plugin's own: a dependent never reads hello's.
    try {
      resolve('settings');
    } catch (error) {
      welcomed.push(`settings: ${(error as Error).message}`);
    }
  },
});

let t: TestKernel;
let agent: { id: string; token: string };
beforeAll(async () => {
  t = await startTestKernel({ plugins: [{ definition: fan }, { definition: helloPlugin, config: { greeting: 'Howdy', blockedDomains: ['spam.test'] } }] });
  agent = await t.createUser({ role: 'agent' });
});
afterAll(async () => {
  await t?.close();
});

describe('example plugin: the whole contract', () => {
  it('loads after its dependency and exposes its service to the dependent', () => {
    expect(t.kernel.plugins.map((p) => p.definition.id)).toEqual(['hello', 'hello-fan']);
    expect(welcomed).toContain('service says: Howdy, fan!');
  });

  it('mounts its route under /api/v1/hello, with its config and its permission', async () => {
    const res = await t.request('POST', '/api/v1/hello/greetings', { token: agent.token, body: { name: 'Grace' } });
    expect(res.status).toBe(201);
    expect(res.body.message).toBe('Howdy, Grace!');
    const list = await t.request('GET', '/api/v1/hello/greetings', { token: agent.token });
    expect(list.body.items.map((g: { message: string }) => g.message)).toContain('Howdy, Grace!');
    const customer = await t.createUser({ role: 'customer' });
    expect((await t.request('POST', '/api/v1/hello/greetings', { token: customer.token, body: { name: 'X' } })).status).toBe(403);
  });

  it("greets with this help desk's settings, read through the settings service, falling back to the config", async () => {
    const admin = await t.createUser({ role: 'admin' });
    const settings = await t.request('GET', '/api/v1/plugins/hello/settings', { token: admin.token });
    expect(settings.body).toMatchObject({ value: { exclaim: true }, version: 0 });
    const saved = await t.request('PUT', '/api/v1/plugins/hello/settings', { token: admin.token, body: { greeting: 'Moin', exclaim: false }, headers: { 'if-match': settings.headers.get('etag') as string } });
    expect(saved.status).toBe(200);
    expect((await t.request('POST', '/api/v1/hello/greetings', { token: agent.token, body: { name: 'Grace' } })).body.message).toBe('Moin, Grace.');
    const reset = await t.request('PUT', '/api/v1/plugins/hello/settings', { token: admin.token, body: {}, headers: { 'if-match': saved.headers.get('etag') as string } });
    expect(reset.body.value).toEqual({ exclaim: true });
    expect((await t.request('POST', '/api/v1/hello/greetings', { token: agent.token, body: { name: 'Grace' } })).body.message).toBe('Howdy, Grace!');
    expect(welcomed).toContain('settings: Plugin "hello-fan" reads settings but declares no settingsSchema');
  });

  it('taps kernel hooks: transforms input and vetoes with a 400 naming the field, writing nothing', async () => {
    const admin = await t.createUser({ role: 'admin' });
    const ok = await t.request('POST', '/api/v1/users', { token: admin.token, body: { email: 'tidy@example.com', name: '  Tidy   Name ', role: 'agent' } });
    expect(ok.status).toBe(201);
    expect(ok.body.name).toBe('Tidy Name');
    const vetoed = await t.request('POST', '/api/v1/users', { token: admin.token, body: { email: 'bot@spam.test', name: 'Bot', role: 'agent' } });
    expect(vetoed.status).toBe(400);
    expect(vetoed.body.errors).toEqual([{ pointer: '/body/email', message: 'Email domain spam.test is not allowed' }]);
    expect(await t.kernel.db.query('select 1 from app_user where email = ?', ['bot@spam.test'])).toHaveLength(0);
  });

  it('its subscriber reacts to user.created after commit, once, and fires its own hook', async () => {
    const user = await t.createUser({ role: 'agent' });
    const end = Date.now() + 15_000;
    let rows: { user_id: string; message: string }[] = [];
    while (Date.now() < end) {
      rows = await t.kernel.db.query('select user_id, message from hello_greeting where user_id = ?', [user.id]);
      if (rows.length > 0 && welcomed.includes(user.id)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(rows).toEqual([{ user_id: user.id, message: 'Howdy, welcome aboard!' }]);
    expect(welcomed).toContain(user.id);
  });

  it('documents its route in the OpenAPI document', async () => {
    const doc = (await t.request('GET', '/api/v1/openapi.json')).body;
    expect(doc.paths['/api/v1/hello/greetings'].post['x-permission']).toBe('hello.greetings.write');
    expect(doc.paths['/api/v1/hello/greetings'].post.requestBody.content['application/json'].schema.required).toEqual(['name']);
  });

  it('contributes its permissions to the built-in agent role', async () => {
    const me = await t.request('GET', '/api/v1/me', { token: agent.token });
    expect(me.body.permissions).toEqual(expect.arrayContaining(['hello.greetings.read', 'hello.greetings.write']));
  });
});

describe('plugin isolation at boot', () => {
  it('a plugin resolving a service of a plugin it did not declare fails at boot, naming both', async () => {
    const sneaky = definePlugin({
      id: 'sneaky', version: '1.0.0', kernel: '^0.1.0',
      init({ resolve }) {
        resolve('hello.greeter');
      },
    });
    const error = await startTestKernel({ workers: false, plugins: [{ definition: helloPlugin }, { definition: sneaky }] }).catch((e) => e);
    expect(isTicketOpsError(error)).toBe(true);
    expect(error.message).toContain('Plugin "sneaky" failed in init');
    expect(error.message).toContain('does not declare "hello" in dependsOn');
  });

  it('a plugin that is not enabled is not loaded: no routes, no tables, no permissions', async () => {
    const bare = await startTestKernel({ workers: false });
    try {
      const admin = await bare.createUser({ role: 'admin' });
      expect((await bare.request('GET', '/api/v1/hello/greetings', { token: admin.token })).status).toBe(404);
      const doc = (await bare.request('GET', '/api/v1/openapi.json')).body;
      expect(Object.keys(doc.paths).some((p) => p.startsWith('/api/v1/hello'))).toBe(false);
      expect(await bare.kernel.db.query(`select to_regclass('hello_greeting')::text as t`)).toEqual([{ t: null }]);
    } finally {
      await bare.close();
    }
  });

  it('published hooks are reachable only by plugins that depend on the publisher', async () => {
    const outsider = definePlugin({
      id: 'outsider', version: '1.0.0', kernel: '^0.1.0',
      init({ hooksOf }) {
        hooksOf(helloHooks).afterWelcome.tapPromise('outsider', async () => {});
      },
    });
    const error = await startTestKernel({ workers: false, plugins: [{ definition: helloPlugin }, { definition: outsider }] }).catch((e) => e);
    expect(error.message).toContain('does not declare "hello" in dependsOn');
  });
});
