/**
 * The declarative condition evaluator. A rule's conditions are compiled once per version into
 * closures (pointers precomputed), then evaluated per event with a trace of every predicate that
 * was looked at (groups short-circuit: `all` stops at the first false, `any` at the first true).
 */
import type { TicketChange } from '@ticketops/plugin-sdk';
import type { ConditionGroup, ConditionItem, Predicate } from '../model/conditions.ts';
import { isGroup } from '../model/conditions.ts';
import type { RuleEvent } from './event.ts';

export interface TraceEntry {
  pointer: string;
  field: string;
  operator: string;
  result: boolean;
}

export interface EvalContext {
  now: number;
  /** Priority name → rank (higher is more urgent). */
  priorityRank: ReadonlyMap<string, number>;
  /** Is `at` inside the calendar's business hours? Absent without the SLA plugin (such rules are refused when saved). */
  businessHours?: (calendarId: string, at: number) => boolean;
}

type Check = (event: RuleEvent, ctx: EvalContext, trace: TraceEntry[]) => boolean;

const HOUR = 3_600_000;

function read(event: RuleEvent, field: string, ctx: EvalContext): unknown {
  const t = event.ticket;
  switch (field) {
    case 'hoursSinceCreated':
      return (ctx.now - Date.parse(t.createdAt)) / HOUR;
    case 'hoursSinceUpdated':
      return (ctx.now - Date.parse(t.updatedAt)) / HOUR;
    case 'comment.body':
      return event.comment?.body;
    case 'comment.internal':
      return event.comment?.internal;
    case 'comment.authorId':
      return event.comment?.authorId;
    case 'sla.metric':
      return event.sla?.metric;
  }
  if (field.startsWith('customFields.')) {
    const key = field.slice(13);
    return Object.hasOwn(t.customFields, key) ? t.customFields[key] : undefined;
  }
  return Object.hasOwn(t, field) ? (t as unknown as Record<string, unknown>)[field] : undefined;
}

/** The change of `field` in this event (a custom field compares its own key inside `customFields`). */
function changeOf(changes: TicketChange[], field: string): { from: unknown; to: unknown } | null {
  if (field.startsWith('customFields.')) {
    const key = field.slice(13);
    const c = changes.find((x) => x.field === 'customFields');
    if (!c) return null;
    const from = (c.from as Record<string, unknown> | null)?.[key];
    const to = (c.to as Record<string, unknown> | null)?.[key];
    return same(from, to) ? null : { from, to };
  }
  const c = changes.find((x) => x.field === field);
  return c ? { from: c.from, to: c.to } : null;
}

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return (a ?? null) === (b ?? null);
  return JSON.stringify(a) === JSON.stringify(b);
}

const empty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

function contains(v: unknown, needle: unknown): boolean {
  if (Array.isArray(v)) return v.some((x) => same(x, needle));
  if (typeof v === 'string' && typeof needle === 'string') return v.toLowerCase().includes(needle.toLowerCase());
  return false;
}

function compare(field: string, v: unknown, target: unknown, ctx: EvalContext): number | null {
  if (field === 'priority') {
    const a = ctx.priorityRank.get(String(v));
    const b = ctx.priorityRank.get(String(target));
    return a === undefined || b === undefined ? null : a - b;
  }
  return typeof v === 'number' && typeof target === 'number' ? v - target : null;
}

function predicate(p: Predicate, pointer: string): Check {
  const { field, operator, value } = p;
  const test = (event: RuleEvent, ctx: EvalContext): boolean => {
    switch (operator) {
      case 'equals':
        return same(read(event, field, ctx), value);
      case 'notEquals':
        return !same(read(event, field, ctx), value);
      case 'contains':
        return contains(read(event, field, ctx), value);
      case 'notContains':
        return !contains(read(event, field, ctx), value);
      case 'in':
        return (value as unknown[]).some((x) => same(read(event, field, ctx), x));
      case 'notIn':
        return !(value as unknown[]).some((x) => same(read(event, field, ctx), x));
      case 'isEmpty':
        return empty(read(event, field, ctx));
      case 'isNotEmpty':
        return !empty(read(event, field, ctx));
      case 'greaterThan':
      case 'lessThan':
      case 'greaterOrEqual':
      case 'lessOrEqual': {
        const d = compare(field, read(event, field, ctx), value, ctx);
        if (d === null) return false;
        return operator === 'greaterThan' ? d > 0 : operator === 'lessThan' ? d < 0 : operator === 'greaterOrEqual' ? d >= 0 : d <= 0;
      }
      case 'changed':
        return changeOf(event.changes, field) !== null;
      case 'changedTo':
      case 'changedFrom': {
        const c = changeOf(event.changes, field);
        if (!c) return false;
        // On a list (tags): changedTo = the value was added, changedFrom = it was removed.
        if (Array.isArray(c.from) || Array.isArray(c.to)) {
          const had = contains(c.from ?? [], value);
          const has = contains(c.to ?? [], value);
          return operator === 'changedTo' ? has && !had : had && !has;
        }
        return same(operator === 'changedTo' ? c.to : c.from, value);
      }
      case 'inBusinessHours':
      case 'outsideBusinessHours': {
        const inside = ctx.businessHours?.(String(value), ctx.now);
        if (inside === undefined) return false;
        return operator === 'inBusinessHours' ? inside : !inside;
      }
    }
    return false;
  };
  return (event, ctx, trace) => {
    const result = test(event, ctx);
    trace.push({ pointer, field, operator, result });
    return result;
  };
}

function item(i: ConditionItem, pointer: string): Check {
  return isGroup(i) ? group(i, pointer) : predicate(i, pointer);
}

function group(g: ConditionGroup, pointer: string): Check {
  const all = (g.all ?? []).map((x, i) => item(x, `${pointer}/all/${i}`));
  const any = (g.any ?? []).map((x, i) => item(x, `${pointer}/any/${i}`));
  return (event, ctx, trace) => {
    for (const c of all) if (!c(event, ctx, trace)) return false;
    if (!any.length) return true;
    for (const c of any) if (c(event, ctx, trace)) return true;
    return false;
  };
}

/** Conditions → a function answering whether they hold, appending to `trace`. No conditions: always true. */
export function compileConditions(conditions: ConditionGroup | undefined): Check {
  return conditions ? group(conditions, '/conditions') : () => true;
}

export function evaluate(check: Check, event: RuleEvent, ctx: EvalContext): { matched: boolean; trace: TraceEntry[] } {
  const trace: TraceEntry[] = [];
  return { matched: check(event, ctx, trace), trace };
}
