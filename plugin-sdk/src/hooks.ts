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

/** Fields a create or update may set; the requester is resolved to an id before hooks run. */
export interface TicketInput {
  title: string;
  description: string;
  status: string;
  priority: string;
  type: string | null;
  requesterId: string | null;
  organizationId: string | null;
  assigneeId: string | null;
  groupId: string | null;
  tags: string[];
  channel: string;
  customFields: Record<string, unknown>;
}

/** A ticket as hooks, events and plugins see it (plain data, never an ORM entity). */
export interface TicketRecord extends TicketInput {
  id: string;
  tenantId: string;
  number: number;
  statusCategory: 'new' | 'open' | 'pending' | 'on-hold' | 'solved' | 'closed';
  mergedIntoId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  firstResponseAt: string | null;
  solvedAt: string | null;
  closedAt: string | null;
}

export interface TicketChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface TicketUpdate {
  before: TicketRecord;
  /** The fields being changed, with their new values; a before-hook may add or alter entries. */
  set: Partial<TicketInput>;
}

export interface CommentRecord {
  id: string;
  ticketId: string;
  authorId: string | null;
  body: string;
  internal: boolean;
  channel: string;
  createdAt: string;
}

export interface TicketHooks {
  beforeCreate: BeforeHook<TicketInput>;
  validateTicket: ValidateHook<{ ticket: TicketInput; before: TicketRecord | null }>;
  afterCreate: AfterHook<TicketRecord>;
  beforeUpdate: BeforeHook<TicketUpdate>;
  afterUpdate: AfterHook<{ ticket: TicketRecord; changes: TicketChange[] }>;
}

export interface CommentHooks {
  beforeCreate: BeforeHook<{ ticketId: string; body: string; internal: boolean; channel: string }>;
  afterCreate: AfterHook<CommentRecord>;
}

export interface KernelHooks {
  user: UserHooks;
  ticket: TicketHooks;
  comment: CommentHooks;
}
