import { decideHandoff, handoffNoteText, type HandoffDecision } from '../core/handoff/handoff';
import { unhandled } from '../core/unhandled';
import { enqueueChatSync, enqueueHandoffSync, enqueueTicketCommands } from './enqueue-ticket-commands';
import type { HandoffActor, HandoffDeps, HandoffResult } from './offer-incident-handoff';
import { recordEvent } from './record-event';
import { currentRequestId } from './request-context';
import { detectPingPong } from './detect-ping-pong';

/** `handoff.pingPongAfter`'s default: the third change of provider. */
const DEFAULT_PING_PONG = 3;
import { stopIncidentEscalations } from './escalate-incidents';

/**
 * Accepts, rejects (with a reason) or cancels an open hand-off, in ONE transaction: the hand-off, the
 * timeline entry and audit record, and on accept the new owner on the incident plus a `reassign` on
 * both tickets (ServiceNow group and person, the note as work note / comment). Of two people deciding
 * at once the second is refused and told who decided (the unit of work serialises them).
 */
export function decideIncidentHandoff(
  deps: HandoffDeps,
  actor: HandoffActor,
  handoffId: number,
  decision: HandoffDecision,
): Promise<HandoffResult> {
  return deps.store.unitOfWork(async (uow) => {
    const current = await uow.handoffs.get(handoffId);
    if (!current) return { ok: false, code: 'not_found', message: `hand-off ${handoffId} does not exist` };
    const now = deps.clock.now().toISOString();
    const step = decideHandoff(current, decision, actor.id, now);
    if (!step.ok) return step;
    const h = step.handoff;
    await uow.handoffs.update(h);
    const data = { handoffId: h.id, from: h.from, to: h.to };
    const event = { incidentId: h.incidentId, at: now, actor: actor.id };
    const audit = { ...data, name: actor.name };
    // Accepting means a person of the new owner is on it: every run stops. Otherwise only the hand-off's.
    await stopIncidentEscalations(uow, {
      incidentId: h.incidentId,
      by: actor.id,
      at: now,
      reason: `hand-off ${decision.kind === 'accept' ? 'accepted' : decision.kind === 'reject' ? 'rejected' : 'cancelled'}`,
      page: decision.kind === 'accept' ? 'acknowledge' : 'none',
      ...(decision.kind === 'accept' ? {} : { triggers: ['handoff' as const] }),
    });
    switch (decision.kind) {
      case 'accept': {
        await uow.incidents.update(h.incidentId, { provider: h.to, updatedAt: now });
        await recordEvent(uow, {
          ...event,
          type: 'handoff_accepted',
          data,
          reason: `${h.to} took over from ${h.from}`,
          audit,
        });
        const who = actor.name ?? actor.id;
        await enqueueTicketCommands(uow, deps.ticketing, {
          incidentId: h.incidentId,
          command: {
            kind: 'reassign',
            payload: {
              provider: h.to,
              email: actor.email,
              name: actor.name,
              note: handoffNoteText(
                h,
                `Hand-off from ${h.from} to ${h.to}, accepted by ${who} (itsm-bridge).`,
              ),
            },
          },
          now,
          chat: 'now',
        });
        const moved = await uow.incidents.get(h.incidentId);
        if (moved)
          await detectPingPong(uow, {
            incident: moved,
            limit: deps.pingPongAfter ?? DEFAULT_PING_PONG,
            at: now,
            actor: actor.id,
          });
        // After the reassign on the Jira lane (commands run in order per incident and lane).
        if (deps.ticketing.lanes.includes('jira'))
          await uow.outbox.enqueue({
            incidentId: h.incidentId,
            lane: 'jira',
            kind: 'handoff_issue',
            payload: {
              handoffId: h.id,
              provider: h.to,
              from: h.from,
              comment: `Handed off to ${h.to}, accepted by ${who} (itsm-bridge hand-off ${h.id}).`,
            },
            notBefore: now,
            at: now,
            requestId: currentRequestId(),
          });
        break;
      }
      case 'reject':
        await recordEvent(uow, {
          ...event,
          type: 'handoff_rejected',
          data: { ...data, reason: decision.reason.trim() },
          reason: `${h.to} rejected: ${decision.reason.trim()}`,
          audit: { ...audit, reason: decision.reason.trim() },
        });
        await enqueueChatSync(uow, deps.ticketing, h.incidentId, now, 0);
        break;
      case 'cancel':
        await recordEvent(uow, {
          ...event,
          type: 'handoff_cancelled',
          data,
          reason: `hand-off to ${h.to} cancelled`,
          audit,
        });
        await enqueueChatSync(uow, deps.ticketing, h.incidentId, now, 0);
        break;
      default:
        return unhandled(decision);
    }
    // The offer in the receiving channel is redrawn too: its buttons go, the decision shows.
    await enqueueHandoffSync(uow, deps.ticketing, h, now);
    return { ok: true, handoff: h };
  });
}
