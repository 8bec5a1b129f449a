import type { ApiClient } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';

/** A ticket type with the JSON Schema of its custom fields (`GET /ticket-types`). */
export interface TicketType {
  id: string;
  name: string;
  description?: string;
  fieldsSchema: JsonSchema;
  active: boolean;
}

export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
}

export interface Group {
  id: string;
  name: string;
}

export interface Organization {
  id: string;
  name: string;
}

const caches = new WeakMap<ApiClient, Map<string, Promise<unknown>>>();

/** A list read once per signed-in console (empty when it cannot be read, e.g. without the permission). */
function once<T>(api: ApiClient, path: string): Promise<T[]> {
  let cache = caches.get(api);
  if (!cache) {
    cache = new Map();
    caches.set(api, cache);
  }
  let pending = cache.get(path) as Promise<T[]> | undefined;
  if (!pending) {
    pending = api.get<Page<T>>(path, { limit: 100 }).then(
      (page) => page.items,
      () => [],
    );
    cache.set(path, pending);
  }
  return pending;
}

export const loadGroups = (api: ApiClient) => once<Group>(api, '/groups');
export const loadOrganizations = (api: ApiClient) => once<Organization>(api, '/organizations');
export const loadTicketTypes = (api: ApiClient) => once<TicketType>(api, '/ticket-types');
