import type { EntityManager } from '@mikro-orm/sql';
import type { TicketSnapshot } from './facts.ts';
import { query, textArray } from './recompute.ts';

/** A fact to insert for a ticket that has none (`created` or `updated`, with the snapshot after it). */
export interface ReplayedFact {
  ticketId: string;
  at: string;
  kind: 'created' | 'updated';
  data: TicketSnapshot;
}

/** The ticket fields the kernel's history records by these names, which SLA facts snapshot. */
const FIELDS = ['status', 'priority', 'type', 'organizationId', 'groupId', 'requesterId', 'tags', 'customFields'] as const;
type Field = (typeof FIELDS)[number];

interface TicketRow {
  id: string;
  created_at: Date | string;
  status: string;
  status_category: string;
  priority: string;
  type: string | null;
  organization_id: string | null;
  group_id: string | null;
  requester_id: string | null;
  tags: string[] | string;
  custom_fields: Record<string, unknown> | string;
  solved_at: Date | string | null;
  closed_at: Date | string | null;
  updated_at: Date | string;
}

interface HistoryRow {
  ticket_id: string;
  created_at: Date | string;
  field: Field;
  /** jsonb, read back as the value it holds. */
  old_value: unknown;
}

const iso = (v: Date | string) => new Date(v).toISOString();
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);
const pgTags = (v: string[] | string): string[] => (Array.isArray(v) ? v : v.replace(/^\{|\}$/g, '').split(',').filter(Boolean).map((s) => s.replace(/^"|"$/g, '')));

/**
 * The `created` and `updated` facts of tickets that were changed before the SLA plugin was enabled,
 * rebuilt from the kernel's ticket history: the current state, walked back through each recorded
 * change (newest first, each field set to its old value) to the state at creation, then forward
 * again, one `updated` fact per moment something changed (a change's fields share its time). So a
 * ticket that sat in pending before the plugin came keeps that pause. Statuses are mapped to their
 * categories by the tenant's current catalogue (a status since deleted counts as `open`). A solved
 * or closed ticket with no recorded status change (imported as such) is taken as created open and
 * solved at its solved (or closed) time.
 */
export async function replayHistory(em: EntityManager, tenantId: string, ticketIds: string[]): Promise<ReplayedFact[]> {
  const list = textArray(ticketIds);
  const tickets = await query<TicketRow>(
    em,
    `select id, created_at, status, status_category, priority, type, organization_id, group_id, requester_id, tags, custom_fields, solved_at, closed_at, updated_at
       from ticket where tenant_id = ? and id = any(?::text[]) order by id`,
    [tenantId, list],
  );
  const history = await query<HistoryRow>(
    em,
    `select ticket_id, created_at, field, old_value from ticket_history
      where tenant_id = ? and ticket_id = any(?::text[]) and field = any(?::text[]) order by ticket_id, created_at, id`,
    [tenantId, list, textArray([...FIELDS])],
  );
  const categories = new Map((await query<{ name: string; category: string }>(em, 'select name, category from ticket_status where tenant_id = ?', [tenantId])).map((s) => [s.name, s.category]));
  const byTicket = new Map<string, HistoryRow[]>();
  for (const row of history) byTicket.set(row.ticket_id, [...(byTicket.get(row.ticket_id) ?? []), row]);

  const facts: ReplayedFact[] = [];
  for (const t of tickets) {
    const current: TicketSnapshot = {
      status: t.status, statusCategory: t.status_category, priority: t.priority, type: t.type, organizationId: t.organization_id,
      groupId: t.group_id, requesterId: t.requester_id, tags: pgTags(t.tags), customFields: json(t.custom_fields),
    };
    const changes = byTicket.get(t.id) ?? [];
    // Walk back: the snapshot after each moment, newest first.
    const moments: { at: string; after: TicketSnapshot }[] = [];
    let state = current;
    for (let i = changes.length - 1; i >= 0; ) {
      const at = iso(changes[i]!.created_at);
      moments.unshift({ at, after: state });
      const before = { ...state };
      for (; i >= 0 && iso(changes[i]!.created_at) === at; i--) setField(before, changes[i]!.field, changes[i]!.old_value, categories);
      state = before;
    }
    const created = iso(t.created_at);
    const statusRecorded = changes.some((c) => c.field === 'status');
    const finished = (t.status_category === 'solved' || t.status_category === 'closed') && !statusRecorded;
    facts.push({ ticketId: t.id, at: created, kind: 'created', data: finished ? { ...state, status: 'open', statusCategory: 'open' } : state });
    for (const m of moments) facts.push({ ticketId: t.id, at: m.at < created ? created : m.at, kind: 'updated', data: m.after });
    if (finished) {
      const at = iso(t.solved_at ?? t.closed_at ?? t.updated_at);
      facts.push({ ticketId: t.id, at: at < created ? created : at, kind: 'updated', data: current });
    }
  }
  return facts;
}

function setField(snapshot: TicketSnapshot, field: Field, value: unknown, categories: Map<string, string>): void {
  switch (field) {
    case 'status':
      snapshot.status = String(value);
      snapshot.statusCategory = categories.get(String(value)) ?? 'open';
      break;
    case 'priority':
      snapshot.priority = String(value);
      break;
    case 'tags':
      snapshot.tags = Array.isArray(value) ? value.map(String) : [];
      break;
    case 'customFields':
      snapshot.customFields = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
      break;
    default:
      snapshot[field] = value === null || value === undefined ? null : String(value);
  }
}
