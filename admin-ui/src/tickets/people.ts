import type { ApiClient } from '../api/client.ts';
import type { User } from '../api/types.ts';

interface People {
  pending: Map<string, Promise<User | null>>;
  /** The ones read already, for drawing a name without waiting a turn. */
  known: Map<string, User | null>;
}
const people = new WeakMap<ApiClient, People>();

function of(api: ApiClient): People {
  let found = people.get(api);
  if (!found) {
    found = { pending: new Map(), known: new Map() };
    people.set(api, found);
  }
  return found;
}

/** A user by id, asked once per console; null when it cannot be read (no `users.read`, deleted). */
export function userById(api: ApiClient, id: string): Promise<User | null> {
  const { pending, known } = of(api);
  let found = pending.get(id);
  if (!found) {
    found = api.get<User>(`/users/${encodeURIComponent(id)}`).catch(() => null);
    found.then((user) => known.set(id, user));
    pending.set(id, found);
  }
  return found;
}

/** A user already read (by `userById` or in a list given to `rememberUsers`), else undefined. */
export const knownUser = (api: ApiClient, id: string): User | null | undefined => of(api).known.get(id);

/** Users read in a list (the catalog's agents), so their names need no request of their own. */
export function rememberUsers(api: ApiClient, users: readonly User[]): void {
  const { pending, known } = of(api);
  for (const user of users) {
    if (known.has(user.id)) continue;
    known.set(user.id, user);
    pending.set(user.id, Promise.resolve(user));
  }
}
