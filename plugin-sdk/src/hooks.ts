import type { AsyncSeriesBailHook, AsyncSeriesHook, AsyncSeriesWaterfallHook } from 'tapable';
import type { Actor } from './scope.ts';

/** What every kernel hook receives beside its value: who acts, for which tenant, in which transaction. */
export interface HookContext {
  tenantId: string;
  actor: Actor;
  requestId: string;
  /** The transaction's entity manager; after-hooks may only enqueue side effects through `emit`. */
  em: import('@mikro-orm/sql').EntityManager;
  emit(event: string, payload: Record<string, unknown>): Promise<void>;
}

/** A veto returned by a `validate*` hook stops the operation with this error. */
export interface Veto {
  code?: 'forbidden' | 'invalid_input' | 'conflict';
  message: string;
  pointer?: string;
}

/** `before<Verb>`: transforms the input inside the transaction. */
export type BeforeHook<T> = AsyncSeriesWaterfallHook<[T, HookContext], T>;
/** `validate<Noun>`: the first tap returning a Veto stops the operation. */
export type ValidateHook<T> = AsyncSeriesBailHook<[T, HookContext], Veto | undefined>;
/** `after<Verb>`: inside the transaction, after the write; may only enqueue side effects. */
export type AfterHook<T> = AsyncSeriesHook<[T, HookContext]>;

/** Typed handle to hooks a plugin owns and publishes to the plugins depending on it. */
export interface HooksRef<T extends object> {
  readonly pluginId: string;
  readonly name: string;
  /** Phantom field carrying the hooks' type; never set at run time. */
  readonly __type?: T;
}

export function createHooksRef<T extends object>(pluginId: string, name = 'hooks'): HooksRef<T> {
  return Object.freeze({ pluginId, name });
}

export interface UserRecord {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: string;
}

export interface CreateUserInput {
  email: string;
  name: string;
  role: string;
  password?: string;
}

/** Kernel hooks on users (ticket hooks arrive with the ticket domain). */
export interface UserHooks {
  beforeCreate: BeforeHook<CreateUserInput>;
  validateUser: ValidateHook<CreateUserInput>;
  afterCreate: AfterHook<UserRecord>;
}

export interface KernelHooks {
  user: UserHooks;
}
