import type { TimelineEntry } from '../ports/store';

const LABELS: Record<string, string> = {
  alert_joined: 'joined',
  alert_refired: 'fired again',
  alert_recovered: 'recovered',
  resolving: 'all recovered (resolving after the grace period)',
  flapping: 'flapping',
  flapping_ended: 'flapping ended',
  annotated: 'note from monitoring',
};

/**
 * One work note / comment for everything that happened since the last one (coalescing): counts per kind
 * and the first lines of detail, so a storm of 300 joins is one readable note, not 300 remote calls.
 */
export function summarizeChanges(entries: TimelineEntry[], maxLines = 15): string | null {
  const relevant = entries.filter((e) => e.type in LABELS);
  if (relevant.length === 0) return null;
  const counts = new Map<string, number>();
  for (const e of relevant) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
  const head = [...counts].map(([type, n]) => `${n} × ${LABELS[type]}`).join(', ');
  const lines = relevant
    .slice(0, maxLines)
    .map((e) => `- ${e.at.slice(0, 19).replace('T', ' ')}Z ${LABELS[e.type]}: ${e.reason}`);
  const more =
    relevant.length > maxLines
      ? [`… and ${relevant.length - maxLines} more (see the incident timeline in itsm-bridge)`]
      : [];
  return [`[itsm-bridge] Since the last update: ${head}.`, ...lines, ...more].join('\n');
}
