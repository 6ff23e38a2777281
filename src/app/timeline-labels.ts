import type { TimelineEventType } from '../core/incident/timeline-event';
import type { TimelineEntry } from '../ports/store';

/** The entries a label table names (null: left out), each with its label, in order. */
export function labelled(
  entries: TimelineEntry[],
  labels: Record<TimelineEventType, string | null>,
): { e: TimelineEntry; label: string }[] {
  return entries.flatMap((e) => {
    const label = labels[e.type];
    return label === null ? [] : [{ e, label }];
  });
}
