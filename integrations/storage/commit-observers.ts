import type { TimelineEvent } from '../../src/core/incident/timeline-event';
import type { UnitOfWork } from '../../src/ports/store';
import type { TimelineCommitListener } from '../../src/ports/timeline';

/**
 * The listeners a store tells about committed timeline events (the incident metrics). Events are
 * collected while a unit of work runs and handed over only after its COMMIT, so a rolled-back batch
 * counts nothing; without listeners the unit of work is passed through untouched (the hot path).
 */
export class CommitObservers {
  readonly #listeners: TimelineCommitListener[] = [];

  add(listener: TimelineCommitListener): void {
    this.#listeners.push(listener);
  }

  /** A unit of work that records what its timeline adds, and the call to make once it committed. */
  watch(uow: UnitOfWork): { uow: UnitOfWork; committed: () => void } {
    if (this.#listeners.length === 0) return { uow, committed: () => {} };
    const events: TimelineEvent[] = [];
    const timeline: UnitOfWork['timeline'] = {
      add: async (entry) => {
        await uow.timeline.add(entry);
        events.push(entry);
      },
      ofType: (incidentId, type) => uow.timeline.ofType(incidentId, type),
    };
    return {
      uow: { ...uow, timeline },
      committed: () => this.announce(events),
    };
  }

  /** Tells the listeners about committed events (also those another connection committed: the correlation thread's). */
  announce(events: readonly TimelineEvent[]): void {
    if (events.length === 0) return;
    // A listener's bug must not turn a committed change into an error for its caller.
    for (const listener of this.#listeners)
      try {
        listener(events);
      } catch {
        /* metrics only */
      }
  }
}
