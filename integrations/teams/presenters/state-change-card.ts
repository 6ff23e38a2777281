import type { ChatIncident } from '../../../src/ports/chat';
import {
  adaptiveCard,
  escapeMarkdown,
  openUrl,
  text,
  type AdaptiveCard,
  type CardAction,
} from './adaptive-card';
import { priorityLabel, stateLabel, stateStyle } from './format';

/**
 * A short "INC… resolved" card for notify-only mode: a Workflows webhook cannot edit the card it posted,
 * so a state change goes out as a new, small message that links back to the incident.
 */
export function stateChangeCard(incident: ChatIncident): AdaptiveCard {
  const ref = incident.links.servicenow?.key ?? incident.key;
  const verb =
    incident.state === 'resolved' ? 'resolved' : incident.acknowledged ? 'acknowledged' : 'reopened';
  const sn = incident.links.servicenow;
  const links: CardAction[] = [
    ...(sn ? openUrl(`ServiceNow ${sn.key}`, sn.url) : []),
    ...openUrl('Bridge', incident.links.bridge),
  ];
  const headline = `${ref} ${verb}: ${priorityLabel(incident)} ${incident.title}`;
  return adaptiveCard(
    [
      {
        type: 'Container',
        style: stateStyle(incident),
        bleed: true,
        items: [
          text(escapeMarkdown(headline), { weight: 'Bolder' }),
          text(escapeMarkdown(stateLabel(incident)), { spacing: 'None', isSubtle: true }),
        ],
      },
      ...(incident.resolution?.note ? [text(escapeMarkdown(incident.resolution.note))] : []),
    ],
    links,
    headline,
  );
}
