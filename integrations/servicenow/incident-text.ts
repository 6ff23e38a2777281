import { fitDescription, type OmittedAlerts } from '../../src/core/ticket-text/fit-description';
import type { TicketDraft } from '../../src/ports/ticket-system';

/** ServiceNow's `short_description` is a 160-character string column; longer input is truncated there. */
const SHORT_DESCRIPTION_MAX = 160;

export const shortDescription = (title: string): string =>
  title.length <= SHORT_DESCRIPTION_MAX ? title : `${title.slice(0, SHORT_DESCRIPTION_MAX - 1)}…`;

/**
 * Plain-text description within `maxLength` characters (incident.description's column length: ServiceNow
 * cuts longer values silently, which would take the closing reference line with it). Our text, the
 * alerts as a list — the first ones that fit, then "… and K more" with the bridge's link — and links
 * (the UI renders no markup); the free text is clipped when even no alert fits.
 */
export function incidentDescription(draft: TicketDraft, extra: string[], maxLength: number): string {
  return fitDescription(draft, (d, omitted) => renderDescription(d, extra, omitted), {
    size: (text) => text.length,
    budget: maxLength,
  });
}

function renderDescription(draft: TicketDraft, extra: string[], omitted: OmittedAlerts | null): string {
  const parts = [draft.description.trim()];
  if (draft.alerts.length > 0 || omitted) {
    const more = omitted
      ? [
          `… and ${omitted.count} more alerts (${omitted.total} in total)${omitted.url ? `: ${omitted.url}` : ''}`,
        ]
      : [];
    parts.push(
      [
        'Alerts:',
        ...draft.alerts.map(
          (a) =>
            `- [${a.status}] ${a.severity} ${a.host ?? '-'} / ${a.service ?? '-'}: ${a.summary}${a.startsAt ? ` (since ${a.startsAt})` : ''}`,
        ),
        ...more,
      ].join('\n'),
    );
  }
  if (draft.branch) parts.push(`Branch: ${draft.branch}`);
  if (draft.links.length > 0)
    parts.push('Links:\n' + draft.links.map((l) => `- ${l.label}: ${l.url}`).join('\n'));
  parts.push(...extra);
  parts.push(`itsm-bridge incident ${draft.incidentId} (key ${draft.incidentKey})`);
  return parts.filter(Boolean).join('\n\n');
}

/** The runbook checklist as a work note (work notes keep line breaks; no markup needed). */
export function runbookNote(runbook: NonNullable<TicketDraft['runbook']>): string {
  const steps = runbook.steps.map((s, i) => `[ ] ${i + 1}. ${s}`).join('\n');
  return `Runbook: ${runbook.title} (${runbook.id})\n${steps}`;
}

/** Marker that makes the Jira link note findable in sys_journal_field (keeps linkTo idempotent). */
export const linkMarker = (system: string, key: string): string => `[itsm-bridge link ${system}:${key}]`;

/**
 * correlation_id is a 100-character string and `^` separates encoded-query terms, so long or `^`-bearing
 * keys are replaced by a stable hash (still unique per incident key).
 */
export function correlationIdFor(incidentKey: string, hash: (s: string) => string): string {
  return incidentKey.length <= 100 && !incidentKey.includes('^')
    ? incidentKey
    : `sha256:${hash(incidentKey).slice(0, 60)}`;
}
