import { TicketOpsError } from '@ticketops/plugin-sdk';

export const etag = (version: number) => `"${version}"`;

/** `If-Match: "3"` (or W/"3") → 3, else the body's `version`; neither → undefined (last write wins, as for tickets). */
export function expectedVersion(headers: Record<string, string | string[] | undefined>, bodyVersion?: number): number | undefined {
  const raw = headers['if-match'];
  if (raw === undefined) return bodyVersion;
  const match = typeof raw === 'string' ? /^(?:W\/)?"(\d+)"$/.exec(raw.trim()) : null;
  if (!match) throw new TicketOpsError('invalid_input', 'If-Match must be an ETag this API returned, like "3"', { details: [{ pointer: '/headers/if-match', message: 'is not an article ETag' }] });
  return Number(match[1]);
}

/** 412 when the article moved on since the version the client read; nothing is written. */
export function assertVersion(current: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== current) {
    throw new TicketOpsError('precondition_failed', `The article changed since version ${expected} (now ${current}); reload and retry`, { extra: { currentVersion: current } });
  }
}
