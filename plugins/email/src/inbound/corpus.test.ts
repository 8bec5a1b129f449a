import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InboundKit, startInbound } from './test-support.ts';

/** The real-world messages of the mikel/mail test suite (104 files besides README and LICENSE), see its README. */
const CORPUS = process.env.TICKETOPS_EMAIL_CORPUS ?? '/work/shared/corpora/email-mikel-mail';

function messages(dir: string): string[] {
  const notMail = (name: string) => dir === CORPUS && (name === 'README.md' || name === 'LICENSE');
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? messages(join(dir, e.name)) : notMail(e.name) ? [] : [join(dir, e.name)]));
}

let kit: InboundKit;
const files = (() => {
  try {
    return messages(CORPUS);
  } catch {
    console.warn(`[email inbound] corpus ${CORPUS} not found: the corpus test is skipped`);
    return [];
  }
})();

describe.skipIf(files.length === 0)('the mikel/mail corpus', () => {
  beforeAll(async () => {
    kit = await startInbound({ rateLimit: { perSenderPerHour: 100_000 } });
  });
  afterAll(async () => kit?.close());

  it('ingests every message without a crash, or keeps it aside with a reason', async () => {
    const outcomes: Record<string, string> = {};
    const quarantineIds = new Set<string>();
    for (const file of files) {
      const result = await kit.runtime.ingest({ tenantId: kit.tenantId, raw: readFileSync(file), source: 'api' });
      outcomes[relative(CORPUS, file)] = result.status === 'quarantined' ? `quarantined:${result.reason}` : result.status;
      if (result.status === 'quarantined') quarantineIds.add(result.quarantineId);
    }
    expect(Object.keys(outcomes)).toHaveLength(files.length);
    const counts: Record<string, number> = {};
    for (const o of Object.values(outcomes)) counts[o] = (counts[o] ?? 0) + 1;
    console.info('[email inbound] corpus outcomes', counts);
    for (const outcome of Object.values(outcomes)) expect(outcome).toMatch(/^(ticket|comment|bounce|ignored|duplicate|quarantined:[a-z-]+)$/);
    // Each message is in exactly one place: ingested once (a repeated Message-ID is a duplicate), or kept aside.
    const kept = Number((await kit.t.kernel.db.query<{ n: string }>('select count(*) as n from email_inbound'))[0]?.n);
    expect(kept).toBe(Object.values(outcomes).filter((o) => /^(ticket|comment|bounce|ignored)$/.test(o)).length);
    const aside = await kit.t.kernel.db.query<{ id: string; reason: string }>('select id, reason from email_quarantine');
    expect(new Set(aside.map((r) => r.id))).toEqual(quarantineIds);
    expect((counts.ticket ?? 0) + (counts.comment ?? 0)).toBeGreaterThan(files.length / 2);
  }, 300_000);
});
