import { httpUrl } from '../core/alert/http-url';
import type { Redactor } from '../core/redact/redact';
import { buildChecklist, type StepDoneState } from '../core/runbook/render-checklist';
import type { Runbook } from '../core/runbook/runbook';
import type { ChatIncident } from '../ports/chat';
import type { IncidentRecord, Store, TimelineEntry } from '../ports/store';

/** What turns an incident into the chat view: runbooks, provider display names, the public URL. */
export interface ChatViewDeps {
  store: Pick<Store, 'incidents' | 'timeline'>;
  runbooks: ReadonlyMap<string, Runbook>;
  redactor: Redactor;
  publicUrl: string;
  providerNames: ReadonlyMap<string, string>;
}

/** How much of an incident's timeline the chat view reads (steps done, who resolved, thread cursor). */
export const TIMELINE_LIMIT = 2000;

/** Which side of a transition a view or an action is for: the owner, or the shadow provider. */
export type Side = 'owner' | 'shadow';

/** A runbook step ticked in this entry by the given side, and who ticked it. */
function tickedStep(e: TimelineEntry, side: Side): { step: number; by: string } | null {
  if (side === 'owner') return e.type === 'runbook_step_done' ? { step: e.data.step, by: e.data.name } : null;
  return e.type === 'shadow_action' && e.data.action === 'runbook_step_done' && e.data.step !== undefined
    ? { step: e.data.step, by: e.data.name }
    : null;
}

/** Done runbook steps from the timeline (1-based numbers, the first record of a step wins). */
export function doneSteps(timeline: TimelineEntry[], side: Side = 'owner'): StepDoneState {
  const done: Record<number, { by: string; at: string }> = {};
  for (const e of timeline) {
    const t = tickedStep(e, side);
    if (t) done[t.step + 1] ??= { by: t.by, at: e.at };
  }
  return done;
}

/** The shadow provider's first acknowledgement, from the timeline. */
export function shadowAcknowledged(timeline: TimelineEntry[]): { by: string; at: string } | null {
  const e = timeline.find((x) => x.type === 'shadow_action' && x.data.action === 'acknowledged');
  return e?.type === 'shadow_action' ? { by: e.data.name, at: e.at } : null;
}

/** The latest hand-off as the incident message shows it: open until accepted, rejected or cancelled. */
function latestHandoff(
  timeline: TimelineEntry[],
  name: (provider: string) => string,
): ChatIncident['handoff'] {
  for (let i = timeline.length - 1; i >= 0; i--) {
    const e = timeline[i]!;
    const state =
      e.type === 'handoff_accepted'
        ? 'accepted'
        : e.type === 'handoff_rejected'
          ? 'rejected'
          : e.type === 'handoff_cancelled'
            ? 'cancelled'
            : e.type === 'handoff_offered' ||
                e.type === 'handoff_reminded' ||
                e.type === 'handoff_expired' ||
                e.type === 'handoff_escalated'
              ? 'open'
              : null;
    if (state && 'handoffId' in e.data)
      return { id: e.data.handoffId, fromName: name(e.data.from), toName: name(e.data.to), state };
  }
  return null;
}

/**
 * Builds the platform-neutral incident view the chat presenters draw: state, who acknowledged, tickets,
 * monitoring links, and the runbook checklist with the steps done so far. Everything is redacted.
 */
export async function chatIncidentView(
  deps: ChatViewDeps,
  incident: IncidentRecord,
  /** The incident's timeline when the caller has already read it. */
  known?: TimelineEntry[],
  /** `shadow`: the shadow provider's copy of the message (transition mode). */
  side: Side = 'owner',
): Promise<ChatIncident> {
  const [timeline, alerts] = await Promise.all([
    known ?? deps.store.timeline.of(incident.id, TIMELINE_LIMIT),
    deps.store.incidents.alerts(incident.id, 1),
  ]);
  const first = alerts[0] ?? null;
  const runbook = incident.runbookId ? (deps.runbooks.get(incident.runbookId) ?? null) : null;
  const checklist =
    runbook && first ? buildChecklist(runbook, { facts: first, done: doneSteps(timeline, side) }) : null;
  const ownerAck = incident.acknowledged
    ? { by: incident.acknowledged.name, at: incident.acknowledged.at }
    : null;
  const shadowAck = shadowAcknowledged(timeline);
  const name = (p: string) => deps.providerNames.get(p) ?? p;
  // Resolved by a person (their note) unless the incident was reopened after that and recovered.
  const lastUser = timeline.findLastIndex((e) => e.type === 'resolved_by_user');
  const lastReopen = timeline.findLastIndex((e) => e.type === 'reopened');
  const last = lastUser > lastReopen ? timeline[lastUser] : undefined;
  const byUser = last?.type === 'resolved_by_user' ? last : undefined;
  const resolution =
    incident.state !== 'resolved'
      ? null
      : byUser
        ? {
            by: byUser.data.name,
            at: byUser.at,
            note: byUser.data.note,
          }
        : { by: 'monitoring', at: incident.resolvedAt ?? incident.updatedAt, note: 'all alerts recovered' };
  const monitoring = Object.entries(first?.links ?? {}).flatMap(([label, url]) => {
    const href = httpUrl(url);
    return href ? [{ label, url: href }] : [];
  });
  const t = incident.tickets;
  return deps.redactor.deep({
    id: incident.id,
    key: incident.key,
    title: incident.title,
    state: incident.state,
    acknowledged: side === 'shadow' ? shadowAck : ownerAck,
    resolution,
    priority: incident.priority,
    impact: incident.impact,
    urgency: incident.urgency,
    severity: incident.severity,
    branch: incident.branch,
    host: incident.host,
    service: incident.service,
    provider: incident.provider,
    providerName: deps.providerNames.get(incident.provider) ?? incident.provider,
    alertCount: incident.memberCount,
    firingCount: incident.firingCount,
    flapping: incident.flapping,
    openedAt: incident.openedAt,
    resolvedAt: incident.resolvedAt,
    links: {
      servicenow: t.servicenow ? { key: t.servicenow.number, url: t.servicenow.url } : null,
      jira: t.jira ? { key: t.jira.key, url: t.jira.url } : null,
      monitoring,
      bridge: `${deps.publicUrl}/api/incidents/${incident.id}`,
    },
    handoff: latestHandoff(timeline, (p) => deps.providerNames.get(p) ?? p),
    runbook: checklist
      ? {
          id: checklist.runbookId,
          title: checklist.title,
          steps: checklist.items.map((s) => ({ index: s.number - 1, text: s.text, done: s.done })),
        }
      : null,
    ...(incident.shadow
      ? {
          shadow:
            side === 'shadow'
              ? { copy: true, otherName: name(incident.provider), otherAcknowledged: ownerAck }
              : { copy: false, otherName: name(incident.shadow), otherAcknowledged: shadowAck },
        }
      : {}),
  });
}
