import type { ChatIncident } from '../../../src/ports/chat';

/** `2024-05-01 10:15 UTC`: cards are rendered once for everyone, so times are shown in UTC. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The state as people talk about it: Open, Acknowledged by …, Resolving, Resolved. */
export function stateLabel(incident: ChatIncident): string {
  if (incident.state === 'resolved') {
    const r = incident.resolution;
    return r ? `Resolved by ${r.by} at ${formatTime(r.at)}` : 'Resolved';
  }
  const prefix = incident.state === 'resolving' ? 'Resolving' : 'Open';
  const ack = incident.acknowledged;
  if (ack)
    return `${prefix === 'Open' ? '' : `${prefix} · `}Acknowledged by ${ack.by} at ${formatTime(ack.at)}`;
  return prefix;
}

/** Coarse state for "did the visible state change" checks: open, acknowledged, resolved. */
export function stateKey(incident: ChatIncident): 'open' | 'acknowledged' | 'resolved' {
  if (incident.state === 'resolved') return 'resolved';
  return incident.acknowledged ? 'acknowledged' : 'open';
}

export const priorityLabel = (incident: ChatIncident): string => `P${incident.priority}`;

/** Container style: red for open P1/P2, amber while acknowledged or lower priority, green once resolved. */
export function stateStyle(incident: ChatIncident): 'attention' | 'warning' | 'good' {
  if (incident.state === 'resolved') return 'good';
  if (!incident.acknowledged && incident.priority <= 2) return 'attention';
  return 'warning';
}
