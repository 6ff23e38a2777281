import {
  offerHandoff,
  type AcceptanceDeadlines,
  type Handoff,
  type HandoffNote,
  type RefusalCode,
} from '../core/handoff/handoff';
import type { Clock } from '../ports/clock';
import type { Transactional } from '../ports/store';
import { enqueueChatSync, enqueueHandoffSync, type TicketingSettings } from './enqueue-ticket-commands';
import { recordEvent } from './record-event';
import type { EscalationSettings } from './escalate-incidents';

/** What the hand-off use-cases need. */
export interface HandoffDeps {
  store: Transactional;
  clock: Clock;
  ticketing: TicketingSettings;
  /** Known provider names (`providers:` in the config). */
  providers: readonly string[];
  deadlines?: AcceptanceDeadlines;
  /** A hand-off not accepted in time escalates along the receiving provider's policy. */
  escalation?: EscalationSettings;
  /** The change of provider that goes to the service manager (`handoff.pingPongAfter`, default 3). */
  pingPongAfter?: number;
}

/** Who acts: `api`, `slack:U…`, `teams:…`, with a name and e-mail where chat knows them. */
export interface HandoffActor {
  id: string;
  name: string | null;
  email: string | null;
}

export type HandoffResult =
  | { ok: true; handoff: Handoff }
  | { ok: false; code: RefusalCode | 'not_found' | 'resolved'; message: string };

/**
 * Offers an incident to another provider: the hand-off with its acceptance deadline, the timeline entry
 * and audit record (the actor offering), and a chat redraw — in ONE transaction. The offering provider
 * keeps the incident and its clocks until the receiving provider accepts.
 */
export function offerIncidentHandoff(
  deps: HandoffDeps,
  actor: HandoffActor,
  o: { incidentId: number; to: string; note: HandoffNote },
): Promise<HandoffResult> {
  return deps.store.unitOfWork(async (uow) => {
    const inc = await uow.incidents.get(o.incidentId);
    if (!inc) return { ok: false, code: 'not_found', message: `incident ${o.incidentId} does not exist` };
    if (inc.state === 'resolved')
      return { ok: false, code: 'resolved', message: `incident ${inc.id} is resolved; nothing to hand off` };
    const now = deps.clock.now().toISOString();
    const step = offerHandoff({
      incident: { id: inc.id, owner: inc.provider, priority: inc.priority },
      to: o.to,
      providers: deps.providers,
      note: o.note,
      by: actor.id,
      at: now,
      existing: await uow.handoffs.ofIncident(inc.id),
      ...(deps.deadlines ? { deadlines: deps.deadlines } : {}),
    });
    if (!step.ok) return step;
    const handoff = await uow.handoffs.insert(step.handoff);
    const data = { handoffId: handoff.id, from: handoff.from, to: handoff.to };
    await recordEvent(uow, {
      type: 'handoff_offered',
      data: { ...data, deadline: handoff.deadline },
      incidentId: inc.id,
      at: now,
      actor: actor.id,
      reason: `offered to ${handoff.to}: ${handoff.note.situation}`,
      audit: { ...data, name: actor.name, deadline: handoff.deadline, note: handoff.note },
    });
    await enqueueChatSync(uow, deps.ticketing, inc.id, now, 0);
    await enqueueHandoffSync(uow, deps.ticketing, handoff, now);
    return { ok: true, handoff };
  });
}
