/** JSON Schemas shared by the SLA routes (ajv 2020-12; the kernel validates and documents them). */
const clock = { type: 'string', pattern: '^\\d{2}:\\d{2}$', description: 'HH:MM wall-clock time; 24:00 ends the day' };
const interval = { type: 'array', prefixItems: [clock, clock], items: false, minItems: 2 };
const dayHours = { type: 'array', items: interval, maxItems: 24 };

export const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 100 } } };

export const calendarProperties = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  timeZone: { type: 'string', minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/Berlin' },
  hours: {
    type: 'object',
    additionalProperties: false,
    properties: { mon: dayHours, tue: dayHours, wed: dayHours, thu: dayHours, fri: dayHours, sat: dayHours, sun: dayHours },
    description: 'Business intervals per weekday, in order and disjoint; a missing day is closed',
  },
  holidays: {
    type: 'array',
    maxItems: 2000,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['date', 'name'],
      properties: { date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD, a local date of the calendar' }, name: { type: 'string', minLength: 1, maxLength: 200 } },
    },
  },
  country: { type: ['string', 'null'], pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2; its public holidays (date-holidays) apply' },
  region: { type: ['string', 'null'], pattern: '^[A-Z0-9]{1,3}$', description: 'Region of the country (date-holidays state code)' },
  ical: { type: ['string', 'null'], maxLength: 500_000, description: 'iCalendar text; its all-day events are holidays' },
};

export const calendarSchema = {
  type: 'object',
  required: ['id', 'name', 'timeZone', 'hours', 'holidays'],
  properties: {
    id: { type: 'string' },
    ...calendarProperties,
    version: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};
