import { tickHandoff } from '../core/handoff/handoff';
import { enqueueChatSync } from './enqueue-ticket-commands';
import type { HandoffDeps } from './offer-incident-handoff';
import { recordEvent } from './record-event';

const ACTOR = 'job:handoffs';

/**
 * The acceptance deadline of open hand-offs, driven by their stored timers (`next_check_at`) and the
 * injected clock: at half the deadline a reminder, at the deadline `expired` → `escalated`, each on the
 * timeline, in the audit log and in the chat thread — in one transaction with the hand-off's new state,
 * so a restart in between loses none and repeats none. The hand-off stays open until someone decides.
 * Returns how many hand-offs moved.
 */
export async function tickHandoffs(deps: Pick<HandoffDeps, 'store' | 'clock' | 'ticketing'>, limit = 100) {
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
        if (state === 'escalated')
          await recordEvent(uow, {
            ...base,
            type: 'handoff_escalated',
            data,
            reason: `hand-off to ${h.to} not accepted in time; it stays open until accepted, rejected or cancelled`,
          });
      }
      await enqueueChatSync(uow, deps.ticketing, h.incidentId, now, 0);
    }
    return moved;
  });
}
