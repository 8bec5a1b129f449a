/** Rules and their immutable versions in PostgreSQL (raw SQL; every statement names the tenant). */
import type { EntityManager } from '@mikro-orm/sql';
import { TicketOpsError, invalidInput, notFound } from '@ticketops/plugin-sdk';
import { newId } from '../ids.ts';
import type { RuleDefinition, RuleKind } from '../model/rule.ts';
import { pgArray, sql } from '../sql.ts';

export interface RuleRow {
  id: string;
  tenant_id: string;
  name: string;
  kind: RuleKind;
  position: number;
  active: boolean;
  published_version: number | null;
  latest_version: number;
  disabled_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface VersionRow {
  version: number;
  definition: RuleDefinition;
  created_by: string | null;
  created_at: Date;
  published_at: Date | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** What the API answers for a rule: its identity and state, and the content of its latest version. */
export function ruleView(row: RuleRow, latest: RuleDefinition) {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    active: row.active,
    status: row.published_version === null ? 'draft' : row.published_version === row.latest_version ? 'published' : 'draft_pending',
    publishedVersion: row.published_version,
    latestVersion: row.latest_version,
    disabledReason: row.disabled_reason,
    ...latest,
    kind: row.kind,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export const versionView = (v: VersionRow) => ({ version: v.version, definition: v.definition, createdBy: v.created_by, createdAt: iso(v.created_at), publishedAt: iso(v.published_at) });

export async function findRule(em: EntityManager, tenantId: string, id: string, options: { lock?: boolean } = {}): Promise<RuleRow> {
  const [row] = await sql<RuleRow>(em, `select * from automation_rule where tenant_id = ? and id = ?${options.lock ? ' for update' : ''}`, [tenantId, id]);
  if (!row) throw notFound('Rule');
  return row;
}

export async function findVersion(em: EntityManager, tenantId: string, ruleId: string, version: number): Promise<VersionRow> {
  const [row] = await sql<VersionRow>(em, 'select version, definition, created_by, created_at, published_at from automation_rule_version where tenant_id = ? and rule_id = ? and version = ?', [tenantId, ruleId, version]);
  if (!row) throw new TicketOpsError('not_found', `Version ${version} of this rule was not found`, { details: [{ pointer: '/body/version', message: 'is not a version of this rule' }] });
  return row;
}

/** PostgreSQL unique violations on the name index become a 409 naming the field. */
export async function uniqueName<T>(work: () => Promise<T>, pointer = '/body/name'): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if ((error as { code?: string }).code === '23505' || /automation_rule_tenant_name/.test((error as Error).message ?? '')) {
      throw new TicketOpsError('conflict', 'A rule with this name already exists', { details: [{ pointer, message: 'is already used' }] });
    }
    throw error;
  }
}

export async function insertRule(em: EntityManager, tenantId: string, input: { name: string; active?: boolean; definition: RuleDefinition; actorId: string | null; pointer?: string }): Promise<RuleRow> {
  const id = newId('rul');
  const publish = input.active === true;
  const [{ position }] = (await sql<{ position: number }>(em, 'select coalesce(max(position), 0) + 1 as position from automation_rule where tenant_id = ?', [tenantId])) as [{ position: number }];
  const [row] = await uniqueName(
    () => sql<RuleRow>(
      em,
      `insert into automation_rule (id, tenant_id, name, kind, position, active, published_version, latest_version, events)
       values (?, ?, ?, ?, ?, ?, ?, 1, ?::text[]) returning *`,
      [id, tenantId, input.name, input.definition.kind, position, publish, publish ? 1 : null, pgArray(publish ? (input.definition.events ?? []) : [])],
    ),
    input.pointer,
  );
  await sql(em, `insert into automation_rule_version (rule_id, version, tenant_id, definition, created_by, published_at) values (?, 1, ?, ?::jsonb, ?, ${publish ? 'now()' : 'null'})`, [
    id, tenantId, JSON.stringify(input.definition), input.actorId,
  ]);
  return row as RuleRow;
}

export async function addVersion(em: EntityManager, row: RuleRow, definition: RuleDefinition, actorId: string | null): Promise<RuleRow> {
  const next = row.latest_version + 1;
  await sql(em, 'insert into automation_rule_version (rule_id, version, tenant_id, definition, created_by) values (?, ?, ?, ?::jsonb, ?)', [row.id, next, row.tenant_id, JSON.stringify(definition), actorId]);
  const [updated] = await sql<RuleRow>(em, 'update automation_rule set latest_version = ?, updated_at = now() where tenant_id = ? and id = ? returning *', [next, row.tenant_id, row.id]);
  return updated as RuleRow;
}

/** Points the rule at `version` (publish or rollback) and makes it active. */
export async function publishVersion(em: EntityManager, row: RuleRow, version: number): Promise<RuleRow> {
  const v = await findVersion(em, row.tenant_id, row.id, version);
  if (v.definition.kind !== row.kind) throw invalidInput('A version of another kind cannot be published', [{ pointer: '/body/version', message: 'has another kind' }]);
  await sql(em, 'update automation_rule_version set published_at = coalesce(published_at, now()) where tenant_id = ? and rule_id = ? and version = ?', [row.tenant_id, row.id, version]);
  const [updated] = await sql<RuleRow>(
    em,
    'update automation_rule set published_version = ?, active = true, disabled_reason = null, events = ?::text[], updated_at = now() where tenant_id = ? and id = ? returning *',
    [version, pgArray(v.definition.events ?? []), row.tenant_id, row.id],
  );
  return updated as RuleRow;
}

/** The version to roll back to: the newest published one below the current pointer. */
export async function previousPublished(em: EntityManager, row: RuleRow): Promise<number> {
  const [prev] = await sql<{ version: number }>(
    em,
    'select version from automation_rule_version where tenant_id = ? and rule_id = ? and published_at is not null and version < ? order by version desc limit 1',
    [row.tenant_id, row.id, row.published_version ?? 0],
  );
  if (!prev) throw invalidInput('There is no earlier published version to roll back to', [{ pointer: '/body/version', message: 'is required: no earlier published version' }]);
  return prev.version;
}

export async function listRules(em: EntityManager, tenantId: string, kind?: string): Promise<{ row: RuleRow; definition: RuleDefinition }[]> {
  const rows = await sql<RuleRow & { definition: RuleDefinition }>(
    em,
    `select r.*, v.definition from automation_rule r join automation_rule_version v on v.rule_id = r.id and v.version = r.latest_version
     where r.tenant_id = ?${kind ? ' and r.kind = ?' : ''} order by r.position, r.id limit 5000`,
    kind ? [tenantId, kind] : [tenantId],
  );
  return rows.map(({ definition, ...row }) => ({ row: row as RuleRow, definition }));
}

export interface LiveRule {
  id: string;
  name: string;
  version: number;
  definition: RuleDefinition;
}

const definitions = new Map<string, RuleDefinition>();

/**
 * Active, published rules of a kind (triggers: listening to `event`), in order. Versions never
 * change, so their definitions are cached per process by `id:version`; only the order and the
 * pointers are read each time.
 */
export async function liveRules(em: EntityManager, tenantId: string, kind: RuleKind, event?: string): Promise<LiveRule[]> {
  const rows = await sql<{ id: string; name: string; version: number }>(
    em,
    `select id, name, published_version as version from automation_rule
     where tenant_id = ? and kind = ? and active and published_version is not null${event ? ' and ? = any(events)' : ''}
     order by position, id`,
    event ? [tenantId, kind, event] : [tenantId, kind],
  );
  const missing = rows.filter((r) => !definitions.has(`${r.id}:${r.version}`));
  if (missing.length) {
    const found = await sql<{ rule_id: string; version: number; definition: RuleDefinition }>(
      em,
      `select v.rule_id, v.version, v.definition from automation_rule_version v join unnest(?::text[], ?::int[]) as w(id, version) on v.rule_id = w.id and v.version = w.version where v.tenant_id = ?`,
      [pgArray(missing.map((m) => m.id)), `{${missing.map((m) => m.version).join(',')}}`, tenantId],
    );
    if (definitions.size > 50_000) definitions.clear();
    for (const f of found) definitions.set(`${f.rule_id}:${f.version}`, f.definition);
  }
  return rows.flatMap((r) => {
    const definition = definitions.get(`${r.id}:${r.version}`);
    return definition ? [{ ...r, definition }] : [];
  });
}
