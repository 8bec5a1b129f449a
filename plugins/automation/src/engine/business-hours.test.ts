import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '@ticketops/core/testing';
import { slaPlugin } from '@ticketops/plugin-sla';
import { automationPlugin } from '../index.ts';
import { until } from '../test/support.ts';

/** Business-hours conditions read the SLA plugin's calendars (`sla.calendars`), when it is enabled. */
let t: TestKernel;
let admin: { token: string };
let agent: { token: string };
const weekdays = (hours: [string, string][]) => ({ mon: hours, tue: hours, wed: hours, thu: hours, fri: hours, sat: hours, sun: hours });

beforeAll(async () => {
  t = await startTestKernel({ plugins: [{ definition: slaPlugin }, { definition: automationPlugin }] });
  admin = await t.createUser({ role: 'admin' });
  agent = await t.createUser({ role: 'agent' });
});
afterAll(async () => {
  await t?.close();
});

const calendar = async (name: string, hours: [string, string][]) =>
  (await t.request('POST', '/api/v1/sla/calendars', { token: admin.token, body: { name, timeZone: 'UTC', hours: weekdays(hours) } })).body.id as string;
const tagsOf = async (id: string) => (await t.request('GET', `/api/v1/tickets/${id}`, { token: agent.token })).body.tags as string[];

describe('business-hours conditions', () => {
  it('tag a ticket by whether it arrived inside the calendar\'s hours', async () => {
    const always = await calendar('Always', [['00:00', '24:00']]);
    // An hour that is certainly not now: the hour two hours ahead, in UTC.
    const h = (new Date().getUTCHours() + 2) % 24;
    const never = await calendar('Other hour', [[`${String(h).padStart(2, '0')}:00`, `${String(h).padStart(2, '0')}:30`]]);
    for (const [name, cal, tag, operator] of [['inside', always, 'in-hours', 'inBusinessHours'], ['outside', never, 'after-hours', 'outsideBusinessHours']] as const) {
      const res = await t.request('POST', '/api/v1/automation/rules', {
        token: admin.token,
        body: { name, kind: 'trigger', active: true, events: ['ticket.created'], conditions: { all: [{ field: 'now', operator, value: cal }] }, actions: [{ type: 'add_tags', tags: [tag] }] },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const id = (await t.request('POST', '/api/v1/tickets', { token: agent.token, body: { title: 'When did I come?' } })).body.id as string;
    const tags = await until(() => tagsOf(id), (v) => v.length === 2);
    expect(tags.sort()).toEqual(['after-hours', 'in-hours']);
  });

  it('refuses a calendar that is not the tenant\'s, naming the value', async () => {
    const res = await t.request('POST', '/api/v1/automation/rules', {
      token: admin.token,
      body: { name: 'bad', kind: 'trigger', events: ['ticket.created'], conditions: { all: [{ field: 'now', operator: 'inBusinessHours', value: 'slc_nope' }] }, actions: [{ type: 'add_tags', tags: ['x'] }] },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ pointer: '/body/conditions/all/0/value', message: 'is not an SLA calendar of this tenant' });
  });
});
