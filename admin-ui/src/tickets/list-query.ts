import type { Query } from '../api/client.ts';
import type { SavedView, Ticket } from '../api/types.ts';

/** What the ticket list shows; kept in the address (`/admin/tickets?view=…&q=…`) so it can be linked and reloaded. */
export interface ListState {
  view?: string;
  q?: string;
  status?: string;
  priority?: string;
  assigneeId?: string;
  sort?: string;
}

/** Session-storage key of the list's last address, for the detail page's way back. */
export const LAST_LIST_KEY = 'ticketops.lastTicketList';

export const STATE_KEYS = ['view', 'q', 'status', 'priority', 'assigneeId', 'sort'] as const;

export function stateFromSearch(search: string): ListState {
  const params = new URLSearchParams(search);
  const state: ListState = {};
  for (const key of STATE_KEYS) {
    const value = params.get(key)?.trim();
    if (value) state[key] = value;
  }
  return state;
}

export function searchFromState(state: ListState): string {
  const params = new URLSearchParams();
  for (const key of STATE_KEYS) if (state[key]) params.set(key, state[key] as string);
  const text = params.toString();
  return text ? `?${text}` : '';
}

const LIST_KEYS = ['status', 'statusCategory', 'priority', 'assigneeId', 'groupId', 'type', 'tag', 'anyTag', 'requesterId', 'organizationId'];
const TEXT_KEYS = ['q', 'createdFrom', 'createdTo', 'updatedFrom', 'updatedTo'];

/**
 * A saved view's filter as `GET /tickets` query parameters, or null when it uses something the
 * list query cannot say (`ids`): such a view is read through `GET /views/{id}/tickets` instead.
 */
export function viewQuery(view: SavedView): Query | null {
  const query: Query = {};
  for (const [key, value] of Object.entries(view.filter ?? {})) {
    if (LIST_KEYS.includes(key) && Array.isArray(value)) query[key] = value.map(String);
    else if (TEXT_KEYS.includes(key) && typeof value === 'string') query[key] = value;
    else if (key === 'customFields' && value && typeof value === 'object') {
      for (const [field, condition] of Object.entries(value as Record<string, unknown>)) {
        if (condition && typeof condition === 'object') {
          for (const [op, v] of Object.entries(condition as Record<string, unknown>)) query[`cf.${field}.${op}`] = String(v);
        } else query[`cf.${field}`] = String(condition);
      }
    } else return null;
  }
  return query;
}

/**
 * The list request for a state: the view's filter as the starting point, each filter set in the
 * state replacing the view's condition on that field.
 */
export function listQuery(state: ListState, view: SavedView | undefined): Query | null {
  const base = view ? viewQuery(view) : {};
  if (base === null) return null;
  const query: Query = { ...base };
  if (state.q) query.q = state.q;
  if (state.status) query.status = state.status;
  if (state.priority) query.priority = state.priority;
  if (state.assigneeId) query.assigneeId = state.assigneeId;
  const sort = state.sort ?? (state.q || query.q ? undefined : view?.sort);
  if (sort) query.sort = sort;
  return query;
}

/** A per-ticket value a plugin adds to lists (`GET /list-fields`), e.g. `sla.nextDue`. */
export interface ListField {
  name: string;
  description: string;
  type: 'timestamp' | 'number';
}

/** A listed ticket with the values of the list fields asked for (`fields=`). */
export type ListedTicket = Ticket & { fields?: Record<string, string | number | null> };

/** Local-storage key of the list fields shown as columns (plugin columns are off until chosen). */
export const COLUMNS_KEY = 'ticketops.ticketList.columns';

export function readColumns(storage: Pick<Storage, 'getItem'> = localStorage): string[] {
  try {
    const value = JSON.parse(storage.getItem(COLUMNS_KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

export function writeColumns(names: string[], storage: Pick<Storage, 'setItem'> = localStorage): void {
  storage.setItem(COLUMNS_KEY, JSON.stringify(names));
}

/** The list field a sort names (`sla.nextDue` or `-sla.nextDue`), if it is one. */
export function sortedField(sort: string | undefined, fields: ListField[]): ListField | undefined {
  const name = sort?.replace(/^-/, '');
  return fields.find((field) => field.name === name);
}

/** The next sort when a column's header is clicked: ascending first, then descending, then ascending again. */
export function nextSort(current: string | undefined, name: string): string {
  return current === name ? `-${name}` : name;
}
