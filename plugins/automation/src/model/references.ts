/** Checks of a rule that need the tenant's data or other services; each problem named by a pointer. */
import type { EntityManager } from '@mikro-orm/sql';
import { CronExpressionParser } from 'cron-parser';
import type { ErrorDetail, SandboxService, Scope } from '@ticketops/plugin-sdk';
import { templateError } from '../engine/templates.ts';
import { pgArray, sql } from '../sql.ts';
import type { Action } from './actions.ts';
import { type ConditionItem, isGroup } from './conditions.ts';
import type { RuleDefinition } from './rule.ts';

export interface ReferenceServices {
  sandbox: SandboxService | null;
  /** The SLA plugin's calendars, when it is enabled (business-hours conditions need them). */
  hasCalendar: ((em: EntityManager, tenantId: string, id: string) => Promise<boolean>) | null;
  /** The integrations plugin (webhook actions), when enabled. */
  integrations: boolean;
}

interface Ref {
  id: string;
  pointer: string;
}

async function existing(em: EntityManager, table: 'app_user' | 'agent_group', tenantId: string, refs: Ref[]): Promise<Set<string>> {
  if (!refs.length) return new Set();
  const rows = await sql<{ id: string }>(em, `select id from ${table} where tenant_id = ? and id = any(?::text[])`, [tenantId, pgArray(refs.map((r) => r.id))]);
  return new Set(rows.map((r) => r.id));
}

function* predicates(items: ConditionItem[] | undefined, pointer: string): Generator<{ item: Exclude<ConditionItem, { all?: unknown }>; pointer: string }> {
  for (const [i, item] of (items ?? []).entries()) {
    if (isGroup(item)) {
      yield* predicates(item.all, `${pointer}/${i}/all`);
      yield* predicates(item.any, `${pointer}/${i}/any`);
    } else yield { item: item as never, pointer: `${pointer}/${i}` };
  }
}

/** Users, groups, statuses, priorities, macros and calendars a rule names must be this tenant's; templates and scripts must compile. */
export async function referenceErrors(scope: Scope, em: EntityManager, def: RuleDefinition, prefix: string, services: ReferenceServices): Promise<ErrorDetail[]> {
  const out: ErrorDetail[] = [];
  const users: Ref[] = [];
  const groups: Ref[] = [];
  const catalog = await scope.resolve<{ snapshot(em: EntityManager, tenantId: string): Promise<{ statuses: Map<string, string>; priorities: Set<string>; types: Map<string, unknown> }> }>('ticketCatalog').snapshot(em, scope.tenantId);
  const macros: Ref[] = [];
  for (const [i, a] of (def.actions ?? ([] as Action[])).entries()) {
    const at = `${prefix}/actions/${i}`;
    switch (a.type) {
      case 'set_field':
        if (a.field === 'status' && !catalog.statuses.has(String(a.value))) out.push({ pointer: `${at}/value`, message: 'is not a status of this tenant' });
        if (a.field === 'priority' && !catalog.priorities.has(String(a.value))) out.push({ pointer: `${at}/value`, message: 'is not a priority of this tenant' });
        if (a.field === 'type' && a.value !== null && !catalog.types.has(String(a.value))) out.push({ pointer: `${at}/value`, message: 'is not a ticket type of this tenant' });
        break;
      case 'raise_priority':
        if (a.to !== undefined && !catalog.priorities.has(a.to)) out.push({ pointer: `${at}/to`, message: 'is not a priority of this tenant' });
        break;
      case 'assign':
        if (a.userId) users.push({ id: a.userId, pointer: `${at}/userId` });
        if (a.groupId) groups.push({ id: a.groupId, pointer: `${at}/groupId` });
        break;
      case 'notify': {
        for (const [k, id] of (a.userIds ?? []).entries()) users.push({ id, pointer: `${at}/userIds/${k}` });
        for (const [k, id] of (a.groupIds ?? []).entries()) groups.push({ id, pointer: `${at}/groupIds/${k}` });
        if (!a.userIds?.length && !a.groupIds?.length && !a.assignee && !a.requester) out.push({ pointer: at, message: 'notify needs userIds, groupIds, assignee or requester' });
        const e = templateError(a.body, `${at}/body`) ?? (a.subject ? templateError(a.subject, `${at}/subject`) : null);
        if (e) out.push(e);
        break;
      }
      case 'add_note': {
        const e = templateError(a.body, `${at}/body`);
        if (e) out.push(e);
        break;
      }
      case 'webhook':
        if (!services.integrations) out.push({ pointer: `${at}/type`, message: 'webhook actions need the integrations plugin, which is not enabled' });
        break;
      case 'request_approval':
        for (const key of ['waitStatus', 'approvedStatus', 'rejectedStatus'] as const) {
          if (a[key] !== undefined && !catalog.statuses.has(a[key] as string)) out.push({ pointer: `${at}/${key}`, message: 'is not a status of this tenant' });
        }
        for (const [k, step] of a.steps.entries()) {
          const sp = `${at}/steps/${k}`;
          if (!step.userIds?.length && !step.groupIds?.length && !step.requesterManager) out.push({ pointer: sp, message: 'needs userIds, groupIds or requesterManager' });
          for (const [j, id] of (step.userIds ?? []).entries()) users.push({ id, pointer: `${sp}/userIds/${j}` });
          for (const [j, id] of (step.groupIds ?? []).entries()) groups.push({ id, pointer: `${sp}/groupIds/${j}` });
        }
        break;
      case 'apply_macro':
        if (def.kind === 'macro') out.push({ pointer: `${at}/type`, message: 'a macro cannot apply another macro' });
        else macros.push({ id: a.macroId, pointer: `${at}/macroId` });
        break;
    }
  }
  const knownUsers = await existing(em, 'app_user', scope.tenantId, users);
  const knownGroups = await existing(em, 'agent_group', scope.tenantId, groups);
  for (const u of users) if (!knownUsers.has(u.id)) out.push({ pointer: u.pointer, message: 'is not a user of this tenant' });
  for (const g of groups) if (!knownGroups.has(g.id)) out.push({ pointer: g.pointer, message: 'is not a group of this tenant' });
  if (macros.length) {
    const rows = await sql<{ id: string }>(em, `select id from automation_rule where tenant_id = ? and kind = 'macro' and id = any(?::text[])`, [scope.tenantId, pgArray(macros.map((m) => m.id))]);
    const known = new Set(rows.map((r) => r.id));
    for (const m of macros) if (!known.has(m.id)) out.push({ pointer: m.pointer, message: 'is not a macro of this tenant' });
  }
  for (const group of ['all', 'any'] as const) {
    for (const { item, pointer } of predicates(def.conditions?.[group], `${prefix}/conditions/${group}`)) {
      if (item.operator !== 'inBusinessHours' && item.operator !== 'outsideBusinessHours') continue;
      if (!services.hasCalendar) out.push({ pointer: `${pointer}/operator`, message: 'business-hours checks need the SLA plugin, which is not enabled' });
      else if (!(await services.hasCalendar(em, scope.tenantId, String(item.value)))) out.push({ pointer: `${pointer}/value`, message: 'is not an SLA calendar of this tenant' });
    }
  }
  if (def.cron !== undefined) {
    try {
      CronExpressionParser.parse(def.cron, { tz: def.tz ?? 'UTC' });
      if (def.cron.trim().split(/\s+/).length !== 5) out.push({ pointer: `${prefix}/cron`, message: 'must have five fields (minute hour day month weekday)' });
    } catch (error) {
      out.push({ pointer: `${prefix}/cron`, message: `is not a valid cron expression: ${(error as Error).message}` });
    }
  }
  if (def.tz !== undefined && !validZone(def.tz)) out.push({ pointer: `${prefix}/tz`, message: 'is not a known time zone' });
  if (def.script !== undefined) out.push(...(await scriptErrors(def, prefix, services.sandbox)));
  return out;
}

function validZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

async function scriptErrors(def: RuleDefinition, prefix: string, sandbox: SandboxService | null): Promise<ErrorDetail[]> {
  if (!sandbox) return [{ pointer: `${prefix}/script`, message: 'script rules need the kernel sandbox service, which is not available' }];
  const checked = await sandbox.check(def.script as string);
  const out: ErrorDetail[] = [];
  if (!checked.ok) {
    const where = checked.error.line ? ` (line ${checked.error.line}${checked.error.column ? `, column ${checked.error.column}` : ''})` : '';
    out.push({ pointer: `${prefix}/script`, message: `does not compile${where}: ${checked.error.message}` });
  }
  const known = new Set(sandbox.capabilities().map((c) => c.name));
  for (const [i, name] of (def.capabilities ?? []).entries()) if (!known.has(name)) out.push({ pointer: `${prefix}/capabilities/${i}`, message: 'is not a registered sandbox capability' });
  return out;
}
