import {
  CHAT_ACTIONS,
  HANDOFF_ACTIONS,
  HANDOFF_BLOCKS as F,
  type ChatHandoffOffer,
  type HandoffForm,
} from '../../../src/ports/chat';
import {
  adaptiveCard,
  escapeMarkdown,
  openUrl,
  text,
  type AdaptiveCard,
  type CardAction,
  type CardElement,
} from './adaptive-card';
import { formatTime } from './format';

/**
 * The hand-off form as an Adaptive Card: the same fields as the Slack dialog (input ids = Slack block
 * ids, plus `nextCheckpointDate`/`nextCheckpointTime` in UTC), submitted with Action.Execute
 * `itsm_handoff` and `submit: true`; the bot checks them with the same zod HandoffNote.
 */
export function handoffFormCard(f: HandoffForm): AdaptiveCard {
  const i = f.incident;
  const area = (id: string, label: string, required: boolean, value?: string): CardElement => ({
    type: 'Input.Text',
    id,
    label,
    isMultiline: true,
    maxLength: 3000,
    ...(required ? { isRequired: true, errorMessage: `${label} is required` } : {}),
    ...(value ? { value: value.slice(0, 3000) } : {}),
  });
  const target = f.to ? f.providers.find((p) => p.name === f.to) : undefined;
  return adaptiveCard(
    [
      text(`Hand off ${escapeMarkdown(i.links.servicenow?.key ?? i.key)} · ${escapeMarkdown(i.title)}`, {
        weight: 'Bolder',
        size: 'Medium',
      }),
      target
        ? text(`From ${escapeMarkdown(i.providerName)} to ${escapeMarkdown(target.displayName)}`)
        : {
            type: 'Input.ChoiceSet',
            id: F.to,
            label: 'Hand off to',
            isRequired: true,
            errorMessage: 'Pick the provider',
            choices: f.providers.map((p) => ({ title: p.displayName, value: p.name })),
          },
      area(F.situation, 'Situation', true),
      area(F.actionsTaken, 'Actions taken', true, f.actionsTaken),
      area(F.nextSteps, 'Next steps', true),
      area(F.hypothesis, 'Hypothesis (optional)', false),
      {
        type: 'Input.Text',
        id: F.branches,
        label: 'Impact: branches, comma-separated (optional)',
        maxLength: 2000,
      },
      { type: 'Input.Number', id: F.users, label: 'Impact: users (optional)', min: 0 },
      { type: 'Input.Date', id: 'nextCheckpointDate', label: 'Next checkpoint, UTC (optional)' },
      { type: 'Input.Time', id: 'nextCheckpointTime' },
    ],
    [
      {
        type: 'Action.Execute',
        title: 'Offer',
        verb: CHAT_ACTIONS.handoff,
        data: { verb: CHAT_ACTIONS.handoff, incidentId: i.id, submit: true, ...(f.to ? { to: f.to } : {}) },
        style: 'positive',
        associatedInputs: 'auto',
      },
    ],
    `Hand off ${i.key}: fill in situation, actions taken and next steps.`,
  );
}

const STATE: Record<ChatHandoffOffer['state'], string> = {
  offered: 'Waiting for acceptance',
  expired: '⚠ Not accepted in time',
  escalated: '⚠ Not accepted in time — escalated',
  accepted: '✅ Accepted',
  rejected: '✖ Rejected',
  cancelled: 'Cancelled by the offering provider',
};

/**
 * The offer in the receiving provider's conversation: the on-call mentioned (an `<at>` entity is added
 * by the notifier), the note, and while it is open Accept (Action.Execute) and Reject (a reason form in
 * Action.ShowCard). `interactive: false` (Workflows webhook) names the commands instead.
 */
export function handoffOfferCard(o: ChatHandoffOffer, opts: { interactive: boolean }): AdaptiveCard {
  const by = o.decided
    ? ` by ${escapeMarkdown(typeof o.decided.by === 'string' ? o.decided.by : o.decided.by.name)} at ${formatTime(o.decided.at)}`
    : '';
  const field = (label: string, value: string | null): CardElement[] =>
    value
      ? [text(`**${label}**`, { spacing: 'Medium' }), text(escapeMarkdown(value), { spacing: 'None' })]
      : [];
  const oncall =
    o.oncall && o.open
      ? `${o.oncall.mention ? `<at>${o.oncall.name.replace(/[<>]/g, '')}</at>` : escapeMarkdown(o.oncall.name)} `
      : '';
  const body: CardElement[] = [
    text(`Hand-off ${o.id}: ${escapeMarkdown(o.fromName)} → ${escapeMarkdown(o.toName)}`, {
      weight: 'Bolder',
      size: 'Medium',
    }),
    text(`${oncall}P${o.incident.priority} · ${escapeMarkdown(o.incident.title)}`),
    text(
      `${STATE[o.state]}${o.state === 'accepted' || o.state === 'rejected' ? by : ''}${o.open ? ` · accept by ${formatTime(o.deadline)}` : ''}`,
      { isSubtle: true },
    ),
    ...field('Reason', o.reason),
    ...o.note.flatMap((f) => field(f.label, f.value)),
  ];
  if (o.open && !opts.interactive)
    body.push(
      text(`Accept with \`handoff accept ${o.id}\`, reject with \`handoff reject ${o.id} <reason>\`.`),
    );
  const actions: CardAction[] = [
    ...(o.open && opts.interactive
      ? [
          {
            type: 'Action.Execute' as const,
            title: 'Accept',
            verb: HANDOFF_ACTIONS.accept,
            data: { verb: HANDOFF_ACTIONS.accept, handoffId: o.id },
            style: 'positive' as const,
            associatedInputs: 'none' as const,
          },
          {
            type: 'Action.ShowCard' as const,
            title: 'Reject',
            card: {
              type: 'AdaptiveCard' as const,
              version: '1.5' as const,
              body: [
                {
                  type: 'Input.Text' as const,
                  id: F.reason,
                  label: 'Reason',
                  isMultiline: true,
                  maxLength: 3000,
                  isRequired: true,
                  errorMessage: 'A rejection needs a reason',
                },
              ],
              actions: [
                {
                  type: 'Action.Execute' as const,
                  title: 'Reject',
                  verb: HANDOFF_ACTIONS.reject,
                  data: { verb: HANDOFF_ACTIONS.reject, handoffId: o.id },
                  style: 'destructive' as const,
                  associatedInputs: 'auto' as const,
                },
              ],
            },
          },
        ]
      : []),
    ...openUrl('Incident', o.incident.links.bridge),
  ];
  return adaptiveCard(body, actions, `Hand-off ${o.id} from ${o.fromName} to ${o.toName}: ${STATE[o.state]}`);
}
