import type { ApiClient } from '../api/client.ts';

export interface StaffMember {
  id: string;
  name: string;
  email: string;
  role: string;
}
type List<T> = { items: T[]; nextCursor: string | null };

/**
 * The active staff — every user whose role is not `customer` (custom roles included, as the
 * group member check has it), by name. Asked role by role, so thousands of customers do not
 * crowd the agents out of a page; at most 200 per role.
 */
export async function loadStaff(api: ApiClient): Promise<StaffMember[]> {
  const roles = await api.get<List<{ name: string }>>('/roles');
  const pages = await Promise.all(roles.items.filter((r) => r.name !== 'customer').map((r) => api.get<List<StaffMember>>('/users/search', { role: r.name, active: true, limit: 200 })));
  return pages.flatMap((p) => p.items).sort((a, b) => a.name.localeCompare(b.name));
}
