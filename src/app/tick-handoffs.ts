import { tickHandoff, type Handoff } from '../core/handoff/handoff';
import { enqueueChatSync, enqueueHandoffSync } from './enqueue-ticket-commands';
import type { HandoffDeps } from './offer-incident-handoff';
import { recordEvent } from './record-event';
import { startIncidentEscalation } from './escalate-incidents';

const ACTOR = 'job:handoffs';

/**
 * The acceptance deadline of open hand-offs, driven by their stored timers (`next_check_at`) and the
 * injected clock: at half the deadline a reminder, at the deadline `expired` → `escalated`, each on the
 * timeline, in the audit log and in the chat thread — in one transaction with the hand-off's new state,
 * so a restart in between loses none and repeats none. The hand-off stays open until someone decides.
 * Returns how many hand-offs moved.
 */
export async function tickHandoffs(
  deps: Pick<HandoffDeps, 'store' | 'clock' | 'ticketing' | 'escalation'>,
  limit = 100,
) {
  return deps.store.unitOfWork(async (uow) => {
    const now = deps.clock.now().toISOString();
    let moved = 0;
    for (const h of await uow.handoffs.due(now, limit)) {
      const t = tickHandoff(h, now);
      if (!t) continue;
      moved++;
      await uow.handoffs.update(t.handoff);
      const data = { handoffId: h.id, from: h.from, to: h.to };
      const base = { incidentId: h.incidentId, at: now, actor: ACTOR, audit: data };
      if (t.passed.length === 0)
        await recordEvent(uow, {
          ...base,
          type: 'handoff_reminded',
          data,
          reason: `${h.to} has not accepted yet; deadline ${h.deadline}`,
        });
      for (const state of t.passed) {
        if (state === 'expired')
          await recordEvent(uow, {
            ...base,
            type: 'handoff_expired',
            data: { ...data, deadline: h.deadline },
            reason: `${h.to} did not accept by ${h.deadline}`,
          });
        if (state === 'escalated') {
          await recordEvent(uow, {
            ...base,
            type: 'handoff_escalated',
            data,
            reason: `hand-off to ${h.to} not accepted in time; it stays open until accepted, rejected or cancelled`,
          });
          await escalateHandoff(uow, deps, h, now);
        }
      }
      await enqueueChatSync(uow, deps.ticketing, h.incidentId, now, 0);
      await enqueueHandoffSync(uow, deps.ticketing, h, now);
    }
    return moved;
  });
}

/** Lead DM'd when a hand-off from their provider is not accepted: a one-step run of its own. */
const TELL_THE_LEAD = {
  priorities: [1, 2, 3, 4, 5],
  steps: [{ after: 0, kind: 'dm' as const, targets: ['lead' as const] }],
};

/**
 * The receiving provider's escalation policy runs for the incident (its steps count from the expiry),
 * and the offering provider's lead gets a direct message — both as stored escalation runs, so the
 * escalation timer carries them out like any other step.
 */
async function escalateHandoff(
  uow: Parameters<Parameters<HandoffDeps['store']['unitOfWork']>[0]>[0],
  deps: Pick<HandoffDeps, 'escalation'>,
  h: Handoff,
  now: string,
) {
  if (!deps.escalation) return;
  const incident = await uow.incidents.get(h.incidentId);
  if (!incident) return;
  await startIncidentEscalation(uow, deps.escalation, {
    incident,
    provider: h.to,
    trigger: 'handoff',
    at: now,
  });
  await startIncidentEscalation(
    uow,
    { policies: { [h.from]: [TELL_THE_LEAD] } },
    { incident, provider: h.from, trigger: 'handoff', at: now },
  );
}
