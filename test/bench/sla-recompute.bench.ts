/**
 * SLA at scale, in process against PostgreSQL:
 *  1. backfill SLA facts for tickets seeded before the plugin (`ticketops seed --tickets 100000`);
 *  2. recompute every open ticket after a calendar change (issue 5: < 30 s, no lock held over 1 s —
 *     every batch is one transaction holding its rows' locks, so the longest transaction bounds it);
 *  3. per-ticket-event overhead: the plugin's hook tap (fact insert in the ticket's transaction)
 *     plus the after-commit recompute of that ticket (issue 5: p95 < 2 ms).
 * Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/ticketops_bench_sla node test/bench/sla-recompute.bench.ts
 * (seed first: npx ticketops seed --tickets 100000 with the same DATABASE_URL).
 */
import pino from 'pino';
import { Kernel, loadConfig } from '@ticketops/core';
import type { HookContext, KernelHooks, Scope, TicketRecord } from '@ticketops/plugin-sdk';
import { engine, slaPlugin } from '../../plugins/sla/src/index.ts';
import { tapTicketFacts } from '../../plugins/sla/src/engine/facts.ts';
import { phaseMs, recomputeTicket } from '../../plugins/sla/src/engine/recompute.ts';
import { machine, round, save } from './lib.ts';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/ticketops_bench_sla';
const events = Number(process.env.BENCH_EVENTS ?? 2000);
const config = loadConfig({}, { port: 0, host: '127.0.0.1', logLevel: 'silent', databaseUrl, dataDir: '/tmp/ticketops-bench-sla' });
const kernel = await Kernel.boot({ config, plugins: [{ definition: slaPlugin, config: {} }], workers: false, logger: pino({ level: 'warn' }) });
const db = kernel.db;
const tenant = 'ten_default';
const sys = <R>(work: (scope: Scope) => Promise<R>) => kernel.runAsSystem(tenant, `bench-sla-${Date.now()}`, work);
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const results: Record<string, unknown> = { machine: machine() };

try {
  const [{ n }] = (await db.query<{ n: number }>('select count(*)::int as n from ticket where tenant_id = ?', [tenant])) as [{ n: number }];
  if (n < 100_000) throw new Error(`seed 100,000 tickets first (found ${n})`);
  // BENCH_REUSE=1 keeps the SLA data of a previous run (backfill figures then come from that run's file).
  const reuse = process.env.BENCH_REUSE === '1' && ((await db.query<{ n: number }>('select count(*)::int as n from sla_ticket'))[0]?.n ?? 0) >= 100_000;
  if (!reuse) {
    // Every seeded ticket open (the seed closes half of them): the benchmark is about 100,000 open tickets.
    await db.query(`update ticket set status = 'open', status_category = 'open', solved_at = null, closed_at = null where tenant_id = ? and status_category in ('solved', 'closed')`, [tenant]);
    // A clean SLA slate, one business calendar (Berlin, two intervals a day, DE-BY holidays) and three policies.
    for (const table of ['sla_metric_cycle', 'sla_escalation', 'sla_ticket', 'sla_ticket_fact', 'sla_policy', 'sla_calendar']) await db.query(`delete from ${table}`);
    const hours = { mon: [['08:00', '12:00'], ['13:00', '17:00']], tue: [['08:00', '12:00'], ['13:00', '17:00']], wed: [['08:00', '12:00'], ['13:00', '17:00']], thu: [['08:00', '12:00'], ['13:00', '17:00']], fri: [['08:00', '14:00']] };
    await db.query(`insert into sla_calendar (id, tenant_id, name, time_zone, hours, holidays, country, region) values ('slc_bench', ?, 'Berlin', 'Europe/Berlin', ?::jsonb, '[]', 'DE', 'BY')`, [tenant, JSON.stringify(hours)]);
    const policies = [
      ['slp_bench_vip', 'VIP', 1, { priorities: ['urgent'] }, { '*': { firstResponse: 30, nextResponse: 60, resolution: 480 } }],
      ['slp_bench_high', 'High', 2, { priorities: ['high'] }, { '*': { firstResponse: 60, nextResponse: 120, resolution: 960 } }],
      ['slp_bench_std', 'Standard', 3, {}, { '*': { firstResponse: 240, nextResponse: 480, resolution: 2400 } }],
    ] as const;
    for (const [id, name, position, conditions, targets] of policies) {
      await db.query(`insert into sla_policy (id, tenant_id, name, position, conditions, targets, calendar_id, warning_percent, escalations) values (?, ?, ?, ?, ?::jsonb, ?::jsonb, 'slc_bench', 80, ?::jsonb)`,
        [id, tenant, name, position, JSON.stringify(conditions), JSON.stringify(targets), JSON.stringify([{ at: 'breached', metric: '*', actions: [{ type: 'notify', assignee: true }] }])]);
    }

    const backfill = await sys((scope) => engine.backfill(scope));
    for (const k of Object.keys(phaseMs)) phaseMs[k] = 0;
    const [{ facts }] = (await db.query<{ facts: number }>('select count(*)::int as facts from sla_ticket_fact')) as [{ facts: number }];
    results.backfill = { tickets: backfill.tickets, facts, seconds: round(backfill.seconds), batches: backfill.batches, longestTransactionMs: round(backfill.longestTxMs) };
    console.log('backfill', results.backfill);
  }
  // As autovacuum would have by then: the backfill rewrote every row.
  for (const table of ['sla_ticket', 'sla_ticket_fact', 'sla_metric_cycle', 'sla_escalation']) await db.query(`vacuum analyze ${table}`);
  // The calendar changes (a new Friday afternoon): every open ticket is re-derived.
  await db.query(`update sla_calendar set hours = jsonb_set(hours, '{fri}', '[["08:00","12:00"],["13:00","17:00"]]'), version = version + 1 where id = 'slc_bench'`);
  const started = performance.now();
  const parallel = Number(process.env.BENCH_PARALLEL ?? 2);
  const run = await sys((scope) => engine.recomputeTenant(scope, { parallel }));
  results.recomputePhasesMs = Object.fromEntries(Object.entries(phaseMs).map(([k, v]) => [k, Math.round(v)]));
  const seconds = (performance.now() - started) / 1000;
  results.recompute = { openTickets: run.tickets, seconds: round(seconds), ticketsPerSecond: Math.round(run.tickets / seconds), parallel, batches: run.batches, longestTransactionMs: round(run.longestTxMs) };
  console.log('recompute after a calendar change', results.recompute);

  // Per-ticket event: the tap (in the ticket's transaction) + the after-commit recompute of that ticket.
  let tap: ((arg: unknown, ctx: HookContext) => Promise<void>) | undefined;
  const fakeHooks = { ticket: { afterCreate: { tapPromise() {} }, afterUpdate: { tapPromise: (_o: unknown, fn: typeof tap) => { tap = fn; } } }, comment: { afterCreate: { tapPromise() {} } } } as unknown as KernelHooks;
  tapTicketFacts(fakeHooks);
  const rows = await db.query<Record<string, any>>(`select id, status, status_category, priority, type, organization_id, group_id, requester_id, tags, custom_fields from ticket where tenant_id = ? order by random() limit ?`, [tenant, events]);
  const tapMs: number[] = [];
  const recomputeMs: number[] = [];
  const totalMs: number[] = [];
  for (const [i, r] of rows.entries()) {
    const ticket = { id: r.id, status: r.status, statusCategory: r.status_category, priority: i % 2 ? 'high' : 'urgent', type: r.type, organizationId: r.organization_id, groupId: r.group_id, requesterId: r.requester_id, tags: r.tags ?? [], customFields: r.custom_fields ?? {}, updatedAt: new Date().toISOString() } as unknown as TicketRecord;
    await sys((scope) =>
      scope.transactional(async (tx) => {
        const t0 = performance.now();
        await tap!({ ticket, changes: [{ field: 'priority', from: 'normal', to: ticket.priority }] }, { tenantId: tenant, actor: scope.actor, requestId: 'bench', em: tx.em, emit: tx.emit } as HookContext);
        tapMs.push(performance.now() - t0);
      }),
    );
    await sys(async (scope) => {
      const t0 = performance.now();
      await scope.transactional((tx) => recomputeTicket(tx, scope, r.id));
      recomputeMs.push(performance.now() - t0);
      totalMs.push(tapMs[tapMs.length - 1]! + recomputeMs[recomputeMs.length - 1]!);
    });
  }
  const stats = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { p50: round(pct(s, 50)), p95: round(pct(s, 95)), p99: round(pct(s, 99)), mean: round(s.reduce((a, b) => a + b, 0) / s.length) };
  };
  results.perEvent = { events: rows.length, tapMs: stats(tapMs), recomputeMs: stats(recomputeMs), totalMs: stats(totalMs) };
  console.log('per ticket event (ms)', results.perEvent);
} finally {
  await kernel.stop();
}
save('sla-recompute', results);
process.exit(0);
