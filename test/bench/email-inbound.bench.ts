/**
 * Inbound email: 10 kB messages end to end through the plugin's SMTP listener (one connection per
 * message, several clients at once) into tickets and comments — prescan, MIME parse in the worker
 * pool, reply stripping, threading, one transaction per message — and the same through direct
 * ingest (no SMTP), beside the parse-only rate of the same messages in the same run. Then the MIME
 * bombs: time to refuse each (the loop is blocked that long) and the loop delay while a too-deep one is parsed.
 * Run: node test/bench/email-inbound.bench.ts   (BENCH_MESSAGES, BENCH_CLIENTS, BENCH_WORKERS)
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startTestKernel } from '../../core/src/testing/index.ts';
import { emailPlugin } from '../../plugins/email/src/index.ts';
import { deepNesting, hugeHeader, manyParts } from '../../plugins/email/src/inbound/parse/bombs.ts';
import { ParserPool } from '../../plugins/email/src/inbound/parse/pool.ts';
import { prescan } from '../../plugins/email/src/inbound/parse/prescan.ts';
import type { InboundRuntime } from '../../plugins/email/src/inbound/part.ts';
import { mail, smtpSend } from '../../plugins/email/src/inbound/test-support.ts';
import { machine, round, save } from './lib.ts';

const count = Number(process.env.BENCH_MESSAGES ?? 600);
const clients = Number(process.env.BENCH_CLIENTS ?? 8);
const workers = Number(process.env.BENCH_WORKERS ?? 2);
const results: Record<string, unknown> = { machine: machine(), messages: count, clients, parseWorkers: workers, messageBytes: 10 * 1024 };
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

const paragraph = 'The printer on the third floor prints only blank pages since this morning; we tried a restart. ';
/** About 10 kB: a reply (every third message, to an earlier one) or a new mail, with quoted history. */
function message(i: number, tag: string): Buffer {
  // Every third mail answers one sent well before (so it committed, whatever the concurrency); mails
  // 60 apart come from one customer, so the answer's sender is a participant of that ticket.
  const reply = i % 3 === 2 && i >= 60;
  const answered = i - 60;
  const body = `${paragraph.repeat(60)}\r\n\r\nOn Mon, 30 Nov 2026, Support wrote:\r\n${`> ${paragraph}\r\n`.repeat(40)}`;
  return mail({
    from: `customer${i % 60}@customer.test`,
    subject: reply ? `Re: printer ${answered}` : `printer ${i}`,
    messageId: `<${tag}-${i}@customer.test>`,
    inReplyTo: reply ? `<${tag}-${answered}@customer.test>` : undefined,
    body: body.slice(0, 10 * 1024),
  });
}

async function pooled<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await work(items[next++] as T);
  }));
}

// Parse only: the worker pool on the same messages.
{
  const pool = new ParserPool({ size: workers, timeoutMs: 20_000, maxNestingDepth: 30, maxHeadersSize: 1024 * 1024 });
  const raws = Array.from({ length: count }, (_, i) => message(i, 'parse'));
  await pooled(raws.slice(0, 20), 4, async (raw) => void (await pool.parse(raw)));
  const start = process.hrtime.bigint();
  await pooled(raws, workers * 4, async (raw) => void (await pool.parse(raw)));
  const s = seconds(start);
  results.parseOnly = { seconds: round(s), messagesPerSecond: round(count / s) };
  console.log('parse only', results.parseOnly);
  await pool.close();
}

const t = await startTestKernel({
  workers: false,
  plugins: [{ definition: emailPlugin, config: { inbound: { enabled: true, parseWorkers: workers, smtp: { enabled: true, port: 0 }, imap: { enabled: false }, rateLimit: { perSenderPerHour: 1_000_000 } } } }],
});
const runtime = t.kernel.container.resolve<{ get(): InboundRuntime }>('email.inbound').get();
const tenantId = (await t.kernel.db.query<{ id: string }>('select id from tenant order by created_at limit 1'))[0]?.id as string;
await t.kernel.db.query(`insert into email_mailbox (id, tenant_id, name, address, host, port, username, password) values ('emb_bench', ?, 'Bench', 'support@help.test', '127.0.0.1', 1, 'u', 'p')`, [tenantId]);
try {
  const port = runtime.smtp?.port as number;
  // Warm-up (module loading, JIT, customers made): not counted.
  for (let i = 0; i < 20; i++) await smtpSend(port, { from: 'w@customer.test', to: ['support@help.test'] }, message(i, 'warm'));

  const counts = async () => (await t.kernel.db.query<{ kind: string; n: string }>('select kind, count(*) as n from email_inbound group by kind order by kind')).map((r) => `${r.kind}=${r.n}`).join(' ');
  {
    const raws = Array.from({ length: count }, (_, i) => message(i, 'smtp'));
    const start = process.hrtime.bigint();
    let failed = 0;
    await pooled(raws, clients, async (raw) => {
      const sent = await smtpSend(port, { from: 'bench@customer.test', to: ['support@help.test'] }, raw);
      if (sent.codes.at(-1) !== 250) failed++;
    });
    const s = seconds(start);
    results.smtpEndToEnd = { seconds: round(s), messagesPerSecond: round(count / s), failed, outcome: await counts() };
    console.log('SMTP → tickets/comments', results.smtpEndToEnd);
  }
  {
    const raws = Array.from({ length: count }, (_, i) => message(i, 'direct'));
    const start = process.hrtime.bigint();
    await pooled(raws, clients, async (raw) => void (await runtime.ingest({ tenantId, raw, source: 'api' })));
    const s = seconds(start);
    results.directIngest = { seconds: round(s), messagesPerSecond: round(count / s), outcome: await counts() };
    console.log('direct ingest → tickets/comments', results.directIngest);
  }
  {
    const limits = { maxMessageBytes: 64 * 1024 * 1024, maxHeaderBytes: 256 * 1024, maxParts: 1000, maxDepth: 30 };
    const bombs = { millionParts: manyParts(1_000_000), nesting10000: deepNesting(10_000), header1MB: hugeHeader(1024 * 1024) };
    const bombResults: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(bombs)) {
      // The prescan is synchronous: the event loop is blocked for exactly this long, nothing parses after it.
      const start = process.hrtime.bigint();
      const verdict = prescan(raw, limits);
      const ms = seconds(start) * 1000;
      bombResults[name] = { bytes: raw.length, refusedAs: verdict.ok ? 'accepted?!' : verdict.reason, loopBlockedMs: round(ms) };
    }
    // Depth within the byte caps (40 levels): refused by postal-mime's depth limit in the worker, the loop free meanwhile.
    const lag = monitorEventLoopDelay({ resolution: 5 });
    lag.enable();
    const start = process.hrtime.bigint();
    const deep = await runtime.ingest({ tenantId, raw: deepNesting(40), source: 'api' });
    bombResults.nesting40 = { refusedAs: deep.status === 'quarantined' ? deep.reason : deep.status, ms: round(seconds(start) * 1000), maxLoopDelayMs: round(lag.max / 1e6) };
    lag.disable();
    results.mimeBombs = bombResults;
    console.log('MIME bombs', bombResults);
  }
  save('email-inbound', results);
} finally {
  await runtime.stop();
  await t.close();
}
process.exit(0);
