import type { TimelineEventType } from '../core/incident/timeline-event';
import type { IncidentRecord } from './incidents';
import type { TimelineEntry } from './timeline';

/** One incident with the timeline entries of the asked types, oldest first. */
export interface IncidentHistory {
  incident: IncidentRecord;
  entries: TimelineEntry[];
}

/** Incidents that overlap a period with selected timeline entries, in pages (the SLA report's store source). */
export interface IncidentHistories {
  /** Incidents opened before `to` and not resolved before `from`, by id, `pageSize` at a time. */
  pages(q: {
    from: string;
    to: string;
    types: readonly TimelineEventType[];
    pageSize: number;
  }): AsyncIterable<IncidentHistory[]>;
}
