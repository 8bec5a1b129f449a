import type { EntityManager } from '@mikro-orm/sql';
import type { ErrorDetail } from '@ticketops/plugin-sdk';
import type { TicketCatalogView } from '../catalog.ts';
import type { Metric } from './schema.ts';

export type NotifyAction = { type: 'notify'; userIds?: string[]; groupIds?: string[]; assignee?: boolean };
export type ReassignAction = { type: 'reassign'; groupId?: string; userId?: string };
export type RaisePriorityAction = { type: 'raise_priority'; to?: string };
export type EscalationAction = NotifyAction | ReassignAction | RaisePriorityAction;

/** When a level is reached: at the warning, at the breach, or N business minutes of running clock after the breach. */
export type LevelAt = 'warning' | 'breached' | { minutesAfterBreach: number };

export interface EscalationLevel {
  at: LevelAt;
  /** A metric, or `*` for every measured metric. */
  metric: Metric | '*';
  actions: EscalationAction[];
}

const ids = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 100 }, minItems: 1, maxItems: 100, uniqueItems: true };

export const escalationsSchema = {
  type: 'array',
  maxItems: 20,
  description: 'Escalation levels, each applied once per metric cycle when reached',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['at', 'metric', 'actions'],
    properties: {
      at: {
        anyOf: [
          { type: 'string', enum: ['warning', 'breached'] },
          { type: 'object', additionalProperties: false, required: ['minutesAfterBreach'], properties: { minutesAfterBreach: { type: 'integer', minimum: 1, maximum: 5_256_000 } } },
        ],
      },
      metric: { type: 'string', enum: ['firstResponse', 'nextResponse', 'resolution', '*'] },
      actions: {
        type: 'array',
        minItems: 1,
        maxItems: 10,
        items: {
          type: 'object',
          required: ['type'],
          properties: {
            type: { type: 'string', enum: ['notify', 'reassign', 'raise_priority'] },
            userIds: ids,
            groupIds: ids,
            assignee: { type: 'boolean' },
            groupId: { type: 'string', minLength: 1, maxLength: 100 },
            userId: { type: 'string', minLength: 1, maxLength: 100 },
            to: { type: 'string', minLength: 1, maxLength: 200 },
          },
        },
      },
    },
  },
};

async function existing(em: EntityManager, table: 'app_user' | 'agent_group', tenantId: string, wanted: string[]): Promise<Set<string>> {
  if (!wanted.length) return new Set();
  const rows = (await em.getConnection().execute(`select id from ${table} where tenant_id = ? and id = any(?::text[])`, [tenantId, `{${wanted.map((w) => `"${w.replace(/["\\]/g, '\\$&')}"`).join(',')}}`], 'all', em.getTransactionContext())) as { id: string }[];
  return new Set(rows.map((r) => r.id));
}

/** What JSON Schema cannot say: the keys each action type allows and needs, and that users, groups and priorities exist. */
export async function escalationErrors(em: EntityManager, tenantId: string, levels: EscalationLevel[], warningPercent: number | null | undefined, catalog: TicketCatalogView): Promise<ErrorDetail[]> {
  const details: ErrorDetail[] = [];
  const users: { id: string; pointer: string }[] = [];
  const groups: { id: string; pointer: string }[] = [];
  const allowed: Record<string, string[]> = { notify: ['type', 'userIds', 'groupIds', 'assignee'], reassign: ['type', 'groupId', 'userId'], raise_priority: ['type', 'to'] };
  levels.forEach((level, i) => {
    const base = `/body/escalations/${i}`;
    if (level.at === 'warning' && warningPercent === null) details.push({ pointer: `${base}/at`, message: 'is "warning" but the policy has no warningPercent' });
    level.actions.forEach((action, j) => {
      const at = `${base}/actions/${j}`;
      for (const key of Object.keys(action)) if (!allowed[action.type]!.includes(key)) details.push({ pointer: `${at}/${key}`, message: `is not allowed on a ${action.type} action` });
      if (action.type === 'notify') {
        if (!action.userIds?.length && !action.groupIds?.length && !action.assignee) details.push({ pointer: at, message: 'notify needs userIds, groupIds or assignee: true' });
        for (const [k, id] of (action.userIds ?? []).entries()) users.push({ id, pointer: `${at}/userIds/${k}` });
        for (const [k, id] of (action.groupIds ?? []).entries()) groups.push({ id, pointer: `${at}/groupIds/${k}` });
      } else if (action.type === 'reassign') {
        if (!action.groupId && !action.userId) details.push({ pointer: at, message: 'reassign needs groupId or userId' });
        if (action.userId) users.push({ id: action.userId, pointer: `${at}/userId` });
        if (action.groupId) groups.push({ id: action.groupId, pointer: `${at}/groupId` });
      } else if (action.type === 'raise_priority' && action.to !== undefined && !catalog.priorities.has(action.to)) {
        details.push({ pointer: `${at}/to`, message: 'is not a priority of this tenant' });
      }
    });
  });
  const knownUsers = await existing(em, 'app_user', tenantId, users.map((u) => u.id));
  const knownGroups = await existing(em, 'agent_group', tenantId, groups.map((g) => g.id));
  for (const u of users) if (!knownUsers.has(u.id)) details.push({ pointer: u.pointer, message: 'is not a user of this tenant' });
  for (const g of groups) if (!knownGroups.has(g.id)) details.push({ pointer: g.pointer, message: 'is not a group of this tenant' });
  return details;
}
