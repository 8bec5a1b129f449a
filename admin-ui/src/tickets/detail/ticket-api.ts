import type { ApiClient } from '../../api/client.ts';
import { ApiError } from '../../api/client.ts';
import type { Ticket } from '../../api/types.ts';

/** The ticket as the detail reads it: the list's shape plus the fields only the detail shows. */
export type DetailTicket = Ticket & {
  organizationId?: string | null;
  customFields?: Record<string, unknown>;
  mergedIntoId?: string | null;
  channel?: string;
};

/** `PATCH /tickets/{id}` with `If-Match` on the version shown: a change made meanwhile answers 412. */
export async function patchTicket(api: ApiClient, ticket: Ticket, body: Record<string, unknown>): Promise<DetailTicket> {
  const { data } = await api.request<DetailTicket>('PATCH', `/tickets/${encodeURIComponent(ticket.id)}`, { body, headers: { 'if-match': `"${ticket.version}"` } });
  return data;
}

/** The field errors of an RFC 9457 problem under `prefix` (e.g. `/body/customFields/`), by the rest of the pointer. */
export function fieldErrors(error: unknown, prefix: string): Map<string, string> {
  const found = new Map<string, string>();
  if (!(error instanceof ApiError)) return found;
  for (const e of error.errors ?? []) {
    if (e.pointer.startsWith(prefix)) {
      const key = e.pointer.slice(prefix.length).split('/')[0] ?? '';
      found.set(key, found.has(key) ? `${found.get(key)}; ${e.message}` : e.message);
    }
  }
  return found;
}

export const isConflict = (error: unknown) => error instanceof ApiError && error.status === 412;
export const isSignedOut = (error: unknown) => error instanceof ApiError && error.status === 401;

/** A ticket by number (`#12` or `12`) or by words of its title, for the pickers of links and merges. */
export async function findTickets(api: ApiClient, text: string, exceptId: string): Promise<Ticket[]> {
  const query = text.trim();
  if (!query) return [];
  const number = /^#?(\d+)$/.exec(query)?.[1];
  if (number) {
    const ticket = await api.get<Ticket>(`/tickets/by-number/${number}`).catch(() => null);
    return ticket && ticket.id !== exceptId ? [ticket] : [];
  }
  const page = await api.get<{ items: Ticket[] }>('/tickets', { q: query, limit: 8 });
  return page.items.filter((t) => t.id !== exceptId);
}
