import { randomBytes } from 'node:crypto';

/** Prefixed ids that sort by creation time (`slc_…`): a base-36 millisecond clock, then 64 random bits. */
export function newId(prefix: string): string {
  return `${prefix}_${Date.now().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;
}
