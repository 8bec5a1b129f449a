import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InboundKit, mail, startInbound } from './test-support.ts';

let kit: InboundKit;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicB64 = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
/** DNS of the sender's domain, served locally: its DKIM key and a DMARC policy. */
const zone: Record<string, string[][]> = {
  'sel._domainkey.customer.test:TXT': [[`v=DKIM1; k=rsa; p=${publicB64}`]],
  '_dmarc.customer.test:TXT': [['v=DMARC1; p=reject']],
};
const resolver = async (name: string, type: string) => {
  const answer = zone[`${name.toLowerCase()}:${type}`];
  if (answer) return answer;
  throw Object.assign(new Error(`no ${type} for ${name}`), { code: 'ENOTFOUND' });
};

const key = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const sign = (raw: Buffer) => dkimSign(raw, { signingDomain: 'customer.test', selector: 'sel', privateKey: key, signatureData: [{ signingDomain: 'customer.test', selector: 'sel', privateKey: key }] });

beforeAll(async () => {
  kit = await startInbound({ authentication: { verify: true, require: 'dmarc' } });
  kit.runtime.deps.resolver = resolver;
});
afterAll(async () => kit?.close());

describe('DKIM/SPF/DMARC (mailauth)', () => {
  it('ingests a DKIM-signed mail with DMARC pass and records the verdict', async () => {
    const raw = mail({ from: 'carla@customer.test', subject: 'signed' });
    const { signatures } = await sign(raw);
    const r = await kit.runtime.ingest({ tenantId: kit.tenantId, raw: Buffer.concat([Buffer.from(signatures), raw]), source: 'api' });
    expect(r.status).toBe('ticket');
    const row = (await kit.t.kernel.db.query<{ auth: Record<string, unknown> }>(`select auth from email_inbound where subject = 'signed'`))[0];
    expect(row?.auth).toMatchObject({ checked: true, dkim: 'pass', dmarc: 'pass' });
  });

  it('keeps aside a spoofed mail (signature broken by a changed body) when DMARC is required', async () => {
    const raw = mail({ from: 'carla@customer.test', subject: 'spoofed', body: 'original' });
    const { signatures } = await sign(raw);
    const tampered = Buffer.from(Buffer.concat([Buffer.from(signatures), raw]).toString('latin1').replace('original', 'send the invoice to my new IBAN'), 'latin1');
    const r = await kit.runtime.ingest({ tenantId: kit.tenantId, raw: tampered, source: 'api' });
    expect(r).toMatchObject({ status: 'quarantined', reason: 'authentication' });
    const unsigned = await kit.runtime.ingest({ tenantId: kit.tenantId, raw: mail({ from: 'carla@customer.test', subject: 'unsigned' }), source: 'api' });
    expect(unsigned).toMatchObject({ status: 'quarantined', reason: 'authentication' });
  });
});
