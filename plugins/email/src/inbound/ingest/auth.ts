import { promises as dns } from 'node:dns';
import { authenticate } from 'mailauth';

/** DKIM/SPF/DMARC as recorded with each message (`none` when not checked). */
export interface AuthVerdict {
  checked: boolean;
  dkim: string;
  spf: string;
  dmarc: string;
  error?: string;
}

export const UNCHECKED: AuthVerdict = { checked: false, dkim: 'none', spf: 'none', dmarc: 'none' };

type Resolver = (domain: string, rrtype: string) => Promise<string[][] | string[]>;

/** DNS with a deadline: a slow resolver gives `temperror`, never a stuck ingest. */
export function timedResolver(timeoutMs: number, resolve: Resolver = dns.resolve as Resolver): Resolver {
  return (domain, rrtype) =>
    new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(Object.assign(new Error('DNS timeout'), { code: 'ETIMEOUT' })), timeoutMs);
      resolve(domain, rrtype).then(
        (v) => { clearTimeout(timer); ok(v); },
        (e) => { clearTimeout(timer); fail(e); },
      );
    });
}

/** Verifies the message with mailauth; `ip` is the connecting client when the SMTP listener got it. */
export async function verifyAuth(raw: Buffer, options: { ip?: string; helo?: string; sender?: string; resolver: Resolver }): Promise<AuthVerdict> {
  try {
    const result = await authenticate(raw, { ip: options.ip, helo: options.helo, sender: options.sender, resolver: options.resolver, trustReceived: !options.ip, disableArc: true });
    const dkim = result.dkim?.results?.some((r) => r.status?.result === 'pass') ? 'pass' : (result.dkim?.results?.[0]?.status?.result ?? 'none');
    return { checked: true, dkim, spf: result.spf ? result.spf.status.result : 'none', dmarc: result.dmarc ? result.dmarc.status.result : 'none' };
  } catch (error) {
    return { checked: true, dkim: 'temperror', spf: 'temperror', dmarc: 'temperror', error: (error as Error).message };
  }
}
