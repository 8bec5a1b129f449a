import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/sql';

/**
 * Reply-address tokens: `support+<token>@example.com` names the ticket a reply belongs to even
 * when a mail client drops In-Reply-To/References. The token is the ticket id's ULID part and a
 * truncated HMAC of it under the tenant's key, so it cannot be guessed or pointed at another
 * ticket: `<26 chars ulid>-<10 chars base32 mac>` (37 characters, fits a local part easily).
 */
const ULID = /^[0-9a-hjkmnp-tv-z]{26}$/;

export async function tenantKey(em: EntityManager, tenantId: string): Promise<Buffer> {
  const conn = em.getConnection();
  await conn.execute('insert into email_key (tenant_id, key) values (?, ?) on conflict (tenant_id) do nothing', [tenantId, randomBytes(32)]);
  const rows = (await conn.execute('select key from email_key where tenant_id = ?', [tenantId])) as { key: Buffer | Uint8Array }[];
  const key = rows[0]?.key;
  if (!key) throw new Error(`email: no reply key for tenant ${tenantId}`);
  return Buffer.from(key);
}

const mac = (key: Buffer, ulid: string) => base32(createHmac('sha256', key).update(`reply:${ulid}`).digest()).slice(0, 10);

export function replyToken(key: Buffer, ticketId: string): string {
  const ulid = ticketId.slice(ticketId.indexOf('_') + 1).toLowerCase();
  if (!ULID.test(ulid)) throw new Error(`email: not a ticket id: ${ticketId}`);
  return `${ulid}-${mac(key, ulid)}`;
}

/** The ticket id a token names, or null when it is not one of ours (wrong shape or MAC). */
export function ticketIdFromToken(key: Buffer, token: string): string | null {
  const [ulid, given] = token.toLowerCase().split('-');
  if (!ulid || !given || !ULID.test(ulid) || given.length !== 10) return null;
  const expected = Buffer.from(mac(key, ulid));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? `tkt_${ulid}` : null;
}

/** `support+<token>@example.com` from `support@example.com`. */
export function replyAddress(address: string, token: string): string {
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}+${token}${address.slice(at)}`;
}

/** The token in `local+token@domain` (the last `+` part), or null. */
export function tokenFromAddress(address: string): string | null {
  const local = address.slice(0, address.lastIndexOf('@'));
  const plus = local.lastIndexOf('+');
  return plus < 0 ? null : local.slice(plus + 1);
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}
