import type { EntityManager } from '@mikro-orm/sql';
import {
  type ErrorDetail, type HookContext, type KernelHooks, type Scope, type TicketChange, type TicketCreateInput, type TicketInput, type TicketRecord, type TransactionContext,
  TicketOpsError, notFound,
} from '@ticketops/plugin-sdk';
import { preparedSql } from '../db/prepared.ts';
import { runValidate } from '../hooks/hooks.ts';
import { newId } from '../kernel-data/ids.ts';
import { announce, notifyStatement } from './announce.ts';
import { numberSequence } from './numbers.ts';
import { type TicketCatalog, checkPriority, checkTypeAndFields, statusCategory, throwIfAny } from './catalog.ts';
import { historyStatement } from './history.ts';
import { type SimilarTicket, similarStatement, toSimilarTicket } from './relations/similar.ts';
import { checkAssignee, checkExists, resolveRequester } from './people.ts';
import { TICKET_COLUMNS, toTicketRecord } from './record.ts';
import { type Statement, pgArray, sql, withStatements } from './sql.ts';
import { isDetails, normalizeTags, rememberTagsStatement } from './tags.ts';
import { audienceOf, canSee, seesAllTickets } from './visibility.ts';

/** What `POST /tickets` takes; the same shape plugins pass to the `tickets` service. */
export type CreateTicketRequest = TicketCreateInput;

export type UpdateTicketRequest = Partial<Omit<CreateTicketRequest, 'requester' | 'channel'>> & { requesterId?: string };

/** Fields only staff may set; a customer setting one gets a 403 naming it. */
const STAFF_FIELDS = ['status', 'priority', 'assigneeId', 'groupId', 'organizationId', 'requester'] as const;

const hookContext = (scope: Scope, tx: { em: EntityManager; emit: HookContext['emit'] }): HookContext => ({
  tenantId: scope.tenantId, actor: scope.actor, requestId: scope.requestId, em: tx.em, emit: tx.emit,
});

export async function createTicket(scope: Scope, hooks: KernelHooks, body: CreateTicketRequest, options: CreateOptions = {}): Promise<CreatedTicket> {
  const staff = seesAllTickets(scope.actor);
  if (!staff) {
    const field = STAFF_FIELDS.find((f) => body[f] !== undefined);
    if (field) throw new TicketOpsError('forbidden', `Only agents may set ${field}`, { details: [{ pointer: `/body/${field}`, message: 'may only be set by agents' }] });
  }
  return scope.transactional((tx) => createTicketInTransaction(scope, hooks, tx, body, options));
}

export interface CreateOptions {
  /** Also look for open tickets of the same requester or organization that look alike (`similar`). */
  similar?: boolean;
  /** Recorded as `via` on the creation's history entry (the plugin that created the ticket). */
  via?: string;
}

export type CreatedTicket = TicketRecord & { similar?: SimilarTicket[] };

/** Creates a ticket inside an open transaction (merge, split and templates compose it with more work). */
export async function createTicketInTransaction(scope: Scope, hooks: KernelHooks, tx: TransactionContext, body: CreateTicketRequest, options: CreateOptions = {}): Promise<CreatedTicket> {
  const details: ErrorDetail[] = [];
  const requesterRef = body.requester ?? scope.actor.userId;
  const requester = requesterRef ? await resolveRequester(tx.em, scope.tenantId, requesterRef) : null;
  if (requester && 'pointer' in requester) details.push(requester);
  const tags = normalizeTags(body.tags ?? []);
  if (isDetails(tags)) details.push(...tags);
  throwIfAny(details);

  const person = requester && !('pointer' in requester) ? requester : null;
  const ctx = hookContext(scope, tx);
  const input = await hooks.ticket.beforeCreate.promise(
    {
      title: body.title.trim(),
      description: body.description ?? '',
      status: body.status ?? 'new',
      priority: body.priority ?? 'normal',
      type: body.type ?? null,
      requesterId: person?.id ?? null,
      organizationId: body.organizationId !== undefined ? body.organizationId : (person?.organizationId ?? null),
      assigneeId: body.assigneeId ?? null,
      groupId: body.groupId ?? null,
      tags: tags as string[],
      channel: body.channel ?? 'api',
      customFields: body.customFields ?? {},
    },
    ctx,
  );
  const category = await checkInput(scope, tx.em, input);
  await runValidate(hooks.ticket.validateTicket, { ticket: input, before: null }, ctx);

  const id = newId('tkt');
  const now = new Date();
  const similar = options.similar ? similarStatement(scope.tenantId, { id, ...input }, await audienceOf(tx.em, scope.tenantId, scope.actor)) : null;
  // One round trip: the row (its number drawn by nextval), the tag catalogue, the history entry
  // (which reads the number from the inserted row), the realtime notice and, when asked, the
  // similar-ticket suggestions (read in the same snapshot, so the new ticket is not among them).
  const insert: Statement = {
    text: `insert into ticket as t (id, tenant_id, number, title, description, status, status_category, priority, type, requester_id, organization_id,
       assignee_id, group_id, tags, channel, custom_fields, created_at, updated_at, solved_at, closed_at)
     values (?, ?, nextval('${numberSequence(scope.tenantId)}'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?::jsonb, ?, ?, ?, ?) returning ${TICKET_COLUMNS}`,
    params: [
      id, scope.tenantId, input.title, input.description, input.status, category, input.priority, input.type,
      input.requesterId, input.organizationId, input.assigneeId, input.groupId, pgArray(input.tags), input.channel, JSON.stringify(input.customFields),
      now, now, category === 'solved' || category === 'closed' ? now : null, category === 'closed' ? now : null,
    ],
  };
  const created: Statement = {
    text: `insert into ticket_history (id, tenant_id, ticket_id, actor_id, channel, via, field, old_value, new_value)
      select ?, ?, ?, ?, ?, ?, 'created', null, to_jsonb(fresh.number) from fresh`,
    params: [newId('thi'), scope.tenantId, id, scope.actor.userId, input.channel, options.via ?? null],
  };
  const { text, params } = withStatements({ fresh: insert, tags: rememberTagsStatement(scope.tenantId, input.tags), created, notice: notifyStatement(notice('ticket.created', scope, { id, ...input })), alike: similar });
  const [row] = await preparedSql(
    tx.em,
    `${text} select fresh.*${similar ? `, (select coalesce(json_agg(alike order by alike.score desc, alike.id desc), '[]'::json) from alike) as similar` : ''} from fresh cross join notice`,
    params,
  );
  const ticket = toTicketRecord(row as Record<string, unknown>);
  await hooks.ticket.afterCreate.promise(ticket, ctx);
  await tx.emit('ticket.created', { ticketId: id, number: ticket.number });
  if (!similar) return ticket;
  const suggestions = (typeof row?.similar === 'string' ? JSON.parse(row.similar) : row?.similar) as Parameters<typeof toSimilarTicket>[0][];
  return { ...ticket, similar: suggestions.map(toSimilarTicket) };
}

/**
 * Tells plugins about a change written outside `updateTicketInTransaction` (merge, unmerge set
 * status and tags directly): they see every ticket change through `afterUpdate`, whatever made it.
 */
export async function afterDirectUpdate(scope: Scope, hooks: KernelHooks, tx: TransactionContext, ticketId: string, changes: TicketChange[]): Promise<void> {
  if (changes.length === 0) return;
  await hooks.ticket.afterUpdate.promise({ ticket: await getTicket(scope, tx.em, ticketId), changes }, hookContext(scope, tx));
}

/** A ticket the actor may see, or 404 (never 403: the id's existence is not revealed). */
export async function getTicket(scope: Scope, em: EntityManager, id: string, options: { lock?: boolean } = {}): Promise<TicketRecord> {
  const rows = await sql(em, `select ${TICKET_COLUMNS} from ticket t where t.tenant_id = ? and t.id = ? and t.deleted_at is null${options.lock ? ' for update' : ''}`, [scope.tenantId, id]);
  if (!rows[0]) throw notFound('Ticket');
  const ticket = toTicketRecord(rows[0]);
  if (!canSee(await audienceOf(em, scope.tenantId, scope.actor), ticket)) throw notFound('Ticket');
  return ticket;
}

export async function ticketIdByNumber(scope: Scope, number: number): Promise<string> {
  const rows = await sql<{ id: string }>(scope.em, 'select id from ticket where tenant_id = ? and number = ? and deleted_at is null', [scope.tenantId, number]);
  if (!rows[0]) throw notFound('Ticket');
  return rows[0].id;
}

/**
 * Changes a ticket under optimistic concurrency: `expectedVersion` (If-Match or `version`) must be the
 * current version, else 412 and nothing changes. Writes one history row per changed field.
 */
export async function updateTicket(
  scope: Scope, hooks: KernelHooks, id: string, patch: UpdateTicketRequest, expectedVersion: number | undefined, via?: { channel?: string; via?: string },
): Promise<{ ticket: TicketRecord; changes: TicketChange[] }> {
  return scope.transactional(async (tx) => updateTicketInTransaction(scope, hooks, tx, id, patch, expectedVersion, via));
}

/** `change` may be a function of the locked current ticket (tags added to whatever is there now). */
export async function updateTicketInTransaction(
  scope: Scope, hooks: KernelHooks, tx: TransactionContext, id: string, change: UpdateTicketRequest | ((current: TicketRecord) => UpdateTicketRequest),
  expectedVersion: number | undefined, via?: { channel?: string; via?: string },
): Promise<{ ticket: TicketRecord; changes: TicketChange[] }> {
  const before = await getTicket(scope, tx.em, id, { lock: true });
  const patch = typeof change === 'function' ? change(before) : change;
  if (expectedVersion !== undefined && expectedVersion !== before.version) {
    throw new TicketOpsError('precondition_failed', `Ticket changed since version ${expectedVersion} (now ${before.version}); reload and retry`, { extra: { currentVersion: before.version } });
  }
  const set: Partial<TicketInput> = {};
  for (const key of ['title', 'description', 'status', 'priority', 'type', 'assigneeId', 'groupId', 'organizationId', 'requesterId'] as const) {
    if (patch[key] !== undefined) (set as Record<string, unknown>)[key] = typeof patch[key] === 'string' && key === 'title' ? (patch[key] as string).trim() : patch[key];
  }
  if (patch.tags !== undefined) {
    const tags = normalizeTags(patch.tags);
    if (isDetails(tags)) throwIfAny(tags);
    set.tags = tags as string[];
  }
  if (patch.customFields !== undefined) {
    // Merge-patch: a key set to null is removed, others replace.
    const merged: Record<string, unknown> = { ...before.customFields };
    for (const [k, v] of Object.entries(patch.customFields)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    set.customFields = merged;
  }
  const ctx = hookContext(scope, tx);
  const { set: finalSet } = await hooks.ticket.beforeUpdate.promise({ before, set }, ctx);
  const next: TicketInput = { ...pickInput(before), ...finalSet };
  const changes = diff(before, next);
  if (changes.length === 0) return { ticket: before, changes };
  if (next.requesterId !== before.requesterId && next.requesterId !== null) {
    const requester = await resolveRequester(tx.em, scope.tenantId, next.requesterId);
    if ('pointer' in requester) throwIfAny([{ pointer: '/body/requesterId', message: requester.message }]);
  }
  const category = await checkInput(scope, tx.em, next, changes.map((c) => c.field));
  await runValidate(hooks.ticket.validateTicket, { ticket: next, before }, ctx);

  const now = new Date();
  const solvedAt = category === 'solved' || category === 'closed' ? (before.solvedAt ? new Date(before.solvedAt) : now) : null;
  const closedAt = category === 'closed' ? (before.closedAt ? new Date(before.closedAt) : now) : null;
  const [row] = await sql(
    tx.em,
    `update ticket t set title = ?, description = ?, status = ?, status_category = ?, priority = ?, type = ?, requester_id = ?, organization_id = ?,
       assignee_id = ?, group_id = ?, tags = ?::text[], custom_fields = ?::jsonb, solved_at = ?, closed_at = ?, updated_at = ?, version = version + 1
     where t.tenant_id = ? and t.id = ? returning ${TICKET_COLUMNS}`,
    [
      next.title, next.description, next.status, category, next.priority, next.type, next.requesterId, next.organizationId,
      next.assigneeId, next.groupId, pgArray(next.tags), JSON.stringify(next.customFields), solvedAt, closedAt, now, scope.tenantId, id,
    ],
  );
  const ticket = toTicketRecord(row as Record<string, unknown>);
  await hooks.ticket.afterUpdate.promise({ ticket, changes }, ctx);
  await announce(tx, { ...notice('ticket.updated', scope, ticket), changes: changes.map((c) => c.field) }, {
    name: 'ticket.updated', payload: { ticketId: id, changes: changes.map((c) => c.field) },
  }, [
    rememberTagsStatement(scope.tenantId, ticket.tags),
    historyStatement({ tenantId: scope.tenantId, ticketId: id, actorId: scope.actor.userId, channel: via?.channel ?? 'api', via: via?.via }, changes),
  ]);
  return { ticket, changes };
}

export async function deleteTicket(scope: Scope, id: string): Promise<void> {
  await scope.transactional((tx) => deleteTicketInTransaction(scope, tx, id));
}

export async function deleteTicketInTransaction(scope: Scope, tx: TransactionContext, id: string): Promise<void> {
  const ticket = await getTicket(scope, tx.em, id, { lock: true });
  await sql(tx.em, 'update ticket set deleted_at = now(), updated_at = now(), version = version + 1 where tenant_id = ? and id = ?', [scope.tenantId, id]);
  await tx.audit({ action: 'ticket.deleted', targetType: 'ticket', targetId: id, data: { number: ticket.number, title: ticket.title } });
  await announce(tx, notice('ticket.deleted', scope, ticket), { name: 'ticket.deleted', payload: { ticketId: id, number: ticket.number } }, [
    historyStatement({ tenantId: scope.tenantId, ticketId: id, actorId: scope.actor.userId, channel: 'api' }, [{ field: 'deleted', from: null, to: true }]),
  ]);
}

/** Validates names and references of a ticket's fields; returns the status category. */
async function checkInput(scope: Scope, em: EntityManager, input: TicketInput, only?: string[]): Promise<string> {
  const needs = (f: string) => !only || only.includes(f);
  const tenantId = scope.tenantId;
  const catalog = await scope.resolve<TicketCatalog>('ticketCatalog').snapshot(em, tenantId);
  const details: ErrorDetail[] = [];
  if (!input.title) details.push({ pointer: '/body/title', message: 'must not be empty' });
  const category = statusCategory(catalog, input.status, '/body/status');
  if (typeof category !== 'string') details.push(category);
  if (needs('priority')) {
    const p = checkPriority(catalog, input.priority, '/body/priority');
    if (p) details.push(p);
  }
  if (needs('type') || needs('customFields')) details.push(...checkTypeAndFields(catalog, input.type, input.customFields));
  if (needs('assigneeId')) {
    const a = await checkAssignee(em, tenantId, input.assigneeId);
    if (a) details.push(a);
  }
  if (needs('groupId')) {
    const g = await checkExists(em, tenantId, 'agent_group', input.groupId, '/body/groupId');
    if (g) details.push(g);
  }
  if (needs('organizationId')) {
    const o = await checkExists(em, tenantId, 'organization', input.organizationId, '/body/organizationId');
    if (o) details.push(o);
  }
  throwIfAny(details);
  return category as string;
}

function pickInput(t: TicketRecord): TicketInput {
  const { title, description, status, priority, type, requesterId, organizationId, assigneeId, groupId, tags, channel, customFields } = t;
  return { title, description, status, priority, type, requesterId, organizationId, assigneeId, groupId, tags, channel, customFields };
}

function diff(before: TicketRecord, next: TicketInput): TicketChange[] {
  const changes: TicketChange[] = [];
  for (const field of ['title', 'description', 'status', 'priority', 'type', 'requesterId', 'organizationId', 'assigneeId', 'groupId', 'tags', 'customFields'] as const) {
    const from = before[field];
    const to = next[field];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ field, from, to });
  }
  return changes;
}

function notice(kind: 'ticket.created' | 'ticket.updated' | 'ticket.deleted', scope: Scope, t: Pick<TicketRecord, 'id' | 'requesterId' | 'organizationId'>) {
  return { kind, tenantId: scope.tenantId, ticketId: t.id, requesterId: t.requesterId, organizationId: t.organizationId, actorId: scope.actor.userId };
}

