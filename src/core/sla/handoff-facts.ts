import type { StoredTimelineEvent, TimelineEventType } from '../incident/timeline-event';
import type { HandoffFact } from './handoff-ola';

/** A timeline entry as the report reads it: its id (the `timeline <id>` reference) and time. */
export type DatedTimelineEvent = { id: number; at: string } & StoredTimelineEvent;

/** The timeline types the hand-off figures are read from (expiry follows from the offer's deadline). */
export const HANDOFF_EVENT_TYPES = [
  'handoff_offered',
  'handoff_accepted',
  'handoff_rejected',
  'handoff_cancelled',
] as const satisfies readonly TimelineEventType[];

/**
 * The hand-offs of one incident from its timeline, oldest offer first: each offer with its deadline
 * and the first decision recorded for it. A decision without its offer (purged or unreadable rows) is
 * left out rather than guessed.
 */
export function handoffFacts(entries: readonly DatedTimelineEvent[]): HandoffFact[] {
  const byId = new Map<number, HandoffFact>();
  for (const e of entries) {
    const ref = `timeline ${e.id}`;
    const at = Date.parse(e.at);
    switch (e.type) {
      case 'handoff_offered':
        byId.set(e.data.handoffId, {
          id: e.data.handoffId,
          from: e.data.from,
          to: e.data.to,
          offeredAt: at,
          deadline: Date.parse(e.data.deadline),
          ref,
          decision: null,
        });
        break;
      case 'handoff_accepted':
      case 'handoff_rejected':
      case 'handoff_cancelled': {
        const h = byId.get(e.data.handoffId);
        if (h && !h.decision) h.decision = { kind: decisionKind[e.type], at, ref };
        break;
      }
      default:
        break;
    }
  }
  return [...byId.values()].sort((a, b) => a.offeredAt - b.offeredAt || a.id - b.id);
}

const decisionKind = {
  handoff_accepted: 'accepted',
  handoff_rejected: 'rejected',
  handoff_cancelled: 'cancelled',
} as const;
