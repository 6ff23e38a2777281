import type { CountRow, RecordStatus, ReportRecord } from './report-model';
import type { SlaRecord, TicketHistory } from './types';

/** Label for an empty branch, service or category. */
export const NONE = '(none)';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** One SLA record with its ticket's attributes, as a CSV/JSON row (instants as ISO strings, UTC). */
export function toReportRecord(ticket: TicketHistory, r: SlaRecord, status: RecordStatus): ReportRecord {
  return {
    number: r.number,
    ticketId: r.ticketId,
    definitionId: r.definitionId,
    kind: r.kind,
    cycle: r.cycle,
    status,
    priority: r.priority,
    targetSeconds: r.targetSeconds,
    calendar: r.calendar,
    startedAt: new Date(r.startedAt).toISOString(),
    stoppedAt: iso(r.stoppedAt),
    stage: r.stage,
    elapsedBusinessSeconds: r.elapsedBusinessSeconds,
    elapsedWallSeconds: r.elapsedWallSeconds,
    pausedBusinessSeconds: r.pausedBusinessSeconds,
    pausedWallSeconds: r.pausedWallSeconds,
    breached: r.breached,
    breachedAt: iso(r.breachedAt),
    dueAt: iso(r.dueAt),
    breachProvider: r.breachHolder,
    branch: ticket.branch || NONE,
    service: ticket.service || NONE,
    category: ticket.category || NONE,
    externalMadeSla: ticket.externalMadeSla ?? null,
  };
}

const HOUR = 3600;
/** Bucket upper bounds (seconds, exclusive) of the MTTR distribution chart. */
const MTTR_BUCKETS: [string, number][] = [
  ['< 1 h', HOUR],
  ['1–4 h', 4 * HOUR],
  ['4–8 h', 8 * HOUR],
  ['8–24 h', 24 * HOUR],
  ['1–3 d', 72 * HOUR],
  ['3–7 d', 168 * HOUR],
  ['> 7 d', Infinity],
];

/** Counts of calendar resolution times per bucket, every bucket present (zero included). */
export function mttrDistribution(wallSeconds: ArrayLike<number>): CountRow[] {
  const counts = MTTR_BUCKETS.map(() => 0);
  for (let i = 0; i < wallSeconds.length; i++) {
    const s = wallSeconds[i] as number;
    const b = MTTR_BUCKETS.findIndex(([, max]) => s < max);
    counts[b] = (counts[b] ?? 0) + 1;
  }
  return MTTR_BUCKETS.map(([key], i) => ({ key, count: counts[i] ?? 0 }));
}
