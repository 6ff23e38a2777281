import type { ChatIncident, CommandResult, ReportHeadline } from '../../../src/ports/chat';
import { adaptiveCard, escapeMarkdown, text, type AdaptiveCard, type CardElement } from './adaptive-card';
import { priorityLabel, stateLabel } from './format';
import { incidentCard, resolveForm } from './incident-card';
import { commandResultText } from './plain-text';
import { handoffFormCard } from './handoff-cards';

/**
 * What a command or card action answered, as a card. Incident answers are the interactive incident card
 * (so an Action.Execute invoke can answer with the refreshed card), with the command's message on top.
 */
export function commandResultCard(result: CommandResult): AdaptiveCard {
  switch (result.kind) {
    case 'text':
      return adaptiveCard(
        [text(escapeMarkdown(result.text), result.ok ? {} : { color: 'Attention' })],
        [],
        result.text,
      );
    case 'incident': {
      const card = incidentCard(result.incident, { interactive: true });
      return result.text
        ? { ...card, body: [text(escapeMarkdown(result.text), { isSubtle: true }), ...card.body] }
        : card;
    }
    case 'incidents':
      return adaptiveCard(
        [
          text(escapeMarkdown(result.title), { weight: 'Bolder', size: 'Medium' }),
          ...incidentList(result.incidents),
        ],
        [],
        commandResultText(result),
      );
    case 'needs_note':
      return resolveForm(result.incident);
    case 'needs_handoff_note':
      return handoffFormCard(result.form);
    case 'report':
      return reportCard(result.headline);
  }
}

function incidentList(incidents: ChatIncident[]): CardElement[] {
  if (incidents.length === 0) return [text('No incidents.', { isSubtle: true })];
  return incidents.map((i) => ({
    type: 'Container',
    separator: true,
    items: [
      text(`**${priorityLabel(i)}** [${escapeMarkdown(i.title)}](${i.links.bridge})`),
      text(escapeMarkdown(`${i.links.servicenow?.key ?? i.key} · ${stateLabel(i)}`), {
        size: 'Small',
        isSubtle: true,
        spacing: 'None',
      }),
    ],
  }));
}

const pct = (v: number | null) => (v === null ? '–' : `${v.toFixed(1)} %`);
const minutes = (v: number | null) => (v === null ? '–' : `${Math.round(v)} min`);

/** Headline numbers and download links; the files themselves are offered as links, not attachments. */
function reportCard(h: ReportHeadline): AdaptiveCard {
  return adaptiveCard(
    [
      text(`SLA report ${h.month}`, { weight: 'Bolder', size: 'Medium' }),
      {
        type: 'FactSet',
        facts: [
          { title: 'Tickets', value: String(h.tickets) },
          { title: 'Breaches', value: String(h.breaches) },
          { title: 'MTTA', value: minutes(h.mttaMinutes) },
          { title: 'MTTR', value: minutes(h.mttrMinutes) },
          ...h.byPriority.map((p) => ({
            title: p.priority,
            value: `${p.tickets} tickets · response ${pct(p.response)} · resolution ${pct(p.resolution)}`,
          })),
        ],
      },
    ],
    [
      { type: 'Action.OpenUrl', title: 'Open report', url: h.links.html },
      { type: 'Action.OpenUrl', title: 'Download CSV', url: h.links.csv },
    ],
    `SLA report ${h.month}: ${h.tickets} tickets, ${h.breaches} breaches`,
  );
}
