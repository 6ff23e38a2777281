import type { TicketDraft } from '../../src/ports/ticket-system';

/** ServiceNow's `short_description` is a 160-character string column; longer input is truncated there. */
const SHORT_DESCRIPTION_MAX = 160;

export const shortDescription = (title: string): string =>
  title.length <= SHORT_DESCRIPTION_MAX ? title : `${title.slice(0, SHORT_DESCRIPTION_MAX - 1)}…`;

/** Plain-text description: our text, the alerts as an aligned list, and links (the UI renders no markup). */
export function incidentDescription(draft: TicketDraft, extra: string[] = []): string {
  const parts = [draft.description.trim()];
  if (draft.alerts.length > 0) {
    parts.push(
      'Alerts:\n' +
        draft.alerts
          .map(
            (a) =>
              `- [${a.status}] ${a.severity} ${a.host ?? '-'} / ${a.service ?? '-'}: ${a.summary}${a.startsAt ? ` (since ${a.startsAt})` : ''}`,
          )
          .join('\n'),
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
