import type { TicketHistory } from './types';

/** The ticket's full snapshot from `at` until the next change point. */
export interface ChangePoint {
  at: number;
  /** Lower-cased state; 'new' until a source tells otherwise. */
  state: string;
  priority: number | null;
  assignee: string | null;
  acknowledged: boolean;
}

/**
 * Sorts a ticket's updates by (time, seq) and folds them into full snapshots. Updates before `openedAt`
 * are moved to `openedAt` (clock skew between fields), updates after `asOf` are ignored, so a report for
 * a past month is reproducible however much history was added since. The first known snapshot applies
 * from `openedAt`: an export tells us the state after each update, not before the first one.
 */
export function ticketTimeline(ticket: TicketHistory, asOf: number): ChangePoint[] {
  const events = ticket.events
    .filter((e) => e.at <= asOf)
    .sort(
      (a, b) =>
        a.at - b.at ||
        (a.seq ?? 0) - (b.seq ?? 0) ||
        // Same instant and seq: order by content so that the result never depends on input order.
        JSON.stringify(a).localeCompare(JSON.stringify(b)),
    );
  const points: ChangePoint[] = [];
  let state: string | undefined;
  let priority: number | null = null;
  let assignee: string | null = null;
  for (const e of events) {
    if (e.state !== undefined) state = e.state.trim().toLowerCase();
    if (e.priority !== undefined) priority = e.priority;
    if (e.assignee !== undefined) assignee = e.assignee;
    points.push({
      at: Math.max(e.at, ticket.openedAt),
      state: state ?? 'new',
      priority,
      assignee,
      acknowledged: e.acknowledged === true,
    });
  }
  if (ticket.openedAt > asOf) return [];
  const first = points[0];
  if (!first)
    return [{ at: ticket.openedAt, state: 'new', priority: null, assignee: null, acknowledged: false }];
  if (first.at > ticket.openedAt) points.unshift({ ...first, at: ticket.openedAt, acknowledged: false });
  return points;
}
