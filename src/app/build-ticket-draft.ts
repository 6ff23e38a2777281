import { httpUrl } from '../core/alert/http-url';
import { buildChecklist } from '../core/runbook/render-checklist';
import type { Runbook } from '../core/runbook/runbook';
import type { Redactor } from '../core/redact/redact';
import type { TicketDraft } from '../ports/ticket-system';
import type { IncidentRecord, MemberRecord, StoredAlert } from '../ports/store';

const level = (n: number) => Math.min(3, Math.max(1, n)) as 1 | 2 | 3;

/**
 * What we send when opening a ticket: title, the alert table, the runbook checklist with the alert's
 * placeholders filled in, and the links — redacted as a whole before it leaves the process.
 */
export function buildTicketDraft(o: {
  incident: IncidentRecord;
  members: MemberRecord[];
  firstAlert: StoredAlert | null;
  runbook: Runbook | null;
  publicUrl: string;
  redactor: Redactor;
}): TicketDraft {
  const { incident: i, members, firstAlert } = o;
  const firing = members.filter((m) => m.status === 'firing').length;
  const incidentUrl = `${o.publicUrl}/api/incidents/${i.id}`;
  const description = [
    `${i.title}`,
    '',
    `Opened by itsm-bridge from ${i.source} at ${i.openedAt}. Provider: ${i.provider}. Branch: ${i.branch ?? '—'}.`,
    `Priority ${i.priority} (impact ${i.impact}, urgency ${i.urgency}). ${members.length} alert(s), ${firing} firing.`,
    ...(firstAlert?.description ? ['', firstAlert.description] : []),
    '',
    `Incident in itsm-bridge: ${incidentUrl} (key ${i.key})`,
  ].join('\n');
  // Only http(s): a `javascript:` generatorURL must not become a link in a ticket (issue 12).
  const links = Object.entries(firstAlert?.links ?? {}).flatMap(([label, url]) => {
    const href = httpUrl(url);
    return href ? [{ label: `Monitoring (${label})`, url: href }] : [];
  });
  const checklist = o.runbook && firstAlert ? buildChecklist(o.runbook, { facts: firstAlert }) : null;
  return o.redactor.deep({
    incidentKey: i.key,
    incidentId: String(i.id),
    title: `[${i.branch ?? i.provider}] ${i.title}`.slice(0, 160),
    description,
    impact: level(i.impact),
    urgency: level(i.urgency),
    provider: i.provider,
    cmdbCi: i.host,
    branch: i.branch,
    alerts: members.slice(0, 50).map((m) => ({
      host: m.host,
      service: m.service,
      severity: m.severity,
      status: m.status,
      summary: m.summary,
      startsAt: m.firstSeenAt,
    })),
    alertTotal: members.length,
    incidentUrl,
    runbook: checklist
      ? { id: checklist.runbookId, title: checklist.title, steps: checklist.items.map((s) => s.text) }
      : null,
    links,
  });
}
