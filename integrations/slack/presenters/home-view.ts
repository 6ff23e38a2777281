import { CHAT_ACTIONS, type ChatIncident } from '../../../src/ports/chat';
import { button, LIMITS, md, plain, type Block, type HomeView } from './blocks';
import { incidentLine } from './incident-labels';

/**
 * The App Home tab: the viewer's incidents, then the open queue. Each list gets half of Slack's 100
 * blocks; an Acknowledge button sits next to every incident nobody has acknowledged yet.
 */
export function homeView(mine: ChatIncident[], queue: ChatIncident[]): HomeView {
  const half = Math.floor(LIMITS.viewBlocks / 2);
  return {
    type: 'home',
    blocks: [
      ...section('Your incidents', mine, 'Nothing assigned to you. 🎉', half),
      { type: 'divider' },
      ...section('Open queue', queue, 'The queue is empty.', LIMITS.viewBlocks - half - 1),
    ],
  };
}

function section(title: string, incidents: ChatIncident[], empty: string, budget: number): Block[] {
  const header: Block = { type: 'header', text: plain(`${title} (${incidents.length})`) };
  if (incidents.length === 0) return [header, { type: 'section', text: md(empty) }];
  const fits = incidents.length <= budget - 1;
  const shown = incidents.slice(0, fits ? incidents.length : budget - 2);
  return [
    header,
    ...shown.map((i): Block => {
      const ack = i.state !== 'resolved' && !i.acknowledged;
      return {
        type: 'section',
        text: md(incidentLine(i)),
        ...(ack ? { accessory: button('Acknowledge', CHAT_ACTIONS.ack, String(i.id), 'primary') } : {}),
      };
    }),
    ...(fits
      ? []
      : [
          {
            type: 'context' as const,
            elements: [md(`and ${incidents.length - shown.length} more — \`/itsm list\``)],
          },
        ]),
  ];
}
