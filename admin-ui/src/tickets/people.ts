import type { ApiClient } from '../api/client.ts';
import type { User } from '../api/types.ts';

const names = new WeakMap<ApiClient, Map<string, Promise<User | null>>>();

/** A user by id, asked once per console; null when it cannot be read (no `users.read`, deleted). */
export function userById(api: ApiClient, id: string): Promise<User | null> {
  let cache = names.get(api);
  if (!cache) {
    cache = new Map();
    names.set(api, cache);
  }
  let pending = cache.get(id);
  if (!pending) {
    pending = api.get<User>(`/users/${encodeURIComponent(id)}`).catch(() => null);
    cache.set(id, pending);
  }
  return pending;
}
