import { describe, expect, it } from 'vitest';
import { AsyncSeriesBailHook, AsyncSeriesWaterfallHook } from 'tapable';
import { type HookContext, STAGE, type Veto, isTicketOpsError } from '@ticketops/plugin-sdk';
import { createKernelHooks, instrumentHooks, runValidate } from './hooks.ts';

const ctx = {} as never;

describe('kernel hooks', () => {
  it('are frozen: no plugin can add or replace a hook', () => {
    const hooks = createKernelHooks();
    expect(Object.isFrozen(hooks)).toBe(true);
    expect(Object.isFrozen(hooks.user)).toBe(true);
    expect(() => {
      (hooks.user as unknown as Record<string, unknown>).beforeCreate = null;
    }).toThrow(TypeError);
  });

  it('waterfall: each tap transforms the previous value, in stage order', async () => {
    const hooks = instrumentHooks('demo', { beforeCreate: new AsyncSeriesWaterfallHook<[string[], unknown]>(['value', 'ctx']) });
    hooks.beforeCreate.tapPromise({ name: 'late', stage: STAGE.AUDIT }, async (v) => [...v, 'late']);
    hooks.beforeCreate.tapPromise({ name: 'early', stage: STAGE.VALIDATE }, async (v) => [...v, 'early']);
    hooks.beforeCreate.tapPromise({ name: 'mid', stage: STAGE.DEFAULT }, async (v) => [...v, 'mid']);
    expect(await hooks.beforeCreate.promise([], ctx)).toEqual(['early', 'mid', 'late']);
  });

  it('bail: the first veto stops the chain and becomes the error it names', async () => {
    const hooks = instrumentHooks('demo', { validateThing: new AsyncSeriesBailHook<[string, HookContext], Veto | undefined>(['value', 'ctx']) });
    const calls: string[] = [];
    hooks.validateThing.tapPromise({ name: 'ok', stage: STAGE.VALIDATE }, async () => {
      calls.push('ok');
      return undefined;
    });
    hooks.validateThing.tapPromise('veto', async (v) => {
      calls.push('veto');
      return v === 'bad' ? { code: 'invalid_input', message: 'bad value', pointer: '/body/value' } : undefined;
    });
    hooks.validateThing.tapPromise({ name: 'never', stage: STAGE.AUDIT }, async () => {
      calls.push('never');
      return undefined;
    });
    await expect(runValidate(hooks.validateThing, 'good', ctx)).resolves.toBeUndefined();
    calls.length = 0;
    const error = await runValidate(hooks.validateThing, 'bad', ctx).catch((e) => e);
    expect(calls).toEqual(['ok', 'veto']);
    expect(isTicketOpsError(error) && error.code).toBe('invalid_input');
    expect(error.details).toEqual([{ pointer: '/body/value', message: 'bad value' }]);
  });

  it('wraps a throwing tap as hook_failed naming the hook and the plugin, keeping the cause', async () => {
    const hooks = instrumentHooks('ticket', { beforeCreate: new AsyncSeriesWaterfallHook<[number, unknown]>(['v', 'ctx']) });
    const boom = new Error('boom');
    hooks.beforeCreate.tapPromise('sla', async () => {
      throw boom;
    });
    const error = await hooks.beforeCreate.promise(1, ctx).catch((e) => e);
    expect(isTicketOpsError(error)).toBe(true);
    expect(error.code).toBe('hook_failed');
    expect(error.message).toBe('Hook ticket.beforeCreate failed in tap "sla": boom');
    expect(error.cause).toBe(boom);
  });

  it('refuses synchronous and callback taps on async hooks', () => {
    const hooks = instrumentHooks('ticket', { beforeCreate: new AsyncSeriesWaterfallHook<[number, unknown]>(['v', 'ctx']) });
    expect(() => hooks.beforeCreate.tap('sla', (v) => v)).toThrow(/tapPromise/);
  });
});
