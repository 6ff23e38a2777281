import type { ClockSegment } from './evaluate-cycle';
import { evaluateTicketDetailed, type SlaEngine } from './evaluate-ticket';
import { ReportAccumulator, verdict, type ReportOptions } from './report-accumulator';
import type { RecordStatus, ReportRecord, SlaReport } from './report-model';
import { toReportRecord } from './report-record';
import type { OrderedUpdate, UpdateUse } from './ticket-timeline';
import type { SlaRecord, TicketHistory } from './types';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const minutes = (ms: number) => Math.round((ms / 60_000) * 1000) / 1000;

/** One input update as the engine read it. */
export interface ExplainedUpdate {
  /** Position in time order (the `update` of a segment refers to it). */
  index: number;
  at: string;
  /** Source row or event id (`line 359`, `timeline 42`); null when the source has none. */
  ref: string | null;
  version: number | null;
  state: string | null;
  priority: number | null | undefined;
  assignee: string | null | undefined;
  acknowledged: boolean;
  externalMadeSla: boolean | null | undefined;
  use: UpdateUse;
}

/** One stretch of an SLA clock between two updates. */
export interface ExplainedSegment {
  from: string;
  to: string;
  state: string;
  clock: 'running' | 'paused';
  assignee: string | null;
  /** Ref of the update that began the stretch (`opened_at` for the first). */
  startedBy: string | null;
  calendarMinutes: number;
  businessMinutes: number;
  /** The clock's business minutes after this stretch. */
  elapsedBusinessMinutes: number;
  /** The target was crossed inside this stretch. */
  breach: boolean;
}

/**
 * One SLA record (definition × cycle): the report's row for it (the same mapping as the CSV/JSON
 * records), how it was measured and where it counts.
 */
export interface ExplainedRecord extends Omit<ReportRecord, 'status'> {
  name: string;
  target: { seconds: number; calendar: string } | null;
  segments: ExplainedSegment[];
  /** How the record is in this month's report (null: not in it). */
  status: RecordStatus | null;
  /** The figures of the report this record enters, in words. */
  contributes: string[];
}

/** Everything that went into one ticket's figures in one month's report (`sla explain`). */
export interface SlaExplanation {
  number: string;
  ticketId: string;
  month: string;
  timeZone: string;
  period: { start: string; end: string };
  asOf: string;
  monthInProgress: boolean;
  openedAt: string;
  externalMadeSla: boolean | null;
  updates: ExplainedUpdate[];
  records: ExplainedRecord[];
  /** The report computed over this ticket alone: its contribution to every figure. */
  figures: Pick<
    SlaReport,
    'totals' | 'compliance' | 'mtta' | 'mttr' | 'providers' | 'breaches' | 'agreement' | 'ola' | 'transition'
  >;
}

function explainUpdate(u: OrderedUpdate, index: number): ExplainedUpdate {
  const e = u.event;
  return {
    index,
    at: new Date(e.at).toISOString(),
    ref: e.ref ?? null,
    version: e.version ?? null,
    state: e.state ?? null,
    priority: e.priority,
    assignee: e.assignee,
    acknowledged: e.acknowledged === true,
    externalMadeSla: e.externalMadeSla,
    use: u.use,
  };
}

function explainSegment(s: ClockSegment, r: SlaRecord, updates: OrderedUpdate[]): ExplainedSegment {
  const by = s.update < 0 ? undefined : updates[s.update]?.event;
  return {
    from: new Date(s.start).toISOString(),
    to: new Date(s.end).toISOString(),
    state: s.state,
    clock: s.clock,
    assignee: s.assignee,
    startedBy: by ? (by.ref ?? iso(by.at)) : 'opened_at (first known snapshot)',
    calendarMinutes: minutes(s.wallMs),
    businessMinutes: minutes(s.businessMs),
    elapsedBusinessMinutes: minutes(s.elapsedBusinessMs),
    breach:
      r.breachedAt !== null && s.clock === 'running' && r.breachedAt >= s.start && r.breachedAt <= s.end,
  };
}

const hours = (seconds: number) => `${(seconds / 3600).toFixed(2)} h`;

/** The report figures a record enters, from its place in the one-ticket report (same rules as the report). */
function contributions(r: SlaRecord, status: RecordStatus | null, month: string): string[] {
  const out: string[] = [];
  const p = r.priority === null ? 'no priority' : `P${r.priority}`;
  if (status === null) {
    const where =
      r.kind === 'response'
        ? "counted in the month of the ticket's first resolution"
        : r.stoppedAt !== null
          ? `counted in the month it stopped (${iso(r.stoppedAt)})`
          : 'its clock has not stopped';
    return [`not in the figures of ${month}: ${where}`];
  }
  if (status === 'open')
    out.push(`listed as open (${r.stage}); enters compliance in the month it is resolved`);
  const v = status === 'resolved' ? verdict(r) : null;
  if (v) out.push(`compliance ${r.definitionId} ${p} and all priorities: ${v}`);
  if (status === 'resolved' && r.stage === 'completed') {
    const wall = ((r.stoppedAt ?? r.startedAt) - r.startedAt) / 1000;
    out.push(
      `${r.kind === 'response' ? 'MTTA' : 'MTTR'}: business ${hours(r.elapsedBusinessSeconds)}, calendar ${hours(wall)}`,
    );
    if (r.kind === 'resolution')
      for (const [holder, s] of Object.entries(r.heldBy)) out.push(`time held by ${holder}: ${hours(s)}`);
  }
  if (r.breached === true && r.targetSeconds !== null)
    out.push(`breach table: ${r.number}, ${r.definitionId}, attributed to ${r.breachHolder ?? '(none)'}`);
  if (r.breached === null) out.push('no target for this priority: counted nowhere');
  return out;
}

/**
 * Explains one ticket's part in one month's report: every update read (and which were ignored), each
 * clock stretch of each record with its calendar and business minutes, the target and breach point,
 * and the figures it enters. The records and the segments come from one evaluation
 * (`evaluateTicketDetailed`) and the figures from the report accumulator itself, fed with this ticket
 * alone, so the explanation cannot disagree with the report.
 */
export function explainTicket(
  ticket: TicketHistory,
  engine: SlaEngine,
  options: ReportOptions,
): SlaExplanation {
  const acc = new ReportAccumulator({ ...options, keepRecords: true });
  const ev = evaluateTicketDetailed(ticket, engine, acc.asOf, true);
  acc.add(ticket, ev.records, ev.externalMadeSla);
  const report = acc.finish();
  const name = (id: string) => options.definitions.find((d) => d.id === id)?.name ?? id;
  return {
    number: ticket.number,
    ticketId: ticket.id,
    month: report.month,
    timeZone: report.timeZone,
    period: report.period,
    asOf: report.asOf,
    monthInProgress: report.monthInProgress,
    openedAt: new Date(ticket.openedAt).toISOString(),
    externalMadeSla: ev.externalMadeSla,
    updates: ev.updates.map(explainUpdate),
    records: ev.records.map((r, k): ExplainedRecord => {
      const status =
        report.records.find((x) => x.definitionId === r.definitionId && x.cycle === r.cycle)?.status ?? null;
      return {
        ...toReportRecord({ ...ticket, externalMadeSla: ev.externalMadeSla }, r, status ?? 'open'),
        name: name(r.definitionId),
        target:
          r.targetSeconds === null || r.calendar === null
            ? null
            : { seconds: r.targetSeconds, calendar: r.calendar },
        segments: (ev.segments?.[k] ?? []).map((s) => explainSegment(s, r, ev.updates)),
        status,
        contributes: contributions(r, status, report.month),
      };
    }),
    figures: {
      totals: report.totals,
      compliance: report.compliance,
      mtta: report.mtta,
      mttr: report.mttr,
      providers: report.providers,
      breaches: report.breaches,
      agreement: report.agreement,
      ola: report.ola,
      transition: report.transition,
    },
  };
}
