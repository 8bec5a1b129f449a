import type { ApiClient } from '../../api/client.ts';
import type { Comment, Page } from '../../api/types.ts';
import type { DetailTicket } from './ticket-api.ts';

export type TicketReading = Promise<[DetailTicket, Page<Comment>]>;

/** Messages drawn at once when a ticket opens (older ones on demand). */
export const FIRST_COMMENTS = 100;
/** A reading not taken this long after the press is dropped (a press becomes a click within a moment; older data could miss a change). */
const KEEP_MS = 3_000;
const started = new Map<string, { api: ApiClient; at: number; reading: TicketReading }>();

/** The ticket and its first page of messages, both asked at once. */
export function readTicket(api: ApiClient, id: string): TicketReading {
  const path = `/tickets/${encodeURIComponent(id)}`;
  return Promise.all([api.get<DetailTicket>(path), api.get<Page<Comment>>(`${path}/comments`, { limit: FIRST_COMMENTS })]);
}

/** The reading started when the agent pressed on the ticket's link, if there is a recent one (taken once). */
export function takeEarlyReading(api: ApiClient, id: string): TicketReading | null {
  const early = started.get(id);
  started.delete(id);
  return early && early.api === api && performance.now() - early.at < KEEP_MS ? early.reading : null;
}

const TICKET_LINK = /^\/admin\/tickets\/(tkt_[A-Za-z0-9]+)$/;

/**
 * Starts reading a ticket when the agent presses on a link to it inside `host` (pointer down, or
 * Enter on the link), so the data is on its way while the click completes, the route changes and
 * the detail's code runs; the detail takes the reading instead of asking again.
 */
export function readTicketsOnPress(host: HTMLElement, api: () => ApiClient | undefined): void {
  const press = (event: Event) => {
    if (event instanceof KeyboardEvent && event.key !== 'Enter') return;
    // A press that opens another tab (or a menu) does not open the ticket here.
    if (event instanceof MouseEvent && (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey)) return;
    const link = event.composedPath().find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement);
    const id = link && TICKET_LINK.exec(link.pathname)?.[1];
    const client = api();
    const early = id ? started.get(id) : undefined;
    if (!id || !client || (early && performance.now() - early.at < KEEP_MS)) return;
    const reading = readTicket(client, id);
    reading.catch(() => started.delete(id));
    started.set(id, { api: client, at: performance.now(), reading });
  };
  host.addEventListener('pointerdown', press);
  host.addEventListener('keydown', press);
}
