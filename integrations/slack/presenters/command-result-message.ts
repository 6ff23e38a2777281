import type { ChatIncident, CommandResult, ReportHeadline } from '../../../src/ports/chat';
import { escape, LIMITS, link, md, plain, type Block, type Mrkdwn } from './blocks';
import { incidentLine, incidentRef } from './incident-labels';
import { incidentMessage } from './incident-message';

/** Lists show at most this many incidents; the rest are counted. */
export const MAX_LISTED = 20;

export interface CommandResultMessage {
  text: string;
  blocks: Block[];
  /** `ephemeral`: only the person who asked sees it (refusals, help, lists). */
  response_type: 'ephemeral' | 'in_channel';
}

/** Renders a command's answer for `respond()`/`say()`; the report files are uploaded separately. */
export function commandResultMessage(r: CommandResult): CommandResultMessage {
  switch (r.kind) {
    case 'text': {
      const text = `${r.ok ? '' : '⚠️ '}${escape(r.text)}`;
      return { text, blocks: [{ type: 'section', text: md(text) }], response_type: 'ephemeral' };
    }
    case 'incident': {
      const card = incidentMessage(r.incident);
      const lead: Block = { type: 'section', text: md(escape(r.text)) };
      // With a full card the lead pushes the last block (the small footer) over the limit; drop that one.
      const blocks = [lead, ...card.blocks].slice(0, LIMITS.messageBlocks);
      return { text: escape(r.text), blocks, response_type: 'in_channel' };
    }
    case 'incidents':
      return incidentList(r.title, r.incidents);
    case 'needs_note': {
      const text = `Resolving ${escape(incidentRef(r.incident))} needs a note: \`/itsm resolve ${escape(incidentRef(r.incident))} <note>\``;
      return { text, blocks: [{ type: 'section', text: md(text) }], response_type: 'ephemeral' };
    }
    case 'needs_handoff_note': {
      // Only where no dialog can open (Slack opens handoffModal); the command form does the same.
      const text = `Hand off ${escape(incidentRef(r.form.incident))} with \`/itsm handoff ${escape(incidentRef(r.form.incident))} to <provider> | <situation> | <actions taken> | <next steps>\``;
      return { text, blocks: [{ type: 'section', text: md(text) }], response_type: 'ephemeral' };
    }
    case 'report':
      return reportMessage(r.headline);
  }
}

function incidentList(title: string, incidents: ChatIncident[]): CommandResultMessage {
  const header: Block = { type: 'header', text: plain(`${title} (${incidents.length})`) };
  if (incidents.length === 0)
    return {
      text: `${escape(title)}: none`,
      blocks: [header, { type: 'section', text: md('No incidents.') }],
      response_type: 'ephemeral',
    };
  const shown = incidents.slice(0, MAX_LISTED);
  const more = incidents.length - shown.length;
  return {
    text: `${escape(title)}: ${incidents.length} incident${incidents.length === 1 ? '' : 's'}`,
    blocks: [
      header,
      ...shown.map((i): Block => ({ type: 'section', text: md(incidentLine(i)) })),
      ...(more > 0 ? [{ type: 'context' as const, elements: [md(`and ${more} more`)] }] : []),
    ],
    response_type: 'ephemeral',
  };
}

const pct = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} %`);
const minutes = (v: number | null) => (v === null ? '—' : `${Math.round(v)} min`);

/** Headline numbers as a two-column table in section fields (10 fields per section at most). */
function reportMessage(h: ReportHeadline): CommandResultMessage {
  const field = (s: string): Mrkdwn => md(s, LIMITS.fieldText);
  const totals = [
    field(`*Tickets*\n${h.tickets}`),
    field(`*Breaches*\n${h.breaches}`),
    field(`*MTTA*\n${minutes(h.mttaMinutes)}`),
    field(`*MTTR*\n${minutes(h.mttrMinutes)}`),
  ];
  const rows = h.byPriority.flatMap((p) => [
    field(`${escape(p.priority)} (${p.tickets})`),
    field(`${pct(p.response)} · ${pct(p.resolution)}`),
  ]);
  const table: Block[] = [];
  const perSection = LIMITS.fields - 2; // room for the column heads in every section
  for (let at = 0; at < rows.length; at += perSection)
    table.push({
      type: 'section',
      fields: [
        field('*Priority (tickets)*'),
        field('*Response · Resolution*'),
        ...rows.slice(at, at + perSection),
      ],
    });
  return {
    text: `SLA report ${h.month}: ${h.tickets} tickets, ${h.breaches} breaches`,
    blocks: [
      { type: 'header', text: plain(`SLA report ${h.month}`) },
      { type: 'section', fields: totals },
      ...table,
      {
        type: 'context',
        elements: [md(`${link(h.links.html, 'HTML report')} · ${link(h.links.csv, 'CSV')}`)],
      },
    ],
    response_type: 'in_channel',
  };
}
