import type { CalendarTimeline } from './calendar-timeline';
import type { SlaCycle, StateSets } from './sla-cycles';
import type { ChangePoint } from './ticket-timeline';
import { UNASSIGNED, type SlaDefinition, type SlaRecord } from './types';

/** One stretch of a cycle between two change points, as the clock counted it (`sla explain`). */
export interface ClockSegment {
  start: number;
  end: number;
  /** Lower-cased state in force. */
  state: string;
  clock: 'running' | 'paused';
  assignee: string | null;
  /** Index into the ordered updates of the update that began this stretch (-1: none, opened). */
  update: number;
  wallMs: number;
  /** Business ms on the target's calendar (24×7 without target). */
  businessMs: number;
  /** The clock's business ms after this stretch (running stretches only add to it). */
  elapsedBusinessMs: number;
}

/** What evaluateCycle needs besides the cycle itself. */
export interface CycleContext {
  ticketId: string;
  number: string;
  def: SlaDefinition;
  sets: StateSets;
  points: ChangePoint[];
  cycleNo: number;
  asOf: number;
  /** Calendar timelines by calendar name; a target naming an unknown calendar is a config error. */
  timelines: ReadonlyMap<string, CalendarTimeline>;
  /** Used for records without a target, so their elapsed time is still shown (24×7). */
  fallback: CalendarTimeline;
  /** When given, every stretch the clock counted is appended here, from the same loop as the figures. */
  segments?: ClockSegment[];
}

/** Effective start and priority of a cycle, after the retroactive-start rule. */
function startAndPriority(cycle: SlaCycle, ctx: CycleContext): { start: number; priority: number | null } {
  const last = ctx.points[cycle.to] as ChangePoint;
  let start = cycle.start;
  if (!ctx.def.retroactiveStart) {
    // Without retroactive start the SLA of the new priority attaches when the priority changes.
    for (let i = cycle.from + 1; i <= cycle.to; i++) {
      const p = ctx.points[i] as ChangePoint;
      const prev = ctx.points[i - 1] as ChangePoint;
      if (p.priority !== prev.priority && (cycle.end === null || p.at < cycle.end)) start = p.at;
    }
  }
  return { start, priority: last.priority };
}

/**
 * Measures one cycle: walks the change points, counting running time against the target on the
 * target's calendar and paused time separately; finds the instant the target was crossed and who held
 * the ticket then.
 */
export function evaluateCycle(cycle: SlaCycle, ctx: CycleContext): SlaRecord {
  const { start, priority } = startAndPriority(cycle, ctx);
  const target = priority === null ? undefined : ctx.def.targets[priority];
  const tl = target ? ctx.timelines.get(target.calendar) : ctx.fallback;
  if (!tl) throw new Error(`SLA ${ctx.def.id}: unknown calendar "${target?.calendar}"`);
  const targetMs = target ? target.seconds * 1000 : null;
  const end = cycle.end ?? ctx.asOf;
  let elapsedWall = 0;
  let elapsedBiz = 0;
  let pausedWall = 0;
  let pausedBiz = 0;
  let breachedAt: number | null = null;
  let breachHolder: string | null = null;
  let paused = false;
  const heldBy: Record<string, number> = {};
  // Segments are contiguous: reuse the business clock reading at the previous segment's end.
  let lastB = NaN;
  let lastCum = 0;
  for (let i = cycle.from; i <= cycle.to; i++) {
    const p = ctx.points[i] as ChangePoint;
    const a = Math.max(p.at, start);
    const b = Math.min(i < cycle.to ? (ctx.points[i + 1] as ChangePoint).at : end, end);
    paused = ctx.sets.pause.has(p.state);
    if (b <= a) continue;
    const cumA = a === lastB ? lastCum : tl.cumulative(a);
    lastB = b;
    lastCum = tl.cumulative(b);
    const biz = lastCum - cumA;
    if (paused) {
      pausedWall += b - a;
      pausedBiz += biz;
    } else {
      if (targetMs !== null && breachedAt === null && elapsedBiz + biz > targetMs) {
        breachedAt = tl.instantAt(cumA + (targetMs - elapsedBiz));
        breachHolder = p.assignee ?? UNASSIGNED;
      }
      elapsedWall += b - a;
      elapsedBiz += biz;
      const holder = p.assignee ?? UNASSIGNED;
      heldBy[holder] = (heldBy[holder] ?? 0) + biz / 1000;
    }
    ctx.segments?.push({
      start: a,
      end: b,
      state: p.state,
      clock: paused ? 'paused' : 'running',
      assignee: p.assignee,
      update: p.update,
      wallMs: b - a,
      businessMs: biz,
      elapsedBusinessMs: elapsedBiz,
    });
  }
  const running = cycle.end === null;
  const dueAt =
    running && !paused && targetMs !== null && breachedAt === null
      ? tl.instantAt(tl.cumulative(ctx.asOf) + targetMs - elapsedBiz)
      : null;
  return {
    ticketId: ctx.ticketId,
    number: ctx.number,
    definitionId: ctx.def.id,
    kind: ctx.def.kind,
    cycle: ctx.cycleNo,
    priority,
    targetSeconds: target ? target.seconds : null,
    calendar: target ? target.calendar : null,
    startedAt: start,
    stoppedAt: cycle.end,
    stage:
      cycle.endedBy === 'stop'
        ? 'completed'
        : cycle.endedBy === 'cancel'
          ? 'cancelled'
          : paused
            ? 'paused'
            : 'running',
    elapsedWallSeconds: elapsedWall / 1000,
    elapsedBusinessSeconds: elapsedBiz / 1000,
    pausedWallSeconds: pausedWall / 1000,
    pausedBusinessSeconds: pausedBiz / 1000,
    breached: targetMs === null ? null : breachedAt !== null,
    breachedAt,
    dueAt,
    timeLeftBusinessSeconds: targetMs === null ? null : (targetMs - elapsedBiz) / 1000,
    heldBy,
    breachHolder,
  };
}
