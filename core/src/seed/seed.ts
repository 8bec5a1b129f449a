import { hashPassword } from '../auth/secrets.ts';
import type { Kernel } from '../kernel/kernel.ts';
import { DEFAULT_TENANT_ID } from '../kernel-data/ids.ts';
import { numberSequence } from '../tickets/numbers.ts';
import { FIRST_NAMES, LAST_NAMES, WORDS } from './words.ts';

export interface SeedOptions {
  tickets: number;
  commentsPerTicket: number;
  /** Also create demo staff with a known password, a ticket type and organizations. */
  demo: boolean;
  /** Load in one transaction with secondary indexes rebuilt at the end; default from 100,000 tickets. */
  bulkLoad?: boolean;
  onProgress?(message: string): void;
}

const BATCH = 50_000;
const BULK_LOAD_FROM = 100_000;

type Run = (text: string, params?: unknown[]) => Promise<unknown[]>;

/** Drops the non-unique indexes of ticket and comment; returns the statements that recreate them. */
async function dropSecondaryIndexes(exec: Run): Promise<string[]> {
  const rows = (await exec(
    `select i.indexname, i.indexdef from pg_indexes i join pg_index x on x.indexrelid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass
      where i.tablename in ('ticket', 'comment') and i.schemaname = current_schema() and not x.indisunique`,
  )) as { indexname: string; indexdef: string }[];
  for (const row of rows) await exec(`drop index ${row.indexname}`);
  return rows.map((r) => r.indexdef);
}

/**
 * Generates data set-based in SQL (INSERT … SELECT over generate_series), so a million tickets and
 * five million comments take minutes. Text comes from a help-desk vocabulary so search is realistic.
 * Runs again on top of earlier seeds: ids carry a run prefix and numbers continue the counter.
 */
export async function seed(kernel: Kernel, options: SeedOptions) {
  const db = kernel.db;
  const t = DEFAULT_TENANT_ID;
  const run = Date.now().toString(36);
  const log = options.onProgress ?? (() => {});
  const words = `(array[${WORDS.map((w) => `'${w}'`).join(',')}])`;
  const phrase = (min: number, spread: number, seedExpr: string) =>
    `(select string_agg(${words}[1 + floor(random() * ${WORDS.length})::int], ' ') from generate_series(1, ${min} + (${seedExpr}) % ${spread}))`;

  const password = options.demo ? await hashPassword('demo password') : null;
  await db.query(
    `insert into organization (id, tenant_id, name, domains, shared_tickets)
     select 'org_${run}' || g, ?, 'Customer ' || g || ' ' || (array['Ltd','GmbH','Inc','SA','BV'])[1 + g % 5]
              -- names are unique per tenant: a later seed marks its own
              || case when exists (select 1 from organization o where o.tenant_id = ? and o.name like 'Customer %') then ' (${run})' else '' end,
            array['customer' || g || '-${run}.example'], g % 3 = 0
       from generate_series(1, 50) g`,
    [t, t],
  );
  await db.query(
    `insert into app_user (id, tenant_id, email, name, role, password_hash)
     select 'usr_${run}a' || g, ?, 'agent' || g || '-${run}@demo.ticketops.test', (?::text[])[1 + g % 20] || ' ' || (?::text[])[1 + (g * 7) % 20], 'agent', ?
       from generate_series(1, 20) g`,
    [t, `{${FIRST_NAMES.join(',')}}`, `{${LAST_NAMES.join(',')}}`, password],
  );
  await db.query(
    `insert into app_user (id, tenant_id, email, name, role, organization_id)
     select 'usr_${run}c' || g, ?, 'customer' || g || '@customer' || (1 + g % 50) || '-${run}.example', (?::text[])[1 + g % 20] || ' ' || (?::text[])[1 + (g * 3) % 20], 'customer', 'org_${run}' || (1 + g % 50)
       from generate_series(1, 2000) g`,
    [t, `{${FIRST_NAMES.join(',')}}`, `{${LAST_NAMES.join(',')}}`],
  );
  await db.query(`insert into agent_group (id, tenant_id, name) select 'grp_${run}' || g, ?, (array['Service desk','Network','Hardware','Accounts','Billing'])[g] || ' ${run}' from generate_series(1, 5) g`, [t]);
  await db.query(`insert into group_member (group_id, user_id, tenant_id) select 'grp_${run}' || (1 + g % 5), 'usr_${run}a' || g, ? from generate_series(1, 20) g`, [t]);
  await db.query(
    `insert into ticket_type (id, tenant_id, name, fields_schema) values ('tty_incident', ?, 'incident', ?::jsonb) on conflict do nothing`,
    [t, JSON.stringify({ type: 'object', properties: { severity: { enum: ['minor', 'major', 'critical'] }, affectedUsers: { type: 'integer', minimum: 0 } } })],
  );
  log('people, organizations, groups ready');

  // Large loads run in one transaction with the ticket and comment secondary indexes dropped and
  // rebuilt at the end: building a GIN index once is many times faster than growing it row by row.
  // The tables are locked meanwhile, which is fine for the benchmark databases this is for.
  const bulkLoad = options.bulkLoad ?? options.tickets >= BULK_LOAD_FROM;
  const comments = options.tickets * options.commentsPerTicket;
  const load = async (exec: Run) => {
    const rebuild = bulkLoad ? await dropSecondaryIndexes(exec) : [];
    // Reserve a block of numbers: concurrent creates keep drawing from the sequence after it.
    const seq = numberSequence(t);
    const [counter] = (await exec(`select setval('${seq}', nextval('${seq}') + ? - 1) as last_number`, [options.tickets])) as { last_number: string }[];
    const firstNumber = Number(counter?.last_number) - options.tickets;
    const statuses = `(array['new','open','open','pending','on-hold','solved','solved','closed','closed','closed'])`;
    const categories = statuses;
    for (let from = 1; from <= options.tickets; from += BATCH) {
      const to = Math.min(options.tickets, from + BATCH - 1);
      await exec(
        `insert into ticket (id, tenant_id, number, title, description, status, status_category, priority, type, requester_id, organization_id, assignee_id, group_id, tags, channel, custom_fields, created_at, updated_at)
         select 'tkt_${run}' || g, ?, ? + g, initcap(${phrase(3, 5, 'g')}), ${phrase(12, 20, 'g * 7')},
                ${statuses}[1 + floor(x.status * 10)::int], ${categories}[1 + floor(x.status * 10)::int], (array['low','normal','normal','high','urgent'])[1 + floor(x.priority * 5)::int],
                case when x.kind < 0.25 then 'incident' end, 'usr_${run}c' || (1 + g % 2000), 'org_${run}' || (1 + (g % 2000) % 50),
                case when x.assignee < 0.2 then null else 'usr_${run}a' || (1 + floor(x.assignee * 100)::int % 20) end, 'grp_${run}' || (1 + floor(x.grp * 5)::int),
                array[${words}[1 + floor(x.tag1 * ${WORDS.length})::int], ${words}[1 + floor(x.tag2 * ${WORDS.length})::int]], (array['email','web','api','phone'])[1 + floor(x.channel * 4)::int],
                case when x.kind < 0.25 then jsonb_build_object('severity', (array['minor','major','critical'])[1 + floor(x.kind * 12)::int], 'affectedUsers', floor(x.channel * 200)::int) else '{}'::jsonb end,
                now() - make_interval(mins => floor(x.created * 525600)::int),
                -- updated between creation and now, most of them recently
                now() - make_interval(mins => floor(x.created * 525600)::int) * power(x.updated, 3)
           from generate_series(?::int, ?::int) g
           -- independent draws per ticket (referencing g keeps them per row), so no two fields correlate
           cross join lateral (select g as n, random() as status, random() as priority, random() as kind, random() as assignee, random() as grp,
                                      random() as tag1, random() as tag2, random() as channel, random() as created, random() as updated) x`,
        [t, firstNumber, from, to],
      );
      log(`tickets ${to}/${options.tickets}`);
    }
    // The tag catalogue lists every tag in use (suggestions, the tags API).
    await exec('insert into tag (tenant_id, name) select distinct ?, unnest(tags) from ticket where tenant_id = ? on conflict do nothing', [t, t]);
    for (let from = 1; from <= comments; from += BATCH) {
      const to = Math.min(comments, from + BATCH - 1);
      await exec(
        `insert into comment (id, tenant_id, ticket_id, author_id, body, internal, channel, created_at)
         select 'cmt_${run}' || g, ?, 'tkt_${run}' || (1 + (g - 1) / ?), case when g % 2 = 0 then 'usr_${run}a' || (1 + g % 20) else 'usr_${run}c' || (1 + ((g - 1) / ?) % 2000) end,
                ${phrase(8, 20, 'g * 3')}, g % 5 = 0, 'api', now() - make_interval(mins => (g * 7) % 43200)
           from generate_series(?::int, ?::int) g`,
        [t, options.commentsPerTicket, options.commentsPerTicket, from, to],
      );
      log(`comments ${to}/${comments}`);
    }
    if (rebuild.length) {
      log(`rebuilding ${rebuild.length} indexes`);
      await exec(`set local maintenance_work_mem = '256MB'`);
      for (const definition of rebuild) await exec(definition);
    }
  };
  if (bulkLoad) await db.em.fork().transactional((em) => load((text, params) => em.getConnection().execute(text, (params ?? []) as never[], 'all', em.getTransactionContext())));
  else await load((text, params) => db.query(text, params));
  await db.query('analyze ticket');
  await db.query('analyze comment');
  return {
    tickets: options.tickets,
    comments,
    agents: 20,
    customers: 2000,
    organizations: 50,
    ...(options.demo ? { login: { email: `agent1-${run}@demo.ticketops.test`, password: 'demo password' } } : {}),
  };
}
