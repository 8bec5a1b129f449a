import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { createTenant } from '@ticketops/core/kernel/tenants.ts';
import { slaPlugin } from '../index.ts';

let t: TestKernel;
let admin: { token: string };
let agent: { token: string };
const nineToFive = [['09:00', '12:00'], ['13:00', '17:00']];
const berlin = {
  name: 'Berlin office',
  timeZone: 'Europe/Berlin',
  hours: { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive, sat: [], sun: [] },
  holidays: [{ date: '2025-12-24', name: 'Christmas Eve' }],
  country: 'DE',
  region: 'BY',
};

beforeAll(async () => {
  t = await startTestKernel({ workers: false, plugins: [{ definition: slaPlugin }] });
  admin = await t.createUser({ role: 'admin' });
  agent = await t.createUser({ role: 'agent' });
});
afterAll(async () => {
  await t?.close();
});

const count = async () => Number((await t.kernel.db.query('select count(*)::int as n from sla_calendar'))[0]?.n);

describe('calendar API', () => {
  let id: string;

  it('creates a calendar (admin only) and reads it back', async () => {
    const denied = await t.request('POST', '/api/v1/sla/calendars', { token: agent.token, body: berlin });
    expect(denied.status).toBe(403);
    const res = await t.request('POST', '/api/v1/sla/calendars', { token: admin.token, body: berlin });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Berlin office', timeZone: 'Europe/Berlin', country: 'DE', region: 'BY', version: 1 });
    expect(res.body.id).toMatch(/^slc_/);
    id = res.body.id;
    const read = await t.request('GET', `/api/v1/sla/calendars/${id}`, { token: agent.token });
    expect(read.status).toBe(200);
    expect(read.body.hours.mon).toEqual(nineToFive);
    const list = await t.request('GET', '/api/v1/sla/calendars', { token: agent.token });
    expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([id]);
  });

  it('computes due times and elapsed business minutes', async () => {
    const due = await t.request('POST', `/api/v1/sla/calendars/${id}/due`, { token: agent.token, body: { start: '2025-03-03T10:00:00+01:00', minutes: 120 } });
    expect(due.status).toBe(200);
    // 10:00 + 2 business hours lands on the morning interval's end: 12:00, not 13:00 after lunch.
    expect(due.body.due).toBe('2025-03-03T11:00:00.000Z');
    expect(due.body.dueLocal).toBe('2025-03-03T12:00:00+01:00[Europe/Berlin]');
    const lunch = await t.request('POST', `/api/v1/sla/calendars/${id}/due`, { token: agent.token, body: { start: '2025-03-03T10:00:00+01:00', minutes: 150 } });
    expect(lunch.body.dueLocal).toBe('2025-03-03T13:30:00+01:00[Europe/Berlin]');
    // Exactly at the end of the day's last interval: that instant.
    const edge = await t.request('POST', `/api/v1/sla/calendars/${id}/due`, { token: agent.token, body: { start: '2025-03-03T16:00:00+01:00', minutes: 60 } });
    expect(edge.body.due).toBe('2025-03-03T16:00:00.000Z');
    // Christmas Eve (custom), 25/26 Dec (Bavaria), weekend → Monday 29th.
    const xmas = await t.request('POST', `/api/v1/sla/calendars/${id}/due`, { token: agent.token, body: { start: '2025-12-23T16:30:00+01:00', minutes: 60 } });
    expect(xmas.body.dueLocal).toBe('2025-12-29T09:30:00+01:00[Europe/Berlin]');
    const elapsed = await t.request('POST', `/api/v1/sla/calendars/${id}/elapsed`, { token: agent.token, body: { start: '2025-03-03T08:00:00+01:00', end: '2025-03-04T10:30:00+01:00' } });
    expect(elapsed.body).toEqual({ minutes: 420 + 90 });
    const backwards = await t.request('POST', `/api/v1/sla/calendars/${id}/elapsed`, { token: agent.token, body: { start: '2025-03-04T10:30:00Z', end: '2025-03-03T10:30:00Z' } });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([{ pointer: '/body/end', message: 'must not be before start' }]);
  });

  it('rejects bad input with 400 naming each field, and saves nothing', async () => {
    const before = await count();
    const bad = await t.request('POST', '/api/v1/sla/calendars', {
      token: admin.token,
      body: {
        ...berlin,
        name: 'Broken',
        timeZone: 'Mars/Olympus_Mons',
        hours: { mon: [['09:00', '12:00'], ['11:00', '17:00']], tue: [['17:00', '09:00']], wed: [['25:00', '26:00']] },
        holidays: [{ date: '2025-02-30', name: 'Nope' }],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const pointers = bad.body.errors.map((e: { pointer: string }) => e.pointer).sort();
    expect(pointers).toEqual(['/body/holidays/0/date', '/body/hours/mon/1', '/body/hours/tue/0', '/body/hours/wed/0/0', '/body/hours/wed/0/1', '/body/timeZone']);
    const shape = await t.request('POST', '/api/v1/sla/calendars', { token: admin.token, body: { name: 'X', timeZone: 'UTC', hours: { mon: [['9:00', '17:00', '18:00']] } } });
    expect(shape.status).toBe(400);
    expect(shape.body.errors.map((e: { pointer: string }) => e.pointer)).toContain('/body/hours/mon/0');
    const empty = await t.request('POST', '/api/v1/sla/calendars', { token: admin.token, body: { name: 'Closed', timeZone: 'UTC', hours: {} } });
    expect(empty.body.errors).toEqual([{ pointer: '/body/hours', message: 'must have at least one business interval in the week' }]);
    const region = await t.request('POST', '/api/v1/sla/calendars', { token: admin.token, body: { ...berlin, name: 'R', region: 'ZZ' } });
    expect(region.body.errors).toEqual([{ pointer: '/body/region', message: '"ZZ" is not a region of DE' }]);
    const ical = await t.request('POST', '/api/v1/sla/calendars', { token: admin.token, body: { ...berlin, name: 'I', ical: 'not a calendar' } });
    expect(ical.body.errors[0].pointer).toBe('/body/ical');
    expect(await count()).toBe(before);
  });

  it('patches (re-validating), refuses a duplicate name, deletes', async () => {
    const patched = await t.request('PATCH', `/api/v1/sla/calendars/${id}`, { token: admin.token, body: { timeZone: 'America/New_York', country: 'US', region: null } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ timeZone: 'America/New_York', country: 'US', region: null, version: 2 });
    const bad = await t.request('PATCH', `/api/v1/sla/calendars/${id}`, { token: admin.token, body: { timeZone: 'Nowhere/Land' } });
    expect(bad.body.errors).toEqual([{ pointer: '/body/timeZone', message: '"Nowhere/Land" is not a known IANA time zone' }]);
    expect((await t.request('GET', `/api/v1/sla/calendars/${id}`, { token: admin.token })).body.timeZone).toBe('America/New_York');
    const twin = await t.request('POST', '/api/v1/sla/calendars', { token: admin.token, body: { ...berlin, name: 'berlin OFFICE' } });
    expect(twin.status).toBe(409);
    expect(twin.body.errors).toEqual([{ pointer: '/body/name', message: 'is already used' }]);
    const allDay = await t.request('POST', '/api/v1/sla/calendars', {
      token: admin.token,
      body: { name: '24x7', timeZone: 'UTC', hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])) },
    });
    expect(allDay.status).toBe(201);
    const due = await t.request('POST', `/api/v1/sla/calendars/${allDay.body.id}/due`, { token: agent.token, body: { start: '2025-03-08T23:30:00Z', minutes: 90 } });
    expect(due.body.due).toBe('2025-03-09T01:00:00.000Z');
    expect((await t.request('DELETE', `/api/v1/sla/calendars/${allDay.body.id}`, { token: admin.token })).status).toBe(204);
    expect((await t.request('GET', `/api/v1/sla/calendars/${allDay.body.id}`, { token: admin.token })).status).toBe(404);
  });

  it('is tenant-scoped: a calendar of another tenant is invisible', async () => {
    const other = await createTenant(t.kernel.db, { slug: 'sla-other', name: 'Other' });
    await t.kernel.db.query(
      `insert into sla_calendar (id, tenant_id, name, time_zone, hours) values ('slc_foreign', ?, 'Foreign', 'UTC', '{"mon":[["09:00","17:00"]]}')`,
      [other.id],
    );
    expect((await t.request('GET', '/api/v1/sla/calendars/slc_foreign', { token: admin.token })).status).toBe(404);
    expect((await t.request('POST', '/api/v1/sla/calendars/slc_foreign/due', { token: admin.token, body: { start: '2025-03-03T10:00:00Z', minutes: 1 } })).status).toBe(404);
    expect((await t.request('PATCH', '/api/v1/sla/calendars/slc_foreign', { token: admin.token, body: { name: 'Mine' } })).status).toBe(404);
    const list = await t.request('GET', '/api/v1/sla/calendars', { token: admin.token });
    expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain('slc_foreign');
  });

  it('previews due times of a calendar that is not saved, exactly as the saved one computes them, and stores nothing', async () => {
    const before = await count();
    const start = '2025-12-23T15:30:00Z'; // Tuesday 16:30 in Berlin, the day before a holiday
    const preview = await t.request('POST', '/api/v1/sla/calendars/preview-due', { token: agent.token, body: { calendar: berlin, start, minutes: [0, 30, 60, 24 * 60] } });
    expect(preview.status).toBe(200);
    expect(await count()).toBe(before);
    const saved = await t.request('POST', '/api/v1/sla/calendars', { token: admin.token, body: { ...berlin, name: 'Berlin preview check' } });
    for (const [i, minutes] of [0, 30, 60, 24 * 60].entries()) {
      const due = await t.request('POST', `/api/v1/sla/calendars/${saved.body.id}/due`, { token: agent.token, body: { start, minutes } });
      expect(preview.body.due[i]).toBe(due.body.due);
    }
    const closed = { ...berlin, hours: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } };
    const never = await t.request('POST', '/api/v1/sla/calendars/preview-due', { token: agent.token, body: { calendar: closed, start, minutes: [60] } });
    expect(never.status).toBe(400);
    expect(never.body.errors[0].pointer).toMatch(/^\/body\/calendar\/hours/);
    const bad = await t.request('POST', '/api/v1/sla/calendars/preview-due', { token: agent.token, body: { calendar: { ...berlin, timeZone: 'Mars/Olympus' }, start, minutes: [60] } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toBe('/body/calendar/timeZone');
  });
});
