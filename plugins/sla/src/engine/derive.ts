import { dueMs, elapsedMs } from '../calendar/arithmetic.ts';
import type { CompiledCalendar } from '../calendar/compile.ts';
import { DEFAULT_PAUSE_CATEGORIES } from '../catalog.ts';
import { firstMatch, targetsFor } from '../policies/match.ts';
import type { EscalationLevel } from '../policies/escalations.ts';
import type { Metric, PolicyConditions, PolicyTargets } from '../policies/schema.ts';
import type { CommentFact, TicketSnapshot } from './facts.ts';

export interface Fact {
  id: string;
  at: number;
  kind: 'created' | 'updated' | 'comment';
  ref: string | null;
  data: TicketSnapshot | CommentFact;
}

export interface PolicyDef {
  id: string;
  name: string;
  conditions: PolicyConditions;
  targets: PolicyTargets;
  calendarId: string;
  pauseStatuses: string[] | null;
  warningPercent: number | null;
  escalations?: EscalationLevel[];
}

export type EntryType = 'started' | 'paused' | 'resumed' | 'fulfilled' | 'warning' | 'breached' | 'escalated';

export interface TimelineEntry {
  metric: Metric;
  cycle: number;
  type: EntryType;
  at: number;
  /** For `escalated`: the index of the policy's escalation level reached. */
  level?: number;
  /** The fact that caused it; null for warnings, breaches and escalations, which the clock itself causes. */
  cause: { factId: string; kind: Fact['kind']; ref: string | null } | null;
}

export interface MetricState {
  metric: Metric;
  cycle: number;
  state: 'running' | 'paused' | 'fulfilled';
  targetMinutes: number;
  startedAt: number;
  /** When the target is reached if the clock keeps running (null while paused or once fulfilled). */
  dueAt: number | null;
  elapsedMinutes: number;
  /** Business minutes left (negative once breached). */
  remainingMinutes: number;
  breached: boolean;
  breachedAt: number | null;
  warningAt: number | null;
  fulfilledAt: number | null;
}

export interface SlaState {
  policy: { id: string; name: string } | null;
  calendarId: string | null;
  targets: Partial<Record<Metric, number>>;
  /** The latest cycle of each measured metric. */
  metrics: MetricState[];
  /** Every cycle of every metric, oldest first (reporting). */
  cycles: MetricState[];
  timeline: TimelineEntry[];
  /** The next warning or breach instant still ahead of `now` (for the escalation scheduler). */
  nextAlertAt: number | null;
  open: boolean;
}

interface Cycle {
  metric: Metric;
  cycle: number;
  target: number;
  startedAt: number;
  /** Business ms counted up to `runningSince` (or up to the pause/fulfilment). */
  elapsed: number;
  runningSince: number | null;
  fulfilledAt: number | null;
  warnedAt: number | null;
  breachedAt: number | null;
  /** Escalation level index → when it was reached. */
  levels: Map<number, number>;
}

const DONE = new Set(['solved', 'closed']);

/**
 * Re-derives a ticket's SLA clocks from its recorded facts with the policies and calendars as they
 * are now — the policy matching the ticket's latest state applies to its whole history — so a
 * change of policy, calendar or status mid-flight recomputes everything and pause time is kept.
 * First response: from creation to the first public reply by an agent. Next response: from a
 * customer's public reply (after the first response) to the next agent reply. Resolution: from
 * creation (or a reopening, a new cycle) to solved/closed. Pause statuses stop every clock.
 */
export function deriveSla(input: {
  facts: Fact[];
  policies: PolicyDef[];
  calendars: Map<string, CompiledCalendar>;
  now: number;
}): SlaState {
  const { facts, now } = input;
  const snapshots = facts.filter((f) => f.kind !== 'comment').map((f) => f.data as TicketSnapshot);
  const latest = snapshots[snapshots.length - 1];
  const empty: SlaState = { policy: null, calendarId: null, targets: {}, metrics: [], cycles: [], timeline: [], nextAlertAt: null, open: latest ? !DONE.has(latest.statusCategory) : false };
  if (!latest) return empty;
  const policy = firstMatch(input.policies, latest);
  const calendar = policy ? input.calendars.get(policy.calendarId) : undefined;
  if (!policy || !calendar) return empty;
  const targets = targetsFor(policy.targets, latest.priority);
  const paused = (s: TicketSnapshot) => (policy.pauseStatuses ? policy.pauseStatuses.includes(s.status) : DEFAULT_PAUSE_CATEGORIES.includes(s.statusCategory));
  const warnShare = policy.warningPercent ? policy.warningPercent / 100 : null;
  /** Escalation levels as elapsed-business-time thresholds of a running clock (ms), per metric. */
  const levelThresholds = (c: { metric: Metric; target: number }): [number, number][] => {
    const out: [number, number][] = [];
    (policy.escalations ?? []).forEach((level, i) => {
      if (level.metric !== '*' && level.metric !== c.metric) return;
      const targetMs = c.target * 60_000;
      const ms = level.at === 'warning' ? (warnShare === null ? null : Math.round(targetMs * warnShare)) : level.at === 'breached' ? targetMs : targetMs + level.at.minutesAfterBreach * 60_000;
      if (ms !== null) out.push([i, ms]);
    });
    return out;
  };

  const timeline: TimelineEntry[] = [];
  const latestCycle = new Map<Metric, Cycle>();
  const allCycles: Cycle[] = [];
  const active = new Map<Metric, Cycle>();
  const cause = (f: Fact) => ({ factId: f.id, kind: f.kind, ref: f.ref });

  /** Adds the warning/breach crossings of a running segment [since, until] and the elapsed time. */
  const settle = (c: Cycle, until: number) => {
    if (c.runningSince === null) return;
    const since = c.runningSince;
    const targetMs = c.target * 60_000;
    for (const [share, type] of [[warnShare, 'warning'], [1, 'breached']] as const) {
      if (share === null) continue;
      const threshold = Math.round(targetMs * share);
      if ((type === 'warning' ? c.warnedAt : c.breachedAt) !== null || c.elapsed >= threshold) continue;
      const crossing = dueMs(calendar, since, (threshold - c.elapsed) / 60_000);
      if (crossing <= until) {
        if (type === 'warning') c.warnedAt = crossing;
        else c.breachedAt = crossing;
        timeline.push({ metric: c.metric, cycle: c.cycle, type, at: crossing, cause: null });
      }
    }
    for (const [level, threshold] of levelThresholds(c)) {
      if (c.levels.has(level) || c.elapsed >= threshold) continue;
      const crossing = dueMs(calendar, since, (threshold - c.elapsed) / 60_000);
      if (crossing <= until) {
        c.levels.set(level, crossing);
        timeline.push({ metric: c.metric, cycle: c.cycle, type: 'escalated', at: crossing, level, cause: null });
      }
    }
    c.elapsed += elapsedMs(calendar, since, until);
    c.runningSince = until;
  };

  const start = (metric: Metric, at: number, f: Fact, isPaused: boolean) => {
    const target = targets[metric];
    if (target === undefined) return;
    const cycle: Cycle = { metric, cycle: (latestCycle.get(metric)?.cycle ?? 0) + 1, target, startedAt: at, elapsed: 0, runningSince: isPaused ? null : at, fulfilledAt: null, warnedAt: null, breachedAt: null, levels: new Map() };
    latestCycle.set(metric, cycle);
    allCycles.push(cycle);
    active.set(metric, cycle);
    timeline.push({ metric, cycle: cycle.cycle, type: 'started', at, cause: cause(f) });
    if (isPaused) timeline.push({ metric, cycle: cycle.cycle, type: 'paused', at, cause: cause(f) });
  };
  const fulfil = (metric: Metric, at: number, f: Fact) => {
    const c = active.get(metric);
    if (!c) return;
    settle(c, at);
    c.runningSince = null;
    c.fulfilledAt = at;
    active.delete(metric);
    timeline.push({ metric, cycle: c.cycle, type: 'fulfilled', at, cause: cause(f) });
  };

  let current: TicketSnapshot | null = null;
  let responded = false;
  for (const f of facts) {
    if (f.kind === 'created' || (f.kind === 'updated' && current === null)) {
      current = f.data as TicketSnapshot;
      const isPaused = paused(current);
      start('firstResponse', f.at, f, isPaused);
      start('resolution', f.at, f, isPaused);
      if (DONE.has(current.statusCategory)) for (const m of [...active.keys()]) fulfil(m, f.at, f);
      continue;
    }
    if (!current) continue;
    if (f.kind === 'updated') {
      const next = f.data as TicketSnapshot;
      const wasDone = DONE.has(current.statusCategory);
      const isDone = DONE.has(next.statusCategory);
      if (!wasDone && isDone) {
        for (const m of [...active.keys()]) fulfil(m, f.at, f);
      } else if (wasDone && !isDone) {
        start('resolution', f.at, f, paused(next));
      } else if (paused(current) !== paused(next)) {
        for (const c of active.values()) {
          if (paused(next)) {
            settle(c, f.at);
            c.runningSince = null;
          } else c.runningSince = f.at;
          timeline.push({ metric: c.metric, cycle: c.cycle, type: paused(next) ? 'paused' : 'resumed', at: f.at, cause: cause(f) });
        }
      }
      current = next;
      continue;
    }
    // A public comment.
    const comment = f.data as CommentFact;
    const agentReply = comment.staff && comment.authorId !== current.requesterId;
    if (agentReply) {
      responded = true;
      fulfil('firstResponse', f.at, f);
      fulfil('nextResponse', f.at, f);
    } else if ((responded || !active.has('firstResponse')) && !active.has('nextResponse') && !DONE.has(current.statusCategory)) {
      start('nextResponse', f.at, f, paused(current));
    }
  }

  let nextAlertAt: number | null = null;
  const metrics: MetricState[] = [];
  const cycles: MetricState[] = [];
  const latestSet = new Set(latestCycle.values());
  for (const c of allCycles) {
    const running = c.runningSince !== null && c.fulfilledAt === null;
    if (running) settle(c, Math.max(now, c.runningSince as number));
    const targetMs = c.target * 60_000;
    const remaining = targetMs - c.elapsed;
    const dueAt = running ? dueMs(calendar, now, Math.max(0, remaining) / 60_000) : null;
    if (running) {
      for (const [share, done] of [[warnShare, c.warnedAt], [1, c.breachedAt]] as const) {
        if (share === null || done !== null) continue;
        const at = dueMs(calendar, now, Math.max(0, Math.round(targetMs * share) - c.elapsed) / 60_000);
        if (at > now && (nextAlertAt === null || at < nextAlertAt)) nextAlertAt = at;
      }
      for (const [level, threshold] of levelThresholds(c)) {
        if (c.levels.has(level)) continue;
        const at = dueMs(calendar, now, Math.max(0, threshold - c.elapsed) / 60_000);
        if (at > now && (nextAlertAt === null || at < nextAlertAt)) nextAlertAt = at;
      }
    }
    const view: MetricState = {
      metric: c.metric, cycle: c.cycle, state: c.fulfilledAt !== null ? 'fulfilled' : running ? 'running' : 'paused', targetMinutes: c.target,
      startedAt: c.startedAt, dueAt: running ? (c.breachedAt ?? dueAt) : null, elapsedMinutes: c.elapsed / 60_000, remainingMinutes: remaining / 60_000,
      breached: c.breachedAt !== null, breachedAt: c.breachedAt, warningAt: c.warnedAt, fulfilledAt: c.fulfilledAt,
    };
    cycles.push(view);
    if (latestSet.has(c)) metrics.push(view);
  }
  timeline.sort((a, b) => a.at - b.at);
  return { policy: { id: policy.id, name: policy.name }, calendarId: policy.calendarId, targets, metrics, cycles, timeline, nextAlertAt, open: !DONE.has(current?.statusCategory ?? 'open') };
}
