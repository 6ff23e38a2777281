import type { TicketEvent, TicketHistory } from './types';

/** The ticket's full snapshot from `at` until the next change point. */
export interface ChangePoint {
  at: number;
  /** Lower-cased state; 'new' until a source tells otherwise. */
  state: string;
  priority: number | null;
  assignee: string | null;
  acknowledged: boolean;
  /** Index into the ordered updates of the update that produced this snapshot; -1 at opened_at. */
  update: number;
}

/** What became of one update: folded into the timeline, an out-of-order copy, or after `asOf`. */
export type UpdateUse = 'used' | 'stale' | 'after-as-of';

/** An update in the order the engine reads them, with what became of it. */
export interface OrderedUpdate {
  event: TicketEvent;
  use: UpdateUse;
}

const byTimeThenSeq = (a: TicketEvent, b: TicketEvent): number =>
  a.at - b.at ||
  (a.seq ?? 0) - (b.seq ?? 0) ||
  // Same instant and seq: order by content so that the result never depends on input order.
  JSON.stringify(a).localeCompare(JSON.stringify(b));

/**
 * Marks the updates whose revision (`version`) breaks the order of time as stale: of the updates that
 * carry one, the longest run whose revisions strictly increase with time is kept. ServiceNow counts
 * every update in `sys_mod_count`, so a real history is such a run and a copy out of place is not. The
 * real export shows both kinds: INC0000137 has a late copy of revision 1 after revision 2 (a phantom
 * reopen if read), INC0000135 an early row with the final revision 7 before the rows 1…6 (dropping all
 * rows below a revision already seen would drop its resolution). O(n log n).
 */
function markStale(updates: OrderedUpdate[]): void {
  const versioned = updates.filter((u) => u.use === 'used' && u.event.version !== undefined);
  // Patience sorting: tails[k] = index (into versioned) of the smallest last revision of a run of k + 1.
  const tails: number[] = [];
  const prev: number[] = [];
  const rev = (i: number) => versioned[i]?.event.version as number;
  versioned.forEach((_, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rev(tails[mid] as number) < rev(i)) lo = mid + 1;
      else hi = mid;
    }
    prev[i] = lo > 0 ? (tails[lo - 1] as number) : -1;
    tails[lo] = i;
  });
  const keep = new Set<number>();
  for (let i = tails[tails.length - 1] ?? -1; i >= 0; i = prev[i] as number) keep.add(i);
  versioned.forEach((u, i) => {
    if (!keep.has(i)) u.use = 'stale';
  });
}

/**
 * A ticket's updates sorted by (time, seq), each marked with what the engine does with it: updates
 * after `asOf` are ignored (so a report for a past month is reproducible however much history was added
 * since) and out-of-order copies are dropped (`markStale`, judged on the updates up to `asOf` only).
 */
export function orderUpdates(ticket: TicketHistory, asOf: number): OrderedUpdate[] {
  const updates = [...ticket.events]
    .sort(byTimeThenSeq)
    .map((event): OrderedUpdate => ({ event, use: event.at <= asOf ? 'used' : 'after-as-of' }));
  markStale(updates);
  return updates;
}

/**
 * Folds the used updates into full snapshots. Updates before `openedAt` are moved to `openedAt` (clock
 * skew between fields). The first known snapshot applies from `openedAt`: an export tells us the state
 * after each update, not before the first one.
 */
export function changePoints(ticket: TicketHistory, updates: OrderedUpdate[], asOf: number): ChangePoint[] {
  if (ticket.openedAt > asOf) return [];
  const points: ChangePoint[] = [];
  let state: string | undefined;
  let priority: number | null = null;
  let assignee: string | null = null;
  updates.forEach(({ event: e, use }, update) => {
    if (use !== 'used') return;
    if (e.state !== undefined) state = e.state.trim().toLowerCase();
    if (e.priority !== undefined) priority = e.priority;
    if (e.assignee !== undefined) assignee = e.assignee;
    points.push({
      at: Math.max(e.at, ticket.openedAt),
      state: state ?? 'new',
      priority,
      assignee,
      acknowledged: e.acknowledged === true,
      update,
    });
  });
  const first = points[0];
  if (!first)
    return [
      { at: ticket.openedAt, state: 'new', priority: null, assignee: null, acknowledged: false, update: -1 },
    ];
  if (first.at > ticket.openedAt)
    points.unshift({ ...first, at: ticket.openedAt, acknowledged: false, update: -1 });
  return points;
}

/** The ticket's change points as of `asOf` (see `orderUpdates` and `changePoints`). */
export function ticketTimeline(ticket: TicketHistory, asOf: number): ChangePoint[] {
  return changePoints(ticket, orderUpdates(ticket, asOf), asOf);
}

/** ServiceNow's `made_sla` as of `asOf`: from the newest used update that carries it, else the ticket's. */
export function externalMadeSlaAsOf(updates: OrderedUpdate[], ticket: TicketHistory): boolean | null {
  for (let i = updates.length - 1; i >= 0; i--) {
    const u = updates[i] as OrderedUpdate;
    if (u.use === 'used' && u.event.externalMadeSla !== undefined) return u.event.externalMadeSla;
  }
  return ticket.externalMadeSla ?? null;
}
