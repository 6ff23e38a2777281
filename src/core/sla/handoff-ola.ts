import { summarize, type Summary } from './stats';
import type { MonthWindow } from './report-period';

/**
 * One provider hand-off of a ticket as the report reads it from the timeline: the offer (with the
 * acceptance deadline it carried) and the decision, each with the timeline row it came from, so an
 * auditor can find every OLA figure in the raw data.
 */
export interface HandoffFact {
  id: number;
  from: string;
  to: string;
  offeredAt: number;
  deadline: number;
  ref: string;
  /** The decision that closed it (accepted, rejected, cancelled); null while open. */
  decision: { kind: 'accepted' | 'rejected' | 'cancelled'; at: number; ref: string } | null;
}

/** Where a hand-off stood at the report's `asOf`. */
export type HandoffOutcome = 'accepted' | 'rejected' | 'cancelled' | 'open';

/** One hand-off offered in the report month: the unit every OLA figure is counted from. */
export interface HandoffRow {
  number: string;
  ticketId: string;
  handoffId: number;
  from: string;
  to: string;
  offeredAt: string;
  deadline: string;
  deadlineSeconds: number;
  state: HandoffOutcome;
  decidedAt: string | null;
  /** No decision before the deadline (the state machine's `expired`), even if accepted later. */
  expired: boolean;
  secondsToAccept: number | null;
  /** Accepted no later than the deadline; null when not accepted. */
  withinDeadline: boolean | null;
  /** Timeline rows of the offer and the decision. */
  refs: string;
}

/** An incident whose owner changed `changes` ≥ the ping-pong limit times; counted in the month of the limit-th change. */
export interface PingPongRow {
  number: string;
  ticketId: string;
  changes: number;
  /** The owners in order, the first owner first. */
  owners: string[];
  /** When the limit-th change was accepted, and its timeline row. */
  at: string;
  ref: string;
}

/**
 * Hand-off figures per provider. `offered` and `cancelled` count the offering side; the rest count
 * the receiving side, whose obligation the acceptance deadline (the OLA) is.
 */
export interface OlaProviderRow {
  provider: string;
  offered: number;
  cancelled: number;
  received: number;
  accepted: number;
  rejected: number;
  expired: number;
  open: number;
  /** Seconds from offer to accept, of the accepted hand-offs received. */
  timeToAccept: Summary;
  /** Accepted within the deadline, out of the measured ones (accepted or expired). */
  olaMet: number;
  olaMeasured: number;
  olaPercent: number | null;
  pingPongIncidents: number;
}

/** The hand-off section of the monthly report (null for sources that know no hand-offs). */
export interface OlaReport {
  pingPongChanges: number;
  providers: OlaProviderRow[];
  pingPong: PingPongRow[];
  handoffs: HandoffRow[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Folds the hand-offs of each ticket into the month's OLA figures (see docs/sla-report.md). */
export class OlaAccumulator {
  private readonly rows: HandoffRow[] = [];
  private readonly pingPong: PingPongRow[] = [];
  private seen = false;

  constructor(
    private readonly window: MonthWindow,
    private readonly asOf: number,
    private readonly pingPongChanges: number,
  ) {}

  /** Adds one ticket's hand-offs; a ticket without the field (a source without hand-offs) adds nothing. */
  add(ticket: { id: string; number: string; handoffs?: readonly HandoffFact[] }): void {
    if (!ticket.handoffs) return;
    this.seen = true;
    const inMonth = (t: number) => t >= this.window.start && t < this.window.end && t <= this.asOf;
    const known = ticket.handoffs.filter((h) => h.offeredAt <= this.asOf);
    for (const h of known) if (inMonth(h.offeredAt)) this.rows.push(this.row(ticket, h));
    const accepted = known
      .flatMap((h) =>
        h.decision?.kind === 'accepted' && h.decision.at <= this.asOf ? [{ ...h, at: h.decision.at }] : [],
      )
      .sort((a, b) => a.at - b.at || a.id - b.id);
    const limit = accepted[this.pingPongChanges - 1];
    if (limit && inMonth(limit.at))
      this.pingPong.push({
        number: ticket.number,
        ticketId: ticket.id,
        changes: accepted.length,
        owners: [accepted[0]!.from, ...accepted.map((h) => h.to)],
        at: iso(limit.at),
        ref: limit.decision?.ref ?? '',
      });
  }

  private row(ticket: { id: string; number: string }, h: HandoffFact): HandoffRow {
    const d = h.decision && h.decision.at <= this.asOf ? h.decision : null;
    const accepted = d?.kind === 'accepted' ? d.at : null;
    return {
      number: ticket.number,
      ticketId: ticket.id,
      handoffId: h.id,
      from: h.from,
      to: h.to,
      offeredAt: iso(h.offeredAt),
      deadline: iso(h.deadline),
      deadlineSeconds: (h.deadline - h.offeredAt) / 1000,
      state: d?.kind ?? 'open',
      decidedAt: d ? iso(d.at) : null,
      expired: (d?.at ?? this.asOf) >= h.deadline,
      secondsToAccept: accepted === null ? null : (accepted - h.offeredAt) / 1000,
      withinDeadline: accepted === null ? null : accepted <= h.deadline,
      refs: [h.ref, ...(d ? [d.ref] : [])].join('; '),
    };
  }

  /** The section, or null when no ticket carried hand-off data. */
  finish(): OlaReport | null {
    if (!this.seen) return null;
    const rows = this.rows.sort(
      (a, b) => a.offeredAt.localeCompare(b.offeredAt) || a.handoffId - b.handoffId,
    );
    const providers = new Map<string, { row: OlaProviderRow; times: number[] }>();
    const of = (p: string) => {
      let e = providers.get(p);
      if (!e) providers.set(p, (e = { row: emptyRow(p), times: [] }));
      return e;
    };
    for (const h of rows) {
      of(h.from).row.offered++;
      if (h.state === 'cancelled') of(h.from).row.cancelled++;
      const to = of(h.to);
      to.row.received++;
      if (h.state === 'accepted') to.row.accepted++;
      if (h.state === 'rejected') to.row.rejected++;
      if (h.state === 'open') to.row.open++;
      if (h.expired) to.row.expired++;
      if (h.secondsToAccept !== null) to.times.push(h.secondsToAccept);
      if (h.state === 'accepted' || h.expired) to.row.olaMeasured++;
      if (h.withinDeadline === true) to.row.olaMet++;
    }
    for (const p of this.pingPong) for (const o of new Set(p.owners)) of(o).row.pingPongIncidents++;
    return {
      pingPongChanges: this.pingPongChanges,
      providers: [...providers.values()]
        .map(({ row, times }) => ({
          ...row,
          timeToAccept: summarize(times),
          olaPercent: row.olaMeasured ? (row.olaMet / row.olaMeasured) * 100 : null,
        }))
        .sort((a, b) => a.provider.localeCompare(b.provider)),
      pingPong: this.pingPong.sort((a, b) => a.at.localeCompare(b.at) || a.number.localeCompare(b.number)),
      handoffs: rows,
    };
  }
}

function emptyRow(provider: string): OlaProviderRow {
  return {
    provider,
    offered: 0,
    cancelled: 0,
    received: 0,
    accepted: 0,
    rejected: 0,
    expired: 0,
    open: 0,
    timeToAccept: summarize([]),
    olaMet: 0,
    olaMeasured: 0,
    olaPercent: null,
    pingPongIncidents: 0,
  };
}
