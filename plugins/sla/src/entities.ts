import { defineEntity, p } from '@ticketops/plugin-sdk';
import type { CalendarSpec } from './calendar/spec.ts';
import type { EscalationLevel } from './policies/escalations.ts';
import type { PolicyConditions, PolicyTargets } from './policies/schema.ts';

/** A business calendar (tenant-owned; the kernel's tenant filter scopes every query). */
export const SlaCalendar = defineEntity({
  name: 'SlaCalendar',
  tableName: 'sla_calendar',
  properties: {
    id: p.string().primary(),
    tenantId: p.string(),
    name: p.string(),
    timeZone: p.string(),
    hours: p.json<CalendarSpec['hours']>(),
    holidays: p.json<CalendarSpec['holidays']>(),
    country: p.string().nullable(),
    region: p.string().nullable(),
    ical: p.text().nullable(),
    version: p.integer().default(1),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

/** An SLA policy; `position` orders them (first match wins). */
export const SlaPolicy = defineEntity({
  name: 'SlaPolicy',
  tableName: 'sla_policy',
  properties: {
    id: p.string().primary(),
    tenantId: p.string(),
    name: p.string(),
    position: p.integer(),
    active: p.boolean().default(true),
    conditions: p.json<PolicyConditions>(),
    targets: p.json<PolicyTargets>(),
    calendarId: p.string(),
    pauseStatuses: p.json<string[] | null>().nullable(),
    warningPercent: p.integer().nullable(),
    escalations: p.json<EscalationLevel[]>().default([] as never),
    version: p.integer().default(1),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});
