import type { ChatActor } from '../ports/chat';
import type { Clock } from '../ports/clock';
import type { IncidentRecord, Store, UnitOfWork } from '../ports/store';
import { CHAT_EVENTS } from './chat-incident-view';
import { recordEvent } from './record-event';
import { enqueueChatSync, enqueueTicketCommands, type TicketingSettings } from './enqueue-ticket-commands';

/**
 * What people do to an incident from chat, as use-cases: each one checks the incident's state, then
 * writes the incident change, a timeline entry, the audit record (the chat user as actor) and the
 * outbox commands for both tickets and the chat message — in ONE transaction. Re-running an action that
 * is already done (a double click, a retry) changes nothing and says so.
 */
export interface ActionDeps {
  store: Store;
  clock: Clock;
  ticketing: TicketingSettings;
}

export type ActionResult =
  | { ok: true; incident: IncidentRecord; message: string }
  | { ok: false; incident: IncidentRecord | null; message: string };

/** The actor id stored on the incident and in the audit log, e.g. `slack:U0123`. */
export const actorId = (a: ChatActor) => `${a.platform}:${a.userId}`;

async function inTransaction(
  deps: ActionDeps,
  incidentId: number,
  fn: (uow: UnitOfWork, inc: IncidentRecord, now: string) => Promise<ActionResult>,
): Promise<ActionResult> {
  return deps.store.unitOfWork(async (uow) => {
    const inc = await uow.getIncident(incidentId);
    if (!inc) return { ok: false, incident: null, message: `Incident ${incidentId} does not exist.` };
    return fn(uow, inc, deps.clock.now().toISOString());
  });
}

async function record(
  uow: UnitOfWork,
  inc: IncidentRecord,
  actor: ChatActor,
  now: string,
  type: string,
  reason: string,
  data: Record<string, unknown>,
) {
  await recordEvent(uow, {
    incidentId: inc.id,
    at: now,
    type,
    actor: actorId(actor),
    reason,
    timelineData: { name: actor.name, platform: actor.platform, ...data },
    auditData: { name: actor.name, reason, ...data },
  });
}

const ticketNames = (inc: IncidentRecord) =>
  [inc.tickets.servicenow?.number, inc.tickets.jira?.key].filter(Boolean).join(' / ') || `#${inc.id}`;

/** Someone takes the incident: ServiceNow In Progress + assigned_to, Jira assignee + In Progress. */
export function acknowledgeIncident(deps: ActionDeps, actor: ChatActor, incidentId: number) {
  return inTransaction(deps, incidentId, async (uow, inc, now) => {
    if (inc.state === 'resolved')
      return { ok: false, incident: inc, message: `${ticketNames(inc)} is already resolved.` };
    if (inc.acknowledged)
      return {
        ok: false,
        incident: inc,
        message: `${ticketNames(inc)} was already acknowledged by ${inc.acknowledged.name} at ${inc.acknowledged.at.slice(11, 16)} UTC.`,
      };
    const acknowledged = { at: now, by: actorId(actor), name: actor.name };
    await uow.updateIncident(inc.id, { acknowledged, updatedAt: now });
    await record(uow, inc, actor, now, CHAT_EVENTS.acknowledged, `acknowledged in ${actor.platform}`, {});
    await enqueueTicketCommands(uow, deps.ticketing, inc.id, 'ack', now, {
      email: actor.email,
      name: actor.name,
      note: `Acknowledged by ${actor.name} in ${actor.platform === 'slack' ? 'Slack' : 'Microsoft Teams'} (itsm-bridge).`,
    });
    return {
      ok: true,
      incident: { ...inc, acknowledged },
      message: `${actor.name} acknowledged ${ticketNames(inc)}.`,
    };
  });
}

/** Resolves the incident and both tickets with the person's note. */
export function resolveIncident(deps: ActionDeps, actor: ChatActor, incidentId: number, note: string) {
  return inTransaction(deps, incidentId, async (uow, inc, now) => {
    if (inc.state === 'resolved')
      return { ok: false, incident: inc, message: `${ticketNames(inc)} is already resolved.` };
    const patch = { state: 'resolved' as const, resolvedAt: now, resolveDueAt: null, updatedAt: now };
    await uow.updateIncident(inc.id, patch);
    await record(uow, inc, actor, now, CHAT_EVENTS.resolvedByUser, note, { note });
    await enqueueTicketCommands(uow, deps.ticketing, inc.id, 'resolve', now, {
      notes: `Resolved by ${actor.name} via itsm-bridge: ${note}`,
    });
    return {
      ok: true,
      incident: { ...inc, ...patch },
      message: `${actor.name} resolved ${ticketNames(inc)}: ${note}`,
    };
  });
}

/** A note from chat: a work note in ServiceNow and a comment in Jira. */
export function addIncidentNote(deps: ActionDeps, actor: ChatActor, incidentId: number, text: string) {
  return inTransaction(deps, incidentId, async (uow, inc, now) => {
    await record(uow, inc, actor, now, CHAT_EVENTS.note, text, { note: text });
    await enqueueTicketCommands(uow, deps.ticketing, inc.id, 'comment', now, {
      text: `Note from ${actor.name} (${actor.platform === 'slack' ? 'Slack' : 'Teams'}): ${text}`,
    });
    return { ok: true, incident: inc, message: `Note added to ${ticketNames(inc)}.` };
  });
}

/** A runbook step marked done: recorded (who, when) here and in both tickets. */
export function completeRunbookStep(
  deps: ActionDeps & { stepText: (inc: IncidentRecord, step: number) => string | null },
  actor: ChatActor,
  incidentId: number,
  step: number,
) {
  return inTransaction(deps, incidentId, async (uow, inc, now) => {
    const text = deps.stepText(inc, step);
    if (text === null)
      return {
        ok: false,
        incident: inc,
        message: `Step ${step + 1} is not part of this incident's runbook.`,
      };
    const done = (await uow.timelineOfType(inc.id, CHAT_EVENTS.stepDone)).find(
      (e) => Number(e.data.step) === step,
    );
    if (done)
      return {
        ok: false,
        incident: inc,
        message: `Step ${step + 1} was already done by ${String(done.data.name ?? done.actor)}.`,
      };
    await record(uow, inc, actor, now, CHAT_EVENTS.stepDone, `step ${step + 1}: ${text}`, { step });
    await enqueueTicketCommands(uow, deps.ticketing, inc.id, 'comment', now, {
      text: `Runbook step ${step + 1} done by ${actor.name} at ${now.slice(0, 16).replace('T', ' ')} UTC: ${text}`,
    });
    return { ok: true, incident: inc, message: `Step ${step + 1} marked done.` };
  });
}

/** Redraws the chat messages of an incident without any ticket change (e.g. after a refused action). */
export function refreshChat(deps: ActionDeps, incidentId: number) {
  return deps.store.unitOfWork(async (uow) =>
    enqueueChatSync(uow, deps.ticketing, incidentId, deps.clock.now().toISOString(), 0),
  );
}
