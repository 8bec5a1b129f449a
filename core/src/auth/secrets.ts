import { hash as digest, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library's defaults (19 MiB, 2 passes): OWASP's recommended floor. */
export const hashPassword = (password: string) => hash(password, { algorithm: 2 });

export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    // Spend the same time as a real check so a missing account is not told apart by timing.
    await verify(DUMMY_HASH, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}

const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$9XvWc2l7Vz7z9Jv5Qe0ZqY0xq1kq9v8iA1oGm0x2m8Y';

/** Random secret for tokens and session cookies: 32 bytes, base64url. */
export const newSecret = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

/**
 * Tokens and session ids are stored only as SHA-256; a leaked table gives nothing usable. One-shot
 * `hash`: it runs on every authenticated request, and needs no Hash object per call.
 */
export const sha256 = (value: string) => digest('sha256', value, 'hex');

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
