import type { ChangePoint } from './ticket-timeline';
import type { SlaDefinition } from './types';

/** One attachment of an SLA clock: from start to stop/cancel (or still open at the end of the history). */
export interface SlaCycle {
  start: number;
  end: number | null;
  endedBy: 'stop' | 'cancel' | null;
  /** Index of the first and last change point inside the cycle. */
  from: number;
  to: number;
}

/** Lower-cased lookup sets for a definition's state lists. */
export interface StateSets {
  pause: Set<string>;
  stop: Set<string>;
  cancel: Set<string>;
}

/** Normalises a definition's state lists once, so matching is case-insensitive and cheap. */
export function stateSets(def: SlaDefinition): StateSets {
  const lower = (xs: string[]) => new Set(xs.map((s) => s.trim().toLowerCase()));
  return { pause: lower(def.pauseStates), stop: lower(def.stopStates), cancel: lower(def.cancelStates) };
}

/**
 * Splits the timeline into cycles. The first cycle starts when the ticket is opened; after a stop, a
 * state outside stop and cancel states (a reopen) starts a new cycle when the definition allows it,
 * like JSM's "multiple cycles" and ServiceNow's reset condition.
 */
export function slaCycles(points: ChangePoint[], def: SlaDefinition, sets: StateSets): SlaCycle[] {
  const cycles: SlaCycle[] = [];
  let current: SlaCycle | null = null;
  let lastEnd: 'stop' | 'cancel' | null = null;
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as ChangePoint;
    if (current === null) {
      const reopened =
        lastEnd === 'stop' && def.newCycleOnReopen && !sets.stop.has(p.state) && !sets.cancel.has(p.state);
      if (cycles.length > 0 && !reopened) continue;
      current = { start: p.at, end: null, endedBy: null, from: i, to: i };
    }
    current.to = i;
    const endedBy = sets.cancel.has(p.state)
      ? 'cancel'
      : sets.stop.has(p.state) || (def.stopOnAcknowledge && p.acknowledged)
        ? 'stop'
        : null;
    if (endedBy) {
      current.end = p.at;
      current.endedBy = endedBy;
      cycles.push(current);
      lastEnd = endedBy;
      current = null;
    }
  }
  if (current) cycles.push(current);
  return cycles;
}
