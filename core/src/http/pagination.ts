import { TicketOpsError } from '@ticketops/plugin-sdk';

/** Opaque cursors: base64url of the last key seen, so clients never build them by hand. */
export const encodeCursor = (key: string) => Buffer.from(JSON.stringify({ k: key })).toString('base64url');

export function decodeCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed?.k === 'string') return parsed.k;
  } catch {}
  throw new TicketOpsError('invalid_input', 'cursor is not valid', { details: [{ pointer: '/query/cursor', message: 'is not a cursor this API returned' }] });
}
