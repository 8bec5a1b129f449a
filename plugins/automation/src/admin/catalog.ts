/** What the pickers offer, read from the kernel APIs once per panel: statuses, priorities, types, users, groups, macros. */
import type { ApiClient } from '@ticketops/admin-ui/plugin-api';

export interface Choice {
  value: string;
  label: string;
}

export interface Catalog {
  statuses: Choice[];
  priorities: Choice[];
  types: Choice[];
  users: Choice[];
  groups: Choice[];
  macros: Choice[];
}

export const emptyCatalog = (): Catalog => ({ statuses: [], priorities: [], types: [], users: [], groups: [], macros: [] });

type Named = { id?: string; name: string; email?: string; active?: boolean };
const items = (api: ApiClient, path: string, query?: Record<string, string | number>) => api.get<{ items: Named[] }>(path, query).then((r) => r.items, () => [] as Named[]);
const byName = (list: Named[]): Choice[] => list.filter((x) => x.active !== false).map((x) => ({ value: x.name, label: x.name }));
const byId = (list: Named[]): Choice[] => list.map((x) => ({ value: x.id!, label: x.email ? `${x.name} <${x.email}>` : x.name }));

export async function loadCatalog(api: ApiClient): Promise<Catalog> {
  const [statuses, priorities, types, users, groups, macros] = await Promise.all([
    items(api, '/ticket-statuses'),
    items(api, '/ticket-priorities'),
    items(api, '/ticket-types'),
    items(api, '/users', { limit: 100 }),
    items(api, '/groups'),
    items(api, '/automation/macros'),
  ]);
  return { statuses: byName(statuses), priorities: byName(priorities), types: byName(types), users: byId(users), groups: byId(groups), macros: byId(macros) };
}
