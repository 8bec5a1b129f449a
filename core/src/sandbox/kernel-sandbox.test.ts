import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PluginInitContext, type SandboxService, definePlugin } from '@ticketops/plugin-sdk';
import { type TestKernel, startTestKernel } from '../testing/index.ts';
import { loadConfig } from '../config/config.ts';
import { createTenant } from '../kernel/tenants.ts';
import { createTicket } from '../tickets/ticket-service.ts';
import type { SandboxSupervisor } from './supervisor.ts';

/** A plugin as the automation plugin will be: it registers a capability and resolves `sandbox` in init. */
let ctx: PluginInitContext<unknown>;
let resolvedInInit: SandboxService | undefined;
const probe = definePlugin({
  id: 'probe', version: '1.0.0', kernel: '^0.1.0',
  register(r) {
    r.sandboxCapabilities([{
      name: 'probe.whoami',
      description: 'The tenant the call runs for, as the plugin sees it',
      signature: '() => Promise<{ tenantId: string; actor: string }>',
      handler: (_args, call) => ctx.forTenant(call.tenantId, async (scope) => ({ tenantId: scope.tenantId, actor: scope.actor.kind, scriptId: call.scriptId })),
    }]);
  },
  init(c) {
    ctx = c as PluginInitContext<unknown>;
    resolvedInInit = c.resolve<SandboxService>('sandbox');
  },
});

let t: TestKernel;
let sandbox: SandboxService;
const tenantA = 'ten_default';
let tenantB: string;
let ticketA: string;
let ticketB: string;
let userA: string;

beforeAll(async () => {
  t = await startTestKernel({ plugins: [{ definition: probe }], workers: false, config: { sandbox: { workers: 1, tenantQueueBound: 3 } } });
  sandbox = t.kernel.container.resolve<SandboxService>('sandbox');
  tenantB = (await createTenant(t.kernel.db, { slug: 'other-co', name: 'Other Co' })).id;
  ticketA = (await t.kernel.runAsSystem(tenantA, 'test', (s) => createTicket(s, t.kernel.hooks, { title: 'Printer on fire', requester: { email: 'a@example.org' } }))).id;
  ticketB = (await t.kernel.runAsSystem(tenantB, 'test', (s) => createTicket(s, t.kernel.hooks, { title: 'Secret of B', requester: { email: 'b@example.org' } }))).id;
  userA = (await t.createUser({ role: 'agent', name: 'Ada Agent', email: 'ada@example.org', password: 'a long test password' })).id;
});
let workerPids: number[] = [];
afterAll(async () => {
  await t?.close();
  // Kernel.stop() ended the sandbox: no worker outlives the kernel.
  for (const pid of workerPids) expect(() => process.kill(pid, 0)).toThrow();
});

const run = (tenantId: string, source: string, input: unknown, capabilities: string[]) => sandbox.run({ tenantId, scriptId: 'rule_k', version: 1, source, input, capabilities, limits: { wallMs: 2000, cpuMs: 500 } });

describe('the kernel sandbox service', () => {
  it('is one service: plugins resolve it in init and from a scope; it lists kernel and plugin capabilities', async () => {
    expect(resolvedInInit).toBe(sandbox);
    expect(await ctx.forTenant(tenantA, async (scope) => scope.resolve('sandbox'))).toBe(sandbox);
    expect(sandbox.capabilities().map((c) => c.name)).toEqual(['tickets.get', 'users.get', 'probe.whoami']);
    expect(sandbox.capabilities()[0]).not.toHaveProperty('handler');
  });

  it('tickets.get returns a JSON ticket of the run tenant; another tenant\'s id is not found', async () => {
    const source = `export default async ({ id }, ctx) => {
      try { return { ticket: await ctx.tickets.get(id) }; } catch (error) { return { error: error.code, message: error.message }; }
    }`;
    const own = await run(tenantA, source, { id: ticketA }, ['tickets.get']);
    expect(own.outcome).toBe('ok');
    expect((own.value as { ticket: Record<string, unknown> }).ticket).toMatchObject({ id: ticketA, tenantId: tenantA, title: 'Printer on fire', status: 'new' });
    // Tenant A's script asks for tenant B's ticket: the handler looks only in tenant A.
    expect((await run(tenantA, source, { id: ticketB }, ['tickets.get'])).value).toEqual({ error: 'not_found', message: 'Ticket was not found' });
    expect((await run(tenantB, source, { id: ticketB }, ['tickets.get'])).value).toMatchObject({ ticket: { id: ticketB, title: 'Secret of B' } });
    expect((await run(tenantA, source, { id: 42 }, ['tickets.get'])).value).toMatchObject({ error: 'invalid_input' });
  });

  it('users.get returns id, name, email and role only, within the tenant', async () => {
    const source = `export default async ({ id }, ctx) => { try { return await ctx.users.get(id); } catch (error) { return error.code; } }`;
    const own = await run(tenantA, source, { id: userA }, ['users.get']);
    expect(own.value).toEqual({ id: userA, name: 'Ada Agent', email: 'ada@example.org', role: 'agent' });
    expect((await run(tenantB, source, { id: userA }, ['users.get'])).value).toBe('not_found');
  });

  it('a plugin capability runs as the tenant system actor of the run', async () => {
    const result = await run(tenantB, 'export default (input, ctx) => ctx.probe.whoami()', null, ['probe.whoami']);
    expect(result.value).toEqual({ tenantId: tenantB, actor: 'system', scriptId: 'rule_k' });
    // Not granted: absent, even though registered.
    expect((await run(tenantB, 'export default (input, ctx) => [typeof ctx.probe, typeof ctx.tickets]', null, [])).value).toEqual(['undefined', 'undefined']);
  });

  it('started its workers on first use (kernel shutdown must end them: checked after close)', async () => {
    workerPids = (t.kernel.sandbox as SandboxSupervisor).workerPids();
    expect(workerPids.length).toBeGreaterThan(0);
  });

  it('takes its pool size from the kernel config (sandbox.workers)', async () => {
    await sandbox.run({ tenantId: tenantA, scriptId: 'size', version: 1, source: 'export default () => 1', input: null });
    expect((t.kernel.sandbox as SandboxSupervisor).stats().workers).toBe(1);
    // Workers are niced by default; SCHED_IDLE is opt-in (sandbox.workerScheduling / TICKETOPS_SANDBOX_SCHEDULING).
    expect((t.kernel.sandbox as SandboxSupervisor).stats().workerScheduling).toBe('nice');
    expect(loadConfig({ TICKETOPS_SANDBOX_SCHEDULING: 'idle' }).sandbox).toEqual({ workerScheduling: 'idle' });
    expect(loadConfig({ TICKETOPS_SANDBOX_CPUS: '2-3' }).sandbox).toEqual({ workerScheduling: 'nice', workerCpus: '2-3' });
    expect(() => loadConfig({ TICKETOPS_SANDBOX_CPUS: '1; rm -rf /' })).toThrow(/workerCpus/);
    expect(() => loadConfig({ TICKETOPS_SANDBOX_SCHEDULING: 'realtime' })).toThrow(/workerScheduling/);
  });
});
