import type { ExplainedRecord, SlaExplanation } from '../core/sla/explain-ticket';
import { localTime, priorityLabel, target } from './format';
import { htmlTable, REPORT_CSS } from './render-html';
import { esc as mdEsc, markdownTable } from './render-markdown';
import { olaTables, transitionTables, type ReportTable } from './report-tables';
import { escapeXml as esc } from './svg-charts';

const flag = (v: boolean | null | undefined) => (v === true ? 'yes' : v === false ? 'no' : '–');
const num = (v: number | null | undefined) => (v === null || v === undefined ? '–' : String(v));
const mins = (m: number) => m.toFixed(m % 1 === 0 ? 0 : 2);

function verdictLine(r: ExplainedRecord, tz: string): string {
  const t = r.target ? `target ${target(r.target.seconds)} on ${r.target.calendar}` : 'no target';
  const b =
    r.breached === true
      ? `breached at ${localTime(r.breachedAt, tz)} (${r.breachProvider ?? '(none)'})`
      : r.breached === false
        ? 'not breached'
        : 'no verdict';
  return `${r.name} (${r.definitionId}), cycle ${r.cycle}, ${priorityLabel(r.priority)}: ${r.stage}, ${t}, ${b}`;
}

/** The explanation as tables: the updates read, then each record's clock stretches and its figures. */
export function explanationTables(e: SlaExplanation): ReportTable[] {
  const tz = e.timeZone;
  return [
    {
      id: 'updates',
      title: `Updates read (${e.updates.length})`,
      headers: [
        '#',
        `Time (${tz})`,
        'UTC',
        'Source',
        'Revision',
        'State',
        'Priority',
        'Assignee',
        'made_sla',
        'Use',
      ],
      rows: e.updates.map((u) => [
        String(u.index),
        localTime(u.at, tz),
        u.at,
        u.ref ?? '–',
        num(u.version),
        u.state ?? '–',
        u.priority === undefined ? '–' : priorityLabel(u.priority),
        u.assignee ?? '–',
        flag(u.externalMadeSla),
        u.use,
      ]),
    },
    ...e.records.map((r, i): ReportTable => ({
      id: `record-${i}`,
      title: verdictLine(r, tz),
      headers: [
        'From',
        'To',
        'State',
        'Clock',
        'Assignee',
        'Started by',
        'Calendar min',
        'Business min',
        'Clock after (business min)',
        'Breach',
      ],
      rows: r.segments.map((s) => [
        localTime(s.from, tz),
        localTime(s.to, tz),
        s.state,
        s.clock,
        s.assignee ?? '–',
        s.startedBy ?? '–',
        mins(s.calendarMinutes),
        mins(s.businessMinutes),
        mins(s.elapsedBusinessMinutes),
        s.breach ? `at ${localTime(r.breachedAt, tz)}` : '',
      ]),
      note: `Elapsed ${mins(r.elapsedBusinessSeconds / 60)} business min (${mins(r.elapsedWallSeconds / 60)} calendar), paused ${mins(r.pausedBusinessSeconds / 60)} business min (${mins(r.pausedWallSeconds / 60)} calendar). Contributes: ${r.contributes.join('; ')}.`,
    })),
    // This ticket's hand-offs of the month and what they add to each provider's OLA figures.
    ...(e.figures.ola && e.figures.ola.handoffs.length + e.figures.ola.pingPong.length > 0
      ? olaTables(e.figures.ola, e.month, tz)
      : []),
    ...(e.figures.transition ? transitionTables(e.figures.transition, e.month, tz) : []),
  ];
}

function heading(e: SlaExplanation): string {
  return `SLA explanation ${e.number}, ${e.month}`;
}

function meta(e: SlaExplanation): string {
  const progress = e.monthInProgress ? ', month in progress' : '';
  return `Opened ${localTime(e.openedAt, e.timeZone)} · evaluated as of ${localTime(e.asOf, e.timeZone)} (${e.timeZone})${progress} · ServiceNow made_sla as of then: ${flag(e.externalMadeSla)}`;
}

/** The explanation as an HTML page (inline CSS, no scripts), linked from the report's breach table. */
export function renderExplanationHtml(e: SlaExplanation): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(heading(e))}</title><style>${REPORT_CSS}</style></head>
<body>
<h1>${esc(heading(e))}</h1>
<p class="meta">${esc(meta(e))} · <a href="/reports?month=${encodeURIComponent(e.month)}">report of ${esc(e.month)}</a></p>
${explanationTables(e).map(htmlTable).join('\n')}
</body></html>
`;
}

/** The explanation as Markdown (what `itsm-bridge sla explain` prints by default). */
export function renderExplanationMarkdown(e: SlaExplanation): string {
  const out = [`# ${mdEsc(heading(e))}`, '', mdEsc(meta(e))];
  for (const t of explanationTables(e)) out.push(...markdownTable(t));
  return `${out.join('\n')}\n`;
}
