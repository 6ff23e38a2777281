import { CHAT_ACTIONS, type ChatIncident } from '../../../src/ports/chat';
import {
  adaptiveCard,
  escapeMarkdown,
  openUrl,
  text,
  type AdaptiveCard,
  type CardAction,
  type CardElement,
} from './adaptive-card';
import { shadowLine } from '../../../src/core/text/shadow-line';
import { formatTime, priorityLabel, stateLabel, stateStyle } from './format';
import { incidentText } from './plain-text';
import { runbookSection } from './runbook-section';

export interface IncidentCardOptions {
  /**
   * Two-way bot: Action.Execute buttons (acknowledge, hand off, resolve, runbook steps). Notify-only
   * (Workflows webhook): links only — a flow has no bot to receive a button press.
   */
  interactive: boolean;
}

/** Teams shows at most six buttons per ActionSet; the rest would be cut off silently. */
const MAX_LINKS = 6;

/** An incident as an Adaptive Card 1.5: title with priority and state, facts, links, runbook, buttons. */
export function incidentCard(incident: ChatIncident, opts: IncidentCardOptions): AdaptiveCard {
  const body: CardElement[] = [
    {
      type: 'Container',
      style: stateStyle(incident),
      bleed: true,
      items: [
        text(`${priorityLabel(incident)} · ${escapeMarkdown(incident.title)}`, {
          size: 'Large',
          weight: 'Bolder',
        }),
        // Display names are people's own choice: never Markdown (issue 12).
        text(escapeMarkdown(stateLabel(incident)), { spacing: 'None' }),
        text(incident.key, { size: 'Small', isSubtle: true, spacing: 'None' }),
      ],
    },
    { type: 'FactSet', facts: facts(incident) },
  ];
  if (incident.shadow) body.push(text(escapeMarkdown(shadowLine(incident.shadow)), { weight: 'Bolder' }));
  if (incident.resolution?.note)
    body.push(text(`**Resolution note:** ${escapeMarkdown(incident.resolution.note)}`));
  body.push(...runbookSection(incident, opts.interactive));
  const links = linkActions(incident);
  if (links.length > 0) body.push({ type: 'ActionSet', actions: links });
  const actions = opts.interactive ? buttons(incident) : [];
  return adaptiveCard(body, actions, incidentText(incident));
}

function facts(incident: ChatIncident): { title: string; value: string }[] {
  const out = [
    {
      title: 'Priority',
      value: `${priorityLabel(incident)} (impact ${incident.impact}, urgency ${incident.urgency})`,
    },
    { title: 'Severity', value: incident.severity },
  ];
  if (incident.branch) out.push({ title: 'Branch', value: incident.branch });
  if (incident.host) out.push({ title: 'Host', value: incident.host });
  if (incident.service) out.push({ title: 'Service', value: incident.service });
  out.push({ title: 'Provider', value: incident.providerName });
  const flapping = incident.flapping ? ' (flapping)' : '';
  out.push({ title: 'Alerts firing', value: `${incident.firingCount} of ${incident.alertCount}${flapping}` });
  out.push({ title: 'Opened', value: formatTime(incident.openedAt) });
  if (incident.resolvedAt) out.push({ title: 'Resolved', value: formatTime(incident.resolvedAt) });
  // Degrade, never drop: the card goes out before the tickets exist and says so.
  out.push({ title: 'ServiceNow', value: incident.links.servicenow?.key ?? 'ticket pending' });
  if (incident.links.jira) out.push({ title: 'Jira', value: incident.links.jira.key });
  return out.map((f) => ({ title: f.title, value: escapeMarkdown(f.value) }));
}

function linkActions(incident: ChatIncident): CardAction[] {
  const { servicenow, jira, monitoring, bridge } = incident.links;
  return [
    ...(servicenow ? openUrl(`ServiceNow ${servicenow.key}`, servicenow.url) : []),
    ...(jira ? openUrl(`Jira ${jira.key}`, jira.url) : []),
    ...openUrl('Bridge', bridge),
    ...monitoring.flatMap((m) => openUrl(m.label, m.url)),
  ].slice(0, MAX_LINKS);
}

/** Acknowledge / Hand off / Resolve; resolve opens a ShowCard with the note field (Teams renders it inline). */
function buttons(incident: ChatIncident): CardAction[] {
  if (incident.state === 'resolved') return [];
  const data = (verb: string) => ({ verb, incidentId: incident.id });
  const out: CardAction[] = [];
  if (!incident.acknowledged)
    out.push({
      type: 'Action.Execute',
      title: 'Acknowledge',
      verb: CHAT_ACTIONS.ack,
      data: data(CHAT_ACTIONS.ack),
      style: 'positive',
      associatedInputs: 'none',
    });
  out.push({
    type: 'Action.Execute',
    title: 'Hand off',
    verb: CHAT_ACTIONS.handoff,
    data: data(CHAT_ACTIONS.handoff),
    associatedInputs: 'none',
  });
  // A nested card takes no schema or width of its own.
  const { $schema: _schema, msteams: _msteams, ...form } = resolveForm(incident);
  out.push({ type: 'Action.ShowCard', title: 'Resolve', card: form });
  return out;
}

/** The "resolve with a note" form; also sent alone when a command answers `needs_note`. */
export function resolveForm(incident: ChatIncident): AdaptiveCard {
  return adaptiveCard(
    [
      {
        type: 'Input.Text',
        id: 'note',
        label: `Resolution note for ${incident.key}`,
        placeholder: 'What fixed it? (optional)',
        isMultiline: true,
        maxLength: 2000,
      },
    ],
    [
      {
        type: 'Action.Execute',
        title: 'Resolve',
        verb: CHAT_ACTIONS.resolve,
        data: { verb: CHAT_ACTIONS.resolve, incidentId: incident.id },
        style: 'destructive',
        associatedInputs: 'auto',
      },
    ],
  );
}
