import type { InferEntity } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/sql';
import { type ErrorDetail, invalidInput, notFound } from '@ticketops/plugin-sdk';
import type { TicketCatalogView } from '../catalog.ts';
import { SlaCalendar, SlaPolicy } from '../entities.ts';
import { type EscalationLevel, escalationErrors } from './escalations.ts';
import type { PolicyConditions, PolicyTargets } from './schema.ts';

export type PolicyRow = InferEntity<typeof SlaPolicy>;

export interface PolicyInput {
  name?: string;
  active?: boolean;
  conditions?: PolicyConditions;
  targets?: PolicyTargets;
  calendarId?: string;
  pauseStatuses?: string[] | null;
  warningPercent?: number | null;
  escalations?: EscalationLevel[];
}

export function policyView(row: PolicyRow) {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    active: row.active,
    conditions: row.conditions,
    targets: row.targets,
    calendarId: row.calendarId,
    pauseStatuses: row.pauseStatuses ?? null,
    warningPercent: row.warningPercent ?? null,
    escalations: row.escalations ?? [],
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function findPolicy(em: EntityManager, id: string): Promise<PolicyRow> {
  const row = await em.findOne(SlaPolicy, { id });
  if (!row) throw notFound('Policy');
  return row;
}

/** References JSON Schema cannot check: the calendar, priorities, types and statuses of this tenant. */
export async function assertValidPolicy(em: EntityManager, input: PolicyInput, catalog: TicketCatalogView, tenantId: string, current?: PolicyRow): Promise<void> {
  const details: ErrorDetail[] = [];
  if (input.calendarId !== undefined && !(await em.findOne(SlaCalendar, { id: input.calendarId }, { fields: ['id'] }))) {
    details.push({ pointer: '/body/calendarId', message: 'is not a calendar of this tenant' });
  }
  for (const priority of Object.keys(input.targets ?? {})) {
    if (priority !== '*' && !catalog.priorities.has(priority)) details.push({ pointer: `/body/targets/${priority}`, message: 'is not a priority of this tenant (or `*`)' });
  }
  for (const [metric, value] of Object.entries(input.targets ?? {})) {
    if (Object.values(value).every((v) => v === null || v === undefined)) details.push({ pointer: `/body/targets/${metric}`, message: 'sets no target' });
  }
  input.conditions?.priorities?.forEach((p, i) => {
    if (!catalog.priorities.has(p)) details.push({ pointer: `/body/conditions/priorities/${i}`, message: 'is not a priority of this tenant' });
  });
  input.conditions?.types?.forEach((t, i) => {
    if (t !== null && !catalog.types.has(t)) details.push({ pointer: `/body/conditions/types/${i}`, message: 'is not a ticket type of this tenant' });
  });
  input.pauseStatuses?.forEach((s, i) => {
    if (!catalog.statuses.has(s)) details.push({ pointer: `/body/pauseStatuses/${i}`, message: 'is not a status of this tenant' });
  });
  if (input.escalations) {
    const warning = input.warningPercent !== undefined ? input.warningPercent : current ? (current.warningPercent ?? null) : 80;
    details.push(...(await escalationErrors(em, tenantId, input.escalations, warning, catalog)));
  }
  if (details.length) throw invalidInput('The policy is not valid', details);
}
