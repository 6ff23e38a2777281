import { CHAT_ACTIONS, type ChatIncident, type RunbookStepView } from '../../../src/ports/chat';
import { shadowLine } from '../../../src/core/text/shadow-line';
import {
  button,
  escape,
  LIMITS,
  link,
  md,
  plain,
  slackDate,
  type Block,
  type Button,
  type Mrkdwn,
} from './blocks';
import { incidentEmoji, incidentRef, priorityLabel, stateLabel, ticketLinks } from './incident-labels';

/** Monitoring links beyond this many are left to the bridge page. */
const MAX_MONITORING_LINKS = 5;

/**
 * The incident card: header with priority and state, facts, links, the runbook checklist with a "Done"
 * button per open step, and Acknowledge · Hand off · Resolve. Stays within Slack's 50 blocks by collapsing
 * a long checklist into "and N more steps".
 */
export function incidentMessage(i: ChatIncident): { text: string; blocks: Block[] } {
  const resolved = i.state === 'resolved';
  const head: Block[] = [
    {
      type: 'header',
      text: plain(`${incidentEmoji(i)} ${priorityLabel(i.priority)} · ${stateLabel(i)} — ${i.title}`),
    },
    { type: 'section', text: md(summary(i)) },
    { type: 'section', fields: facts(i) },
    { type: 'context', elements: [md(links(i))] },
  ];
  const tail: Block[] = [
    ...(resolved ? [] : [{ type: 'actions' as const, block_id: 'incident_actions', elements: actions(i) }]),
    {
      type: 'context',
      elements: [md(`itsm-bridge · incident ${i.id} · key \`${escape(i.key)}\``)],
    },
  ];
  const budget = LIMITS.messageBlocks - head.length - tail.length;
  return {
    text: fallbackText(i),
    blocks: [...head, ...(i.runbook ? runbookBlocks(i, budget) : []), ...tail],
  };
}

/** Notification text: shown in push notifications and where blocks cannot be rendered. */
function fallbackText(i: ChatIncident): string {
  const tickets = [i.links.servicenow?.key, i.links.jira?.key].filter(Boolean).join(', ');
  const shadow = i.shadow?.copy ? '[shadow] ' : '';
  return escape(
    `${shadow}${priorityLabel(i.priority)} ${stateLabel(i)}: ${i.title}${tickets ? ` (${tickets})` : ''}`,
  );
}

function summary(i: ChatIncident): string {
  const lines = [`*${escape(i.title)}*`];
  lines.push(`Severity *${escape(i.severity)}*${i.flapping ? ' · ⚠️ flapping' : ''}`);
  if (i.acknowledged)
    lines.push(`Acknowledged by *${escape(i.acknowledged.by)}* ${slackDate(i.acknowledged.at)}`);
  const h = i.handoff;
  if (h && h.state === 'open')
    lines.push(`⇄ Hand-off ${h.id} to *${escape(h.toName)}* offered — waiting for them to accept`);
  else if (h) lines.push(`⇄ Hand-off ${h.id} from ${escape(h.fromName)} to ${escape(h.toName)} ${h.state}`);
  if (i.resolution) {
    const note = i.resolution.note ? `: ${escape(i.resolution.note)}` : '';
    lines.push(`Resolved by *${escape(i.resolution.by)}* ${slackDate(i.resolution.at)}${note}`);
  } else if (i.state === 'resolving') lines.push('All alerts recovered — resolving after the grace period.');
  if (i.shadow) lines.push(escape(shadowLine(i.shadow)));
  return lines.join('\n');
}

function facts(i: ChatIncident): Mrkdwn[] {
  const field = (label: string, value: string) => md(`*${label}*\n${value}`, LIMITS.fieldText);
  const out = [
    field('Priority', `${priorityLabel(i.priority)} (impact ${i.impact} · urgency ${i.urgency})`),
    ...(i.branch ? [field('Branch', escape(i.branch))] : []),
    ...(i.host ? [field('Host', escape(i.host))] : []),
    ...(i.service ? [field('Service', escape(i.service))] : []),
    field('Provider', escape(i.providerName || i.provider)),
    field('Alerts firing', `${i.firingCount} of ${i.alertCount}`),
    field('Opened', slackDate(i.openedAt)),
    ...(i.resolvedAt ? [field('Resolved', slackDate(i.resolvedAt))] : []),
  ];
  return out.slice(0, LIMITS.fields);
}

function links(i: ChatIncident): string {
  const parts = [ticketLinks(i)];
  for (const m of i.links.monitoring.slice(0, MAX_MONITORING_LINKS)) parts.push(link(m.url, m.label));
  parts.push(link(i.links.bridge, 'Bridge'));
  return parts.join(' · ');
}

function actions(i: ChatIncident): Button[] {
  const value = String(i.id);
  return [
    ...(i.acknowledged ? [] : [button('Acknowledge', CHAT_ACTIONS.ack, value, 'primary')]),
    // One open hand-off per incident: while it waits, the button would only be refused.
    ...(i.handoff?.state === 'open' ? [] : [button('Hand off', CHAT_ACTIONS.handoff, value)]),
    button('Resolve', CHAT_ACTIONS.resolve, value, 'danger'),
  ];
}

/**
 * Title plus one block per step within `budget` blocks. When the list is too long, steps done before the
 * first open one fold into one line, and what does not fit is named with the command that lists it all.
 */
function runbookBlocks(i: ChatIncident, budget: number): Block[] {
  const rb = i.runbook;
  if (!rb) return [];
  const done = rb.steps.filter((s) => s.done).length;
  const title: Block = {
    type: 'section',
    text: md(`📋 *Runbook: ${escape(rb.title)}* — ${done}/${rb.steps.length} done`),
  };
  const room = budget - 1;
  if (rb.steps.length <= room) return [title, ...rb.steps.map((s) => stepBlock(i, s))];
  const firstOpen = rb.steps.findIndex((s) => !s.done);
  const start = firstOpen === -1 ? 0 : firstOpen;
  const folded: Block[] = start > 0 ? [{ type: 'context', elements: [md(`✅ Steps 1–${start} done`)] }] : [];
  const shown = rb.steps.slice(start, start + room - folded.length - 1);
  const more = rb.steps.length - start - shown.length;
  return [
    title,
    ...folded,
    ...shown.map((s) => stepBlock(i, s)),
    {
      type: 'context',
      elements: [md(`and ${more} more steps — \`/itsm runbook ${escape(incidentRef(i))}\``)],
    },
  ];
}

function stepBlock(i: ChatIncident, s: RunbookStepView): Block {
  const n = s.index + 1;
  if (s.done)
    return {
      type: 'section',
      text: md(`✅ ~${n}. ${escape(s.text)}~ — ${escape(s.done.by)}, ${slackDate(s.done.at)}`),
    };
  return {
    type: 'section',
    text: md(`☐ *${n}.* ${escape(s.text)}`),
    ...(i.state === 'resolved' ? {} : { accessory: button('Done', CHAT_ACTIONS.step, `${i.id}:${s.index}`) }),
  };
}
