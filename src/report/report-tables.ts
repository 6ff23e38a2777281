import type { OlaReport } from '../core/sla/handoff-ola';
import type { ShadowComparison } from '../core/sla/shadow-comparison';
import type { CountRow, SlaReport } from '../core/sla/report-model';
import { hours, localTime, minutes, percent, priorityLabel, summaryLine, target } from './format';

/** A titled table of already formatted cells; Markdown and HTML render the same tables. */
export interface ReportTable {
  id: string;
  title: string;
  headers: string[];
  rows: string[][];
  /** Per row, where its first cell links to (HTML and Markdown); e.g. a breach to its explanation. */
  links?: (string | null)[];
  note?: string;
}

/** Where the server explains one ticket's figures of a month (`GET /reports/sla/explain`). */
export function explainLink(number: string, month: string, format: 'html' | 'json'): string {
  return `/reports/sla/explain?ticket=${encodeURIComponent(number)}&month=${encodeURIComponent(month)}&format=${format}`;
}

const TOP = 15;

function counts(id: string, title: string, rows: CountRow[], total: number): ReportTable {
  const shown = rows.slice(0, TOP);
  const rest = rows.slice(TOP).reduce((s, r) => s + r.count, 0);
  return {
    id,
    title,
    headers: ['', 'Tickets', 'Share'],
    rows: [
      ...shown.map((r) => [r.key, String(r.count), percent(total ? (r.count / total) * 100 : null)]),
      ...(rest ? [[`${rows.length - TOP} more`, String(rest), percent((rest / total) * 100)]] : []),
    ],
  };
}

/** The report's tables in reading order (headline figures first). */
export function reportTables(r: SlaReport): ReportTable[] {
  const tz = r.timeZone;
  const name = (id: string) => r.definitions.find((d) => d.id === id)?.name ?? id;
  const tables: ReportTable[] = [
    {
      id: 'compliance',
      title: 'Compliance per priority',
      headers: ['SLA', 'Priority', 'Target', 'Measured', 'Met', 'Breached', 'Compliance'],
      rows: r.compliance.map((c) => [
        name(c.definitionId),
        c.priority === null ? 'all' : priorityLabel(c.priority),
        target(c.targetSeconds),
        String(c.total),
        String(c.met),
        String(c.breached),
        percent(c.percent),
      ]),
    },
    {
      id: 'times',
      title: 'Mean times (count · mean / median / p90)',
      headers: ['', 'Business time (SLA clock)', 'Calendar time'],
      rows: [
        ['MTTA (time to respond)', summaryLine(r.mtta.business), summaryLine(r.mtta.wall)],
        ['MTTR (time to resolve)', summaryLine(r.mttr.business), summaryLine(r.mttr.wall)],
      ],
    },
    {
      id: 'breaches',
      title: `Breaches (${r.breaches.length})`,
      headers: [
        'Ticket',
        'SLA',
        'Priority',
        'Target',
        'Actual',
        'Breached at',
        'Provider',
        'Branch',
        'Ticket status',
      ],
      links: r.breaches.map((b) => explainLink(b.number, r.month, 'html')),
      rows: r.breaches.map((b) => [
        b.number + (b.cycle > 1 ? ` (cycle ${b.cycle})` : ''),
        name(b.definitionId),
        priorityLabel(b.priority),
        target(b.targetSeconds),
        hours(b.actualBusinessSeconds),
        localTime(b.breachedAt, tz),
        b.provider,
        b.branch,
        b.status === 'open' ? (r.monthInProgress ? 'open now' : 'open at month end') : 'resolved',
      ]),
    },
    {
      id: 'providers',
      title: 'Per provider (resolution clock time held, breaches attributed at breach time)',
      headers: ['Provider', 'Time held', 'Tickets', 'Breaches'],
      rows: r.providers.map((p) => [
        p.provider,
        hours(p.heldBusinessSeconds),
        String(p.tickets),
        String(p.breaches),
      ]),
    },
    ...(r.ola ? olaTables(r.ola, r.month, r.timeZone) : []),
    ...(r.transition ? transitionTables(r.transition, r.month, r.timeZone) : []),
    counts('by-priority', 'Volume by priority', r.volumes.byPriority, r.totals.tickets),
    counts('by-branch', 'Volume by branch', r.volumes.byBranch, r.totals.tickets),
    counts('by-service', 'Volume by service', r.volumes.byService, r.totals.tickets),
    counts('by-category', 'Volume by category', r.volumes.byCategory, r.totals.tickets),
    {
      id: 'trend',
      title: 'Trend',
      headers: ['Month', 'Resolved tickets', 'Response compliance', 'Resolution compliance', 'Breaches'],
      rows: r.trend.map((t) => [
        t.month,
        String(t.resolvedTickets),
        percent(t.responsePercent),
        percent(t.resolutionPercent),
        String(t.breaches),
      ]),
    },
  ];
  if (r.agreement) {
    const a = r.agreement;
    tables.push({
      id: 'agreement',
      title: "Agreement with ServiceNow's made_sla",
      headers: [
        'Compared',
        'Agree',
        'Agreement',
        'Both met',
        'Both breached',
        'Only we breached',
        'Only ServiceNow breached',
      ],
      rows: [
        [
          a.compared,
          a.agree,
          percent(a.percent),
          a.bothMet,
          a.bothBreached,
          a.onlyOursBreached,
          a.onlyTheirsBreached,
        ].map(String),
      ],
      note: 'ServiceNow computes made_sla with its own SLA definitions, which the export does not contain; differences show where the targets differ.',
    });
  }
  return tables;
}

/**
 * The hand-off tables: per provider, the ping-pong incidents and every hand-off offered in the month
 * (the rows the first two are counted from, each with its timeline rows).
 */
export function olaTables(o: OlaReport, month: string, tz: string): ReportTable[] {
  const yesNo = (v: boolean | null) => (v === null ? '–' : v ? 'yes' : 'no');
  return [
    {
      id: 'ola',
      title: 'Hand-offs per provider (acceptance deadline as OLA)',
      headers: [
        'Provider',
        'Offered',
        'Cancelled',
        'Received',
        'Accepted',
        'Rejected',
        'Expired',
        'Open',
        'Time to accept (median / p90)',
        'Within deadline',
        'OLA',
        'Ping-pong incidents',
      ],
      rows: o.providers.map((p) => [
        p.provider,
        ...[p.offered, p.cancelled, p.received, p.accepted, p.rejected, p.expired, p.open].map(String),
        `${minutes(p.timeToAccept.median)} / ${minutes(p.timeToAccept.p90)}`,
        `${p.olaMet} of ${p.olaMeasured}`,
        percent(p.olaPercent),
        String(p.pingPongIncidents),
      ]),
      note: 'Offered and cancelled count the offering provider, the other columns the receiving one. Expired: no decision before the deadline. OLA: accepted within the deadline, out of the hand-offs accepted or expired.',
    },
    {
      id: 'ping-pong',
      title: `Ping-pong incidents (${o.pingPongChanges} or more provider changes)`,
      headers: ['Ticket', 'Changes', 'Owners in order', 'Limit reached', 'Row'],
      links: o.pingPong.map((p) => explainLink(p.number, month, 'html')),
      rows: o.pingPong.map((p) => [
        p.number,
        String(p.changes),
        p.owners.join(', '),
        localTime(p.at, tz),
        p.ref,
      ]),
    },
    {
      id: 'handoffs',
      title: `Hand-offs offered (${o.handoffs.length})`,
      headers: [
        'Ticket',
        'Hand-off',
        'From',
        'To',
        'Offered',
        'Deadline',
        'State',
        'Decided',
        'Time to accept',
        'Within deadline',
        'Rows',
      ],
      links: o.handoffs.map((h) => explainLink(h.number, month, 'html')),
      rows: o.handoffs.map((h) => [
        h.number,
        String(h.handoffId),
        h.from,
        h.to,
        localTime(h.offeredAt, tz),
        `${localTime(h.deadline, tz)} (${target(h.deadlineSeconds)})`,
        h.expired && h.state === 'open' ? 'open, expired' : h.state,
        localTime(h.decidedAt, tz),
        minutes(h.secondsToAccept),
        yesNo(h.withinDeadline),
        h.refs,
      ]),
    },
  ];
}

/**
 * Transition mode: owner and shadow side by side per pair (readiness before the cut-over), and the
 * incidents they are counted from, each with the timeline rows of both acknowledgements.
 */
export function transitionTables(t: ShadowComparison, month: string, tz: string): ReportTable[] {
  return [
    {
      id: 'transition',
      title: 'Transition mode: owner and shadow compared',
      headers: [
        'Owner',
        'Shadow',
        'Incidents',
        'Acknowledged first: owner / shadow / same time',
        'MTTA owner (count · median)',
        'MTTA shadow (count · median)',
        'Steps done: owner / shadow',
        'Notes: owner / shadow',
      ],
      rows: t.pairs.map((p) => [
        p.owner,
        p.shadow,
        String(p.incidents),
        `${p.ownerFirst} / ${p.shadowFirst} / ${p.ties}`,
        `${p.ownerMtta.count} · ${minutes(p.ownerMtta.median)}`,
        `${p.shadowMtta.count} · ${minutes(p.shadowMtta.median)}`,
        `${p.ownerSteps} / ${p.shadowSteps}`,
        `${p.ownerNotes} / ${p.shadowNotes}`,
      ]),
      note: 'Incidents opened in the month with a shadow provider. MTTA: calendar time from opening to the first acknowledgement of each side. Shadow actions change no ticket.',
    },
    {
      id: 'transition-incidents',
      title: `Transition mode: incidents (${t.incidents.length})`,
      headers: ['Ticket', 'Owner', 'Shadow', 'Opened', 'Ack owner', 'Ack shadow', 'First', 'Steps', 'Rows'],
      links: t.incidents.map((i) => explainLink(i.number, month, 'html')),
      rows: t.incidents.map((i) => [
        i.number,
        i.owner,
        i.shadow,
        localTime(i.openedAt, tz),
        minutes(i.ownerAckSeconds),
        minutes(i.shadowAckSeconds),
        i.first ?? '–',
        `${i.ownerSteps} / ${i.shadowSteps}`,
        i.refs || '–',
      ]),
    },
  ];
}

/**
 * For a month that had not ended when the report was made: says so, and as of when the figures are, so
 * nobody reads an open clock as final. null for a complete month.
 */
export function progressNote(r: SlaReport): string | null {
  return r.monthInProgress
    ? `Month in progress: figures as of ${localTime(r.asOf, r.timeZone)} (${r.timeZone}); open tickets are evaluated at that time and the figures will change until the month ends.`
    : null;
}

/** One-line headline, also used as the chat summary. */
export function headline(r: SlaReport): string {
  const pct = (kind: 'response' | 'resolution') =>
    percent(
      r.trend[r.trend.length - 1]?.[kind === 'response' ? 'responsePercent' : 'resolutionPercent'] ?? null,
    );
  const open = r.monthInProgress ? 'open now (month in progress)' : 'open at month end';
  return `${r.totals.resolved} resolved, ${r.totals.openAtMonthEnd} ${open} · response ${pct('response')} · resolution ${pct('resolution')} · ${r.totals.breaches} breaches · MTTR median ${hours(r.mttr.wall.median)}`;
}
