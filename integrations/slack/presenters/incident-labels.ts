import type { ChatIncident } from '../../../src/ports/chat';
import { escape, link } from './blocks';

/** `P1` … `P5` (ServiceNow's priority scale). */
export const priorityLabel = (priority: number): string =>
  `P${Math.min(5, Math.max(1, Math.round(priority)))}`;

const PRIORITY_EMOJI = ['🔴', '🟠', '🟡', '🔵', '⚪'];

/** A coloured dot per priority, a check mark once resolved. */
export const incidentEmoji = (i: ChatIncident): string =>
  i.state === 'resolved' ? '✅' : (PRIORITY_EMOJI[Math.min(5, Math.max(1, i.priority)) - 1] ?? '⚪');

/** Open / Acknowledged by … / Resolving / Resolved (plain text, not escaped). */
export function stateLabel(i: ChatIncident): string {
  if (i.state === 'resolved') return 'Resolved';
  if (i.state === 'resolving') return 'Resolving';
  return i.acknowledged ? `Acknowledged by ${i.acknowledged.by}` : 'Open';
}

/** How people name the incident in commands: the ServiceNow number, else the Jira key, else our id. */
export const incidentRef = (i: ChatIncident): string =>
  i.links.servicenow?.key ?? i.links.jira?.key ?? String(i.id);

/** `INC0010001 · OPS-12` as links, or a "ticket pending" marker while no ticket exists yet. */
export function ticketLinks(i: ChatIncident): string {
  const parts = [
    i.links.servicenow && link(i.links.servicenow.url, i.links.servicenow.key),
    i.links.jira && link(i.links.jira.url, i.links.jira.key),
  ].filter((p): p is string => Boolean(p));
  return parts.length > 0 ? parts.join(' · ') : '_ticket pending_';
}

/** One mrkdwn line for lists: priority, linked title, state and ticket keys. */
export const incidentLine = (i: ChatIncident): string =>
  `${incidentEmoji(i)} *${priorityLabel(i.priority)}* ${link(i.links.bridge, i.title)}\n` +
  `${escape(stateLabel(i))} · ${ticketLinks(i)}`;
