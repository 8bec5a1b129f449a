import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestKernel, startTestKernel } from '../../testing/index.ts';
import { forgetEstimates } from './estimate.ts';
import { planShare } from './list.ts';

let t: TestKernel;
let agent: { id: string; token: string };
let other: { id: string; token: string };
let customer: { id: string; token: string };
const ids: Record<string, string> = {};

async function ticket(key: string, token: string, body: Record<string, unknown>) {
  const res = await t.request('POST', '/api/v1/tickets', { token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  ids[key] = res.body.id;
  return res.body;
}
const list = async (qs: string, token = agent.token) => t.request('GET', `/api/v1/tickets?${qs}`, { token });
const titles = (res: { body: { items: { title: string }[] } }) => res.body.items.map((i) => i.title).sort();

beforeAll(async () => {
  t = await startTestKernel({ workers: false });
  agent = await t.createUser({ role: 'agent' });
  other = await t.createUser({ role: 'agent' });
  customer = await t.createUser({ role: 'customer' });
  await t.kernel.db.query(
    `insert into ticket_type (id, tenant_id, name, fields_schema) values ('tty_inc', 'ten_default', 'incident', ?::jsonb)`,
    [JSON.stringify({ type: 'object', properties: { severity: { type: 'string' }, build: { type: 'integer' } } })],
  );
  await ticket('printer', agent.token, { title: 'Printer on fire', description: 'The office printer is burning toner', priority: 'urgent', tags: ['hardware', 'office'], assigneeId: agent.id, type: 'incident', customFields: { severity: 'major', build: 12 } });
  await ticket('vpn', agent.token, { title: 'VPN drops every hour', description: 'Remote workers lose the tunnel', priority: 'high', tags: ['network'], assigneeId: other.id, type: 'incident', customFields: { severity: 'minor', build: 3 } });
  await ticket('laptop', agent.token, { title: 'New laptop for Grace', description: 'Onboarding hardware request', priority: 'low', tags: ['hardware'], status: 'pending' });
  await ticket('mine', customer.token, { title: 'Cannot log in', description: 'Password reset mail never arrives' });
  await t.request('POST', `/api/v1/tickets/${ids.mine}/comments`, { token: agent.token, body: { body: 'Internal: customer account flagged for zebrafraud review', internal: true } });
  await t.request('POST', `/api/v1/tickets/${ids.mine}/comments`, { token: agent.token, body: { body: 'We resent the reset mail via mailgun <b>now</b>' } });
  await t.request('PATCH', `/api/v1/tickets/${ids.laptop}`, { token: agent.token, body: { status: 'solved' } });
});
afterAll(async () => {
  await t?.close();
});

describe('GET /tickets filters', () => {
  it('filters by status, category, priority, assignee (id, me, none), type, tags', async () => {
    expect(titles(await list('statusCategory=solved'))).toEqual(['New laptop for Grace']);
    expect(titles(await list('status=new&priority=urgent,high'))).toEqual(['Printer on fire', 'VPN drops every hour']);
    expect(titles(await list('assigneeId=me'))).toEqual(['Printer on fire']);
    expect(titles(await list(`assigneeId=${other.id}`))).toEqual(['VPN drops every hour']);
    expect(titles(await list('assigneeId=none'))).toEqual(['Cannot log in', 'New laptop for Grace']);
    expect(titles(await list('assigneeId=none&assigneeId=me'))).toHaveLength(3);
    expect(titles(await list('type=incident'))).toHaveLength(2);
    expect(titles(await list('tag=hardware&tag=office'))).toEqual(['Printer on fire']);
    expect(titles(await list('anyTag=office,network'))).toEqual(['Printer on fire', 'VPN drops every hour']);
    expect(titles(await list(`requesterId=${customer.id}`))).toEqual(['Cannot log in']);
  });

  it('filters by custom field equality and range, and by date ranges', async () => {
    expect(titles(await list('cf.severity=major'))).toEqual(['Printer on fire']);
    expect(titles(await list('cf.build.gte=5'))).toEqual(['Printer on fire']);
    expect(titles(await list('cf.build.gte=1&cf.build.lt=10'))).toEqual(['VPN drops every hour']);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await list(`createdFrom=${encodeURIComponent(future)}`)).body.items).toEqual([]);
    expect((await list(`createdTo=${encodeURIComponent(future)}`)).body.items).toHaveLength(4);
  });

  it('rejects unknown parameters and bad values with 400 naming them', async () => {
    const unknown = await list('colour=red');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].pointer).toBe('/query/colour');
    const sort = await list('sort=shoe-size');
    expect(sort.status).toBe(400);
    expect(sort.body.errors[0].pointer).toBe('/query/sort');
    expect((await list('createdFrom=yesterday')).body.errors[0].pointer).toBe('/query/createdFrom');
    expect((await list('limit=1000')).status).toBe(400);
  });
});

describe('GET /tickets full-text search', () => {
  it('finds words in title, description and public comments, ranked, with escaped snippets', async () => {
    const res = await list('q=printer');
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([ids.printer]);
    expect(res.body.items[0].snippet).toContain('<mark>Printer</mark>');
    const viaComment = await list('q=mailgun');
    expect(viaComment.body.items.map((i: { id: string }) => i.id)).toEqual([ids.mine]);
    expect(viaComment.body.items[0].snippet).toContain('<mark>mailgun</mark>');
    expect(viaComment.body.items[0].snippet).not.toContain('<b>');
    await ticket('xss', agent.token, { title: 'Escaping', description: 'compare x < y & "quoted" kumquat' });
    const escaped = (await list('q=kumquat')).body.items[0].snippet;
    expect(escaped).toContain('&lt; y &amp; &quot;quoted&quot; <mark>kumquat</mark>');
  });

  it('understands web-search syntax: phrases, or, exclusion', async () => {
    expect(titles(await list(`q=${encodeURIComponent('"every hour"')}`))).toEqual(['VPN drops every hour']);
    expect(titles(await list(`q=${encodeURIComponent('printer or vpn')}`))).toEqual(['Printer on fire', 'VPN drops every hour']);
    expect(titles(await list(`q=${encodeURIComponent('remote -printer')}`))).toEqual(['VPN drops every hour']);
    expect((await list(`q=${encodeURIComponent('remote -tunnel')}`)).body.items).toEqual([]);
    const excluded = await list(`q=${encodeURIComponent('onboarding -grace')}`);
    expect(excluded.body.items).toEqual([]);
  });

  it('tolerates a typo through title similarity', async () => {
    const res = await list('q=printr');
    expect(res.body.items.map((i: { id: string }) => i.id)).toContain(ids.printer);
    expect(res.body.items[0].matchedBy).toBe('similarity');
  });

  it('ranks title hits above description hits', async () => {
    await ticket('rank-desc', agent.token, { title: 'Misc', description: 'the quasar module misbehaves' });
    await ticket('rank-title', agent.token, { title: 'Quasar module crash', description: 'see logs' });
    const res = await list('q=quasar');
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([ids['rank-title'], ids['rank-desc']]);
  });

  it('customers never match text that is only in an internal note, and see only their tickets', async () => {
    expect((await list('q=zebrafraud')).body.items.map((i: { id: string }) => i.id)).toEqual([ids.mine]);
    expect((await list('q=zebrafraud', customer.token)).body.items).toEqual([]);
    expect((await list('q=mailgun', customer.token)).body.items.map((i: { id: string }) => i.id)).toEqual([ids.mine]);
    expect(titles(await list('', customer.token))).toEqual(['Cannot log in']);
    expect((await list('q=printer', customer.token)).body.items).toEqual([]);
    expect((await list('q=printr', customer.token)).body.items).toEqual([]);
  });

  it('a customer\'s snippet never quotes an internal note, even one older than the public reply that matched', async () => {
    const own = await ticket('snippets', customer.token, { title: 'Portal question' });
    await t.request('POST', `/api/v1/tickets/${own.id}/comments`, { token: agent.token, body: { body: 'quasarword: leaked secret pricing', internal: true } });
    await t.request('POST', `/api/v1/tickets/${own.id}/comments`, { token: agent.token, body: { body: 'quasarword public answer for you' } });
    const forCustomer = await list('q=quasarword', customer.token);
    expect(forCustomer.body.items.map((i: { id: string }) => i.id)).toEqual([own.id]);
    expect(forCustomer.body.items[0].snippet).toContain('public answer');
    expect(forCustomer.body.items[0].snippet).not.toContain('secret');
    // Staff see the first matching comment, internal or not.
    expect((await list('q=quasarword')).body.items[0].snippet).toContain('secret');
  });
});

describe('GET /tickets sorting and pagination', () => {
  it('sorts by number, priority and created in both directions', async () => {
    const asc = (await list('sort=number&limit=100')).body.items.map((i: { number: number }) => i.number);
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    const desc = (await list('sort=-number&limit=100')).body.items.map((i: { number: number }) => i.number);
    expect(desc).toEqual([...asc].reverse());
    const byPriority = (await list('sort=-priority&limit=100')).body.items.map((i: { priority: string }) => i.priority);
    expect(byPriority[0]).toBe('urgent');
    expect(byPriority.at(-1)).toBe('low');
  });

  it('follows the priorities as an admin reorders and renames them', async () => {
    const admin = await t.createUser({ role: 'admin' });
    const order = async () => {
      const items = (await list('tag=reorder&sort=-priority&limit=100')).body.items as { priority: string }[];
      return items.map((i) => i.priority);
    };
    for (const priority of ['low', 'urgent', 'normal']) await ticket(`reorder-${priority}`, agent.token, { title: `Reorder ${priority}`, priority, tags: ['reorder'] });
    expect(await order()).toEqual(['urgent', 'normal', 'low']);
    expect((await t.request('PATCH', '/api/v1/ticket-priorities/low', { token: admin.token, body: { position: 10 } })).status).toBe(200);
    expect(await order()).toEqual(['low', 'urgent', 'normal']);
    expect((await t.request('PATCH', '/api/v1/ticket-priorities/urgent', { token: admin.token, body: { name: 'critical' } })).status).toBe(200);
    expect(await order()).toEqual(['low', 'critical', 'normal']);
    // A ticket created or changed afterwards takes the current position.
    await ticket('reorder-new', agent.token, { title: 'Reorder new', priority: 'critical', tags: ['reorder'] });
    await t.request('PATCH', `/api/v1/tickets/${ids['reorder-normal']}`, { token: agent.token, body: { priority: 'low' } });
    expect(await order()).toEqual(['low', 'low', 'critical', 'critical']);
    await t.request('PATCH', '/api/v1/ticket-priorities/low', { token: admin.token, body: { position: 0 } });
    await t.request('PATCH', '/api/v1/ticket-priorities/critical', { token: admin.token, body: { name: 'urgent' } });
  });

  it('walks every page without duplicates or gaps', async () => {
    for (let i = 0; i < 23; i++) await ticket(`bulk${i}`, agent.token, { title: `Paging ticket ${i}`, tags: ['paging'] });
    for (const sort of ['-updated', 'number', '-priority']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await list(`tag=paging&limit=5&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...page.body.items.map((i) => i.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(23);
      expect(new Set(seen).size).toBe(23);
    }
    expect((await list('cursor=bm9wZQ')).status).toBe(400);
  });
});

describe('relevance search window', () => {
  it('reads the newest tickets first, then the rest of the window, then the whole index, listing every match once across pages', async () => {
    // A second kernel on the same database: a window of three tickets and three comments, whose
    // first stage (a fixed third of it, at least one) is the single newest ticket and comment.
    const small = await startTestKernel({ workers: false, join: true, config: { tickets: { searchWindow: { tickets: 3, comments: 3, firstShare: 1 / 3 } } } });
    try {
      const me = await small.createUser({ role: 'agent' });
      const search = async (qs: string) => small.request('GET', `/api/v1/tickets?${qs}`, { token: me.token });
      const stageOf = (cursor: string) => JSON.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString()).k).stage;
      const old = await ticket('window-old', agent.token, { title: 'Quokkawindow escalation from long ago' });
      const fresh = [];
      for (let i = 0; i < 4; i++) fresh.push(await ticket(`window-new${i}`, agent.token, { title: `Fresh ticket ${i} about wombatwindow` }));
      // Only the old ticket matches, outside both windows: the whole index finds it on the first page.
      const lone = await search('q=quokkawindow');
      expect(lone.body.items.map((i: { id: string }) => i.id)).toEqual([old.id]);
      expect(lone.body.nextCursor).toBeNull();

      // Pages of two: the newest ticket, then the rest of the window, then the whole index.
      const seen: string[] = [];
      const stages: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await search(`q=wombatwindow&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((i: { id: string }) => i.id));
        cursor = page.body.nextCursor;
        if (cursor) stages.push(stageOf(cursor));
      } while (cursor);
      expect(seen[0]).toBe(fresh[3].id);
      expect(seen).toHaveLength(4);
      expect(new Set(seen)).toEqual(new Set(fresh.map((t) => t.id)));
      expect(stages).toContain('all');

      // A page that already holds matches from the windows stops before the whole index: it is
      // short, and its cursor starts the whole-index stage, which lists the one left.
      const first = await search('q=wombatwindow&limit=10');
      expect(first.body.items.map((i: { id: string }) => i.id)).toEqual([fresh[3].id, ...[fresh[2].id, fresh[1].id].sort().reverse()]);
      expect(stageOf(first.body.nextCursor)).toBe('all');
      const rest = await search(`q=wombatwindow&limit=10&cursor=${first.body.nextCursor}`);
      expect(rest.body.items.map((i: { id: string }) => i.id)).toEqual([fresh[0].id]);
      expect(rest.body.nextCursor).toBeNull();
      // A forged stage is refused like any other bad cursor.
      const forged = Buffer.from(JSON.stringify({ k: JSON.stringify({ stage: 'everything' }) })).toString('base64url');
      expect((await search(`q=wombatwindow&cursor=${forged}`)).status).toBe(400);
      // So is a stage that a search with that share never has (the whole window read at once has no second stage).
      const impossible = Buffer.from(JSON.stringify({ k: JSON.stringify({ stage: 'recent', share: 1 }) })).toString('base64url');
      const refused = await search(`q=wombatwindow&cursor=${impossible}`);
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].pointer).toBe('/query/cursor');
    } finally {
      await small.close();
    }
  });
});

describe('how much of the window a search reads first', () => {
  const window = { tickets: 5000, comments: 10000 };
  const million = { tickets: 1_000_000, comments: 5_000_000 };

  it('plans from how often the words occur: a slice for common words, the whole window for rarer ones, none for rare ones', () => {
    // One common word (13 % of tickets, 9 % of comments): a small slice already holds two pages.
    const common = planShare({ tickets: 0.13, comments: 0.09 }, million, window, 25);
    expect(common).toBeGreaterThanOrEqual(0.05);
    expect(common).toBeLessThan(0.1);
    // Two common words together: about a third.
    const pair = planShare({ tickets: 0.02, comments: 0.007 }, million, window, 25);
    expect(pair).toBeGreaterThan(0.2);
    expect(pair).toBeLessThan(0.5);
    // Three words: the whole window in one stage.
    expect(planShare({ tickets: 0.003, comments: 0.0004 }, million, window, 25)).toBe(1);
    // A rare word (an error code, a name): less than one expected match in the window, so the GIN index answers directly.
    expect(planShare({ tickets: 0.00001, comments: 0.00001 }, million, window, 25)).toBe(0);
    // A small desk: the window holds every ticket.
    expect(planShare({ tickets: 0.00001, comments: 0.00001 }, { tickets: 4000, comments: 20000 }, window, 25)).toBe(1);
  });

  it('skips the window for a word the statistics say is rare, and pages through the whole index', async () => {
    const small = await startTestKernel({ workers: false, join: true, config: { tickets: { searchWindow: { tickets: 3, comments: 3 } } } });
    try {
      const me = await small.createUser({ role: 'agent' });
      for (let i = 0; i < 3; i++) await ticket(`rare${i}`, agent.token, { title: `Error code zqxrarecode${i} zqxrarecode in the billing export` });
      // Enough other tickets and comments that three matches are rare for the statistics.
      for (let i = 0; i < 50; i++) {
        const filler = await ticket(`filler${i}`, agent.token, { title: `Filler ticket ${i}` });
        if (i < 30) await t.request('POST', `/api/v1/tickets/${filler.id}/comments`, { token: agent.token, body: { body: `Filler reply ${i}` } });
      }
      await small.kernel.db.query('analyze ticket');
      await small.kernel.db.query('analyze comment');
      forgetEstimates();
      const seen: string[] = [];
      let cursor: string | null = null;
      const shares: number[] = [];
      do {
        const page = await small.request('GET', `/api/v1/tickets?q=zqxrarecode&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: me.token });
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((i: { id: string }) => i.id));
        cursor = page.body.nextCursor;
        if (cursor) {
          const decoded = JSON.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString()).k);
          expect(decoded.stage).toBe('all');
          shares.push(decoded.share);
        }
      } while (cursor);
      expect(new Set(seen)).toEqual(new Set([ids.rare0, ids.rare1, ids.rare2]));
      expect(shares).toEqual([0]);
    } finally {
      await small.close();
    }
  });
});
