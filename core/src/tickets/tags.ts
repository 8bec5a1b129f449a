import type { EntityManager } from '@mikro-orm/sql';
import type { ErrorDetail } from '@ticketops/plugin-sdk';
import { type Statement, pgArray, sql } from './sql.ts';

const TAG = /^[\p{L}\p{N}][\p{L}\p{N}_:.-]{0,49}$/u;

/** Lower-cased, de-duplicated, sorted; invalid tags are named by index. */
export function normalizeTags(tags: string[], pointer = '/body/tags'): string[] | ErrorDetail[] {
  const out = new Set<string>();
  const bad: ErrorDetail[] = [];
  tags.forEach((raw, i) => {
    const tag = raw.trim().toLowerCase();
    if (!TAG.test(tag)) bad.push({ pointer: `${pointer}/${i}`, message: 'tags are 1–50 letters, digits, _ : . or -' });
    else out.add(tag);
  });
  if (bad.length) return bad;
  return [...out].sort();
}

export const isDetails = (v: unknown): v is ErrorDetail[] => Array.isArray(v) && v.length > 0 && typeof v[0] === 'object';

/** Keeps the tenant's tag catalogue (used for suggestions and the tags API) in step with tickets. */
export async function rememberTags(em: EntityManager, tenantId: string, tags: string[]): Promise<void> {
  const statement = rememberTagsStatement(tenantId, tags);
  if (statement) await sql(em, statement.text, statement.params);
}

export function rememberTagsStatement(tenantId: string, tags: string[]): Statement | null {
  if (tags.length === 0) return null;
  return { text: 'insert into tag (tenant_id, name) select ?, unnest(?::text[]) on conflict do nothing', params: [tenantId, pgArray(tags)] };
}
