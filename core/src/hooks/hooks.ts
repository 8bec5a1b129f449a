import { AsyncSeriesBailHook, AsyncSeriesHook, AsyncSeriesWaterfallHook } from 'tapable';
import type { CommentHooks, CreateUserInput, TicketHooks, UserHooks, UserRecord, Veto } from '@ticketops/plugin-sdk';
import { type HookContext, type KernelHooks, TicketOpsError, isTicketOpsError } from '@ticketops/plugin-sdk';
import { hookDuration } from '../http/metrics.ts';

type AnyHook = { intercept(interceptor: object): void };

/**
 * Instruments every tap of a hooks object: times it, and wraps a throw as a `hook_failed`
 * error naming the hook and the tapping plugin. A TicketOpsError thrown on purpose (a
 * `forbidden` from a plugin, say) passes through unchanged, so the caller still sees its code.
 */
export function instrumentHooks<T extends { [K in keyof T]: AnyHook }>(owner: string, hooks: T): Readonly<T> {
  for (const [name, hook] of Object.entries(hooks) as [string, AnyHook][]) {
    const hookName = `${owner}.${name}`;
    hook.intercept({
      register(tap: { name: string; type: string; fn: (...args: unknown[]) => unknown }) {
        const original = tap.fn;
        const wrapped = async (...args: unknown[]) => {
          const started = performance.now();
          try {
            return await original(...args);
          } catch (error) {
            if (isTicketOpsError(error)) throw error;
            throw new TicketOpsError('hook_failed', `Hook ${hookName} failed in tap "${tap.name}": ${(error as Error)?.message ?? error}`, {
              cause: error,
              extra: { hook: hookName, tap: tap.name },
            });
          } finally {
            hookDuration.observe({ hook: hookName, tap: tap.name }, (performance.now() - started) / 1000);
          }
        };
        if (tap.type === 'sync') {
          throw new TicketOpsError('plugin_invalid', `Hook ${hookName} is asynchronous: tap it with tapPromise, not tap (tap "${tap.name}")`);
        }
        if (tap.type === 'async') {
          throw new TicketOpsError('plugin_invalid', `Hook ${hookName}: use tapPromise, not tapAsync (tap "${tap.name}")`);
        }
        return { ...tap, fn: wrapped };
      },
    });
  }
  return Object.freeze(hooks);
}

const waterfall = <T>() => new AsyncSeriesWaterfallHook<[T, HookContext]>(['value', 'ctx']);
const bail = <T>() => new AsyncSeriesBailHook<[T, HookContext], Veto | undefined>(['value', 'ctx']);
const series = <T>() => new AsyncSeriesHook<[T, HookContext]>(['value', 'ctx']);

export function createKernelHooks(): KernelHooks {
  const user: UserHooks = { beforeCreate: waterfall<CreateUserInput>(), validateUser: bail(), afterCreate: series<UserRecord>() };
  const ticket: TicketHooks = { beforeCreate: waterfall(), validateTicket: bail(), afterCreate: series(), beforeUpdate: waterfall(), afterUpdate: series() };
  const comment: CommentHooks = { beforeCreate: waterfall(), afterCreate: series() };
  return Object.freeze({
    user: instrumentHooks('user', user),
    ticket: instrumentHooks('ticket', ticket),
    comment: instrumentHooks('comment', comment),
  });
}

/** Runs a validate hook and turns a veto into the error it names. */
export async function runValidate<T>(hook: AsyncSeriesBailHook<[T, HookContext], Veto | undefined>, value: T, ctx: HookContext): Promise<void> {
  const veto = await hook.promise(value, ctx);
  if (veto) {
    throw new TicketOpsError(veto.code ?? 'forbidden', veto.message, {
      details: veto.pointer ? [{ pointer: veto.pointer, message: veto.message }] : [],
    });
  }
}
