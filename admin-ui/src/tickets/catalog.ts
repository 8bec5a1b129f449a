import type { ApiClient } from '../api/client.ts';
import { can } from '../api/context.ts';
import type { Me, Page, Priority, SavedView, Status, User } from '../api/types.ts';
import { rememberUsers } from './people.ts';

export interface Catalog {
  statuses: Status[];
  priorities: Priority[];
  /** Staff who can be assignees (empty without `users.read`). */
  agents: User[];
}

const catalogs = new WeakMap<ApiClient, Promise<Catalog>>();

/** Statuses, priorities and agents, read once per signed-in console (a page reload reads them again). */
export function loadCatalog(api: ApiClient, me: Me | null): Promise<Catalog> {
  let pending = catalogs.get(api);
  if (!pending) {
    pending = (async () => {
      const [statuses, priorities, users] = await Promise.all([
        api.get<Page<Status>>('/ticket-statuses'),
        api.get<Page<Priority>>('/ticket-priorities'),
        can(me, 'users.read') ? api.get<Page<User>>('/users', { limit: 100 }) : Promise.resolve({ items: [] as User[] }),
      ]);
      rememberUsers(api, users.items);
      return {
        statuses: statuses.items.filter((s) => s.active),
        priorities: priorities.items.filter((p) => p.active),
        agents: users.items.filter((u) => u.active && u.role !== 'customer'),
      };
    })();
    pending.catch(() => catalogs.delete(api));
    catalogs.set(api, pending);
  }
  return pending;
}

const views = new WeakMap<ApiClient, Promise<SavedView[]>>();

/** The saved views (definitions); their counts are read fresh each time from `/views/counts`. */
export function loadViews(api: ApiClient, fresh = false): Promise<SavedView[]> {
  let pending = views.get(api);
  if (!pending || fresh) {
    pending = api.get<Page<SavedView>>('/views').then((page) => page.items);
    pending.catch(() => views.delete(api));
    views.set(api, pending);
  }
  return pending;
}

/** Forget everything cached for this client (after sign-out). */
export function forgetCatalog(api: ApiClient): void {
  catalogs.delete(api);
  views.delete(api);
}
