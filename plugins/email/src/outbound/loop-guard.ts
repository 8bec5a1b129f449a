import type { OutboundConfig } from './config.ts';

/**
 * Addresses whose mail comes back to this help desk: the From and reply addresses of every
 * tenant, their `+token` forms, and the configured mailboxes. A notification to one of them
 * would be ingested as a new comment and notify again — a mail loop — so none is ever sent.
 */
export function ownAddressGuard(config: OutboundConfig): (address: string) => boolean {
  const senders = [config.from, ...Object.values(config.tenants)];
  const own = new Set(
    [...senders.flatMap((s) => [s.address, s.replyAddress ?? s.address]), ...config.ownAddresses].map((a) => a.trim().toLowerCase()),
  );
  return (address: string) => {
    const a = address.trim().toLowerCase();
    if (own.has(a)) return true;
    // `support+anything@example.com` is delivered to `support@example.com`.
    const at = a.lastIndexOf('@');
    const plus = a.lastIndexOf('+', at);
    return plus > 0 && own.has(`${a.slice(0, plus)}${a.slice(at)}`);
  };
}
