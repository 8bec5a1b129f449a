/**
 * The inbound mails of a ticket, read once per ticket for all its message panels
 * (`GET /email/messages?ticketId=`), not once per comment. A panel whose comment is missing from
 * the list it got (a reply that came in after the read) asks again; every panel that saw the same
 * stale list shares that one new read.
 */
import type { ApiClient } from '@ticketops/admin-ui/plugin-api';
import type { InboundMessage } from './shared.ts';

const lists = new Map<string, Promise<InboundMessage[]>>();

function read(api: ApiClient, ticketId: string): Promise<InboundMessage[]> {
  const pending = api.get<{ items: InboundMessage[] }>('/email/messages', { ticketId }).then((page) => page.items);
  pending.catch(() => {
    if (lists.get(ticketId) === pending) lists.delete(ticketId);
  });
  lists.set(ticketId, pending);
  return pending;
}

/** The inbound mail that became this comment, or null when it did not come by mail. */
export async function messageOfComment(api: ApiClient, ticketId: string, commentId: string): Promise<InboundMessage | null> {
  const first = lists.get(ticketId) ?? read(api, ticketId);
  const found = (await first).find((m) => m.commentId === commentId);
  if (found) return found;
  const current = lists.get(ticketId);
  const again = current && current !== first ? current : read(api, ticketId);
  return (await again).find((m) => m.commentId === commentId) ?? null;
}
