import type { ApiClient } from '../../api/client.ts';
import type { Page, Ticket } from '../../api/types.ts';
import { loadViews } from '../catalog.ts';
import { LAST_LIST_KEY, listQuery, stateFromSearch } from '../list-query.ts';

/**
 * The ticket before or after this one in the list the agent came from (its last address, kept by
 * the list page), for the detail's `j` / `k`: the list is read again (its first 100 rows, the
 * same query and sort) and the neighbour of this ticket taken. Null at either end, or when this
 * ticket is no longer in it.
 */
export async function neighbour(api: ApiClient, ticketId: string, step: 1 | -1): Promise<string | null> {
  const state = stateFromSearch(sessionStorage.getItem(LAST_LIST_KEY) ?? '');
  const view = state.view ? (await loadViews(api)).find((v) => v.id === state.view) : undefined;
  const query = listQuery(state, view);
  const path = query === null && view ? `/views/${encodeURIComponent(view.id)}/tickets` : '/tickets';
  const page = await api.get<Page<Ticket>>(path, { ...(query ?? {}), limit: 100 });
  const index = page.items.findIndex((ticket) => ticket.id === ticketId);
  if (index < 0) return null;
  return page.items[index + step]?.id ?? null;
}
