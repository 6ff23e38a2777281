import type { TimelineEvent } from '../core/incident/timeline-event';
import type { ChatActor } from '../ports/chat';
import type { Clock } from '../ports/clock';
import type { IncidentRecord, Transactional, UnitOfWork } from '../ports/store';
import type { TicketingSettings } from './enqueue-ticket-commands';
import { recordEvent } from './record-event';

/**
 * What people do to an incident from chat is one use-case per file (acknowledge-incident,
 * resolve-incident, add-incident-note, complete-runbook-step): each checks the incident's state, then
 * writes the incident change, a timeline entry, the audit record (the chat user as actor) and the outbox
 * commands for both tickets and the chat message — in ONE transaction. Re-running an action that is
 * already done (a double click, a retry) changes nothing and says so. This file holds what they share.
 */
export interface ActionDeps {
  store: Transactional;
  clock: Clock;
  ticketing: TicketingSettings;
}

export type ActionResult =
  | { ok: true; incident: IncidentRecord; message: string }
  | { ok: false; incident: IncidentRecord | null; message: string };

/** The actor id stored on the incident and in the audit log, e.g. `slack:U0123`. */
export const actorId = (a: ChatActor) => `${a.platform}:${a.userId}`;

/** What a chat action touches inside its transaction: the incident, its timeline and audit, the outbox. */
export type ChatActionWork = Pick<UnitOfWork, 'incidents' | 'timeline' | 'audit' | 'outbox' | 'escalations'>;

/** Runs an action on one incident in one transaction; a missing incident is a refusal, not an error. */
export async function inTransaction(
  deps: ActionDeps,
  incidentId: number,
  fn: (uow: ChatActionWork, inc: IncidentRecord, now: string) => Promise<ActionResult>,
): Promise<ActionResult> {
  return deps.store.unitOfWork(async (uow) => {
    const inc = await uow.incidents.get(incidentId);
    if (!inc) return { ok: false, incident: null, message: `Incident ${incidentId} does not exist.` };
    return fn(uow, inc, deps.clock.now().toISOString());
  });
}

/** The timeline events people write from chat (each names the person and the platform). */
type PersonEvent = Extract<TimelineEvent, { data: { name: string; platform: string } }>;
/** Records what a person did: timeline (with their name and platform) and audit (they are the actor). */
export async function recordChatEvent(
  uow: Pick<UnitOfWork, 'timeline' | 'audit'>,
  o: { inc: IncidentRecord; actor: ChatActor; now: string; reason: string; event: PersonEvent },
) {
  const { name: _name, platform: _platform, ...details } = o.event.data;
  await recordEvent(uow, {
    ...o.event,
    incidentId: o.inc.id,
    at: o.now,
    actor: actorId(o.actor),
    reason: o.reason,
    audit: { name: o.actor.name, reason: o.reason, ...details },
  });
}

/** The person part of a chat event's data. */
export const byPerson = (actor: ChatActor) => ({ name: actor.name, platform: actor.platform });

/** How a chat answer names the incident: its ticket numbers, else `#id`. */
export const ticketNames = (inc: IncidentRecord) =>
  [inc.tickets.servicenow?.number, inc.tickets.jira?.key].filter(Boolean).join(' / ') || `#${inc.id}`;
