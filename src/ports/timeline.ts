import type { StoredTimelineEvent, TimelineEvent } from '../core/incident/timeline-event';

/** Who wrote a timeline entry, when, and why; `type` and `data` come from the event. */
export interface TimelineMeta {
  id: number;
  incidentId: number;
  at: string;
  actor: string;
  reason: string;
  alertId: number | null;
}
/** A timeline entry as read back: narrowing on `type` narrows `data`. */
export type TimelineEntry = TimelineMeta & StoredTimelineEvent;
/** The entries of one type. */
export type TimelineEntryOf<T extends StoredTimelineEvent['type']> = TimelineMeta &
  Extract<StoredTimelineEvent, { type: T }>;
/** What a use-case writes: only known events. */
export type NewTimelineEntry = Omit<TimelineMeta, 'id'> & TimelineEvent;

/** An incident's timeline as the API and chat read it. */
export interface TimelineReads {
  /** The newest `limit` entries, oldest first. */
  of(incidentId: number, limit: number): Promise<TimelineEntry[]>;
}

/** The timeline inside a unit of work. */
export interface TimelineWrites {
  add(entry: NewTimelineEntry): Promise<void>;
  /** Entries of one type for an incident, oldest first (read inside the transaction). */
  ofType<T extends TimelineEvent['type']>(incidentId: number, type: T): Promise<TimelineEntryOf<T>[]>;
}

/** Told the timeline events of each committed unit of work, after COMMIT (metrics). */
export type TimelineCommitListener = (events: readonly TimelineEvent[]) => void;
