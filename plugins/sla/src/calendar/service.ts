import type { EntityManager } from '@mikro-orm/sql';
import { elapsedMs } from './arithmetic.ts';
import { compiledCalendar } from './store.ts';
import { SlaCalendar } from '../entities.ts';

/**
 * The `sla.calendars` service other plugins resolve (declared in their `optionalDependsOn`):
 * whether a calendar exists, and a business-hours check for instants — e.g. the automation
 * plugin's "in business hours" conditions.
 */
export interface SlaCalendarsService {
  exists(em: EntityManager, tenantId: string, calendarId: string): Promise<boolean>;
  /**
   * A synchronous check over the tenant's calendars, loaded once: is `at` inside business hours
   * of `calendarId` (an unknown calendar is never)? Inside means the minute from `at` holds business
   * time, so the instant an interval ends is outside.
   */
  businessHours(em: EntityManager, tenantId: string): Promise<(calendarId: string, at: number) => boolean>;
}

export const slaCalendarsService: SlaCalendarsService = {
  async exists(em, tenantId, calendarId) {
    return (await em.count(SlaCalendar, { id: calendarId, tenantId }, { filters: false })) > 0;
  },
  async businessHours(em, tenantId) {
    const rows = await em.find(SlaCalendar, { tenantId }, { filters: false });
    const calendars = new Map(rows.map((row) => [row.id, compiledCalendar(row)]));
    return (calendarId, at) => {
      const calendar = calendars.get(calendarId);
      return calendar !== undefined && elapsedMs(calendar, at, at + 60_000) > 0;
    };
  },
};
