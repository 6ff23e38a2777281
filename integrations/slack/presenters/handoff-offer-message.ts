import { HANDOFF_ACTIONS, type ChatHandoffOffer, type ChatMention } from '../../../src/ports/chat';
import { button, escape, link, md, plain, slackDate, type Block, type BlockMessage } from './blocks';
import { priorityLabel } from './incident-labels';

const who = (x: ChatMention | string) => (typeof x === 'string' ? escape(x) : `<@${x.id}>`);

const STATE_LINE: Record<ChatHandoffOffer['state'], string> = {
  offered: 'Waiting for acceptance',
  expired: '⚠️ Not accepted in time',
  escalated: '⚠️ Not accepted in time — escalated',
  accepted: '✅ Accepted',
  rejected: '✖️ Rejected',
  cancelled: 'Cancelled by the offering provider',
};

/**
 * The offer in the receiving provider's channel: the on-call mentioned, the note, the deadline, and
 * Accept / Reject while it is open; after a decision the same message says who decided, without buttons.
 */
export function handoffOfferMessage(o: ChatHandoffOffer): BlockMessage {
  const i = o.incident;
  const tickets = [i.links.servicenow, i.links.jira].flatMap((t) => (t ? [link(t.url, t.key)] : []));
  const oncall = o.oncall ? (o.oncall.mention ? `<@${o.oncall.mention.id}>` : escape(o.oncall.name)) : null;
  const decided = o.decided ? ` by ${who(o.decided.by)} ${slackDate(o.decided.at)}` : '';
  const blocks: Block[] = [
    { type: 'header', text: plain(`Hand-off ${o.id}: ${o.fromName} → ${o.toName}`) },
    {
      type: 'section',
      text: md(
        `${oncall && o.open ? `${oncall} ` : ''}*${priorityLabel(i.priority)}* ${link(i.links.bridge, i.title)}${tickets.length ? ` · ${tickets.join(' · ')}` : ''}\n` +
          `${STATE_LINE[o.state]}${o.state === 'accepted' || o.state === 'rejected' ? decided : ''}` +
          (o.open ? ` · accept by ${slackDate(o.deadline)}` : '') +
          (o.reason ? `\nReason: ${escape(o.reason)}` : ''),
      ),
    },
    ...o.note.map((f): Block => ({ type: 'section', text: md(`*${f.label}*\n${escape(f.value)}`) })),
    ...(o.open
      ? [
          {
            type: 'actions' as const,
            block_id: 'handoff',
            elements: [
              button('Accept', HANDOFF_ACTIONS.accept, String(o.id), 'primary'),
              button('Reject', HANDOFF_ACTIONS.reject, String(o.id), 'danger'),
            ],
          },
        ]
      : []),
    { type: 'context', elements: [md(`Offered by ${escape(o.offeredBy)} · ${escape(o.fromName)}`)] },
  ];
  const text = escape(
    `${o.oncall?.name ? `${o.oncall.name}: ` : ''}hand-off ${o.id} from ${o.fromName} to ${o.toName} — ${STATE_LINE[o.state]}: ${i.title}`,
  );
  return { text: oncall && o.open ? `${oncall} ${text}` : text, blocks };
}
