import { isPagingLane } from '../core/outbox/outbox-command';
import { unhandled } from '../core/unhandled';
import type { Pager } from '../ports/pager';
import type { IncidentRecord, OutboxCommand, PagingOutboxCommand } from '../ports/store';
import { laneRunner, type LaneRunner } from './lane-runner';

/** A paging command on the paging lane. */
export const isPagingCommand = (cmd: OutboxCommand): cmd is PagingOutboxCommand =>
  cmd.kind !== 'unreadable' && isPagingLane(cmd.lane);

/** The dedup key of an incident at every paging target: one alert per incident, whatever the steps. */
export const pageDedupKey = (incident: Pick<IncidentRecord, 'key'>) => `itsm-bridge:${incident.key}`;

/** Links a page carries: the incident in the bridge, and its tickets when they exist. */
function links(incident: IncidentRecord, publicUrl: string) {
  return [
    { href: `${publicUrl}/api/incidents/${incident.id}`, text: 'itsm-bridge incident' },
    ...(incident.tickets.servicenow
      ? [{ href: incident.tickets.servicenow.url, text: incident.tickets.servicenow.number }]
      : []),
    ...(incident.tickets.jira ? [{ href: incident.tickets.jira.url, text: incident.tickets.jira.key }] : []),
  ];
}

/** The paging lane: sends the event to its target; a retry sends the same dedup key again (harmless). */
export function pagingLaneRunner(deps: { pager: Pager; publicUrl: string }): LaneRunner {
  return laneRunner(isPagingCommand, async (cmd, incident) => {
    switch (cmd.kind) {
      case 'page': {
        const p = cmd.payload;
        await deps.pager.send({
          target: p.target,
          action: p.action,
          dedupKey: pageDedupKey(incident),
          summary: p.summary,
          severity: p.severity,
          source: incident.host ?? incident.key,
          links: links(incident, deps.publicUrl),
        });
        return { summary: `${p.action} sent to ${p.target}` };
      }
      default:
        return unhandled(cmd.kind);
    }
  });
}
