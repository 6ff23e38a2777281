import type { ChatIncident, CommandResult } from '../../../src/ports/chat';
import { formatTime, priorityLabel, stateLabel } from './format';

/** One incident as plain text: the card's fallback and the notification preview. */
export function incidentText(incident: ChatIncident): string {
  const where = [incident.branch, incident.host, incident.service].filter(Boolean).join(' / ');
  const tickets = [incident.links.servicenow?.key ?? 'ticket pending', incident.links.jira?.key]
    .filter(Boolean)
    .join(', ');
  return [
    `${priorityLabel(incident)} ${incident.title} — ${stateLabel(incident)}`,
    [where, incident.providerName, tickets].filter(Boolean).join(' · '),
    `${incident.firingCount}/${incident.alertCount} alerts firing · opened ${formatTime(incident.openedAt)}`,
  ].join('\n');
}

/** A command result as plain text (clients without card support, logs, tests). */
export function commandResultText(result: CommandResult): string {
  switch (result.kind) {
    case 'text':
      return result.text;
    case 'incident':
      return `${result.text}\n${incidentText(result.incident)}`;
    case 'incidents':
      return result.incidents.length === 0
        ? `${result.title}: none`
        : [
            result.title,
            ...result.incidents.map((i) => `• ${priorityLabel(i)} ${i.key} ${i.title} — ${stateLabel(i)}`),
          ].join('\n');
    case 'needs_note':
      return `Resolve ${result.incident.key}: add a resolution note.`;
    case 'needs_handoff_note':
      return `Hand off ${result.form.incident.key}: fill in situation, actions taken and next steps.`;
    case 'report': {
      const h = result.headline;
      return `SLA report ${h.month}: ${h.tickets} tickets, ${h.breaches} breaches. ${h.links.html}`;
    }
  }
}
