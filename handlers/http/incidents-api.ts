import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IncidentRecord, Store } from '../../src/ports/store';
import { ownershipIntervals } from '../../src/core/handoff/handoff';
import { presentHandoff } from './handoffs-api';

/** What the incident API reads. */
type IncidentApiStore = Pick<Store, 'incidents' | 'timeline' | 'outbox' | 'handoffs' | 'escalations'>;
import { sendError, sendJson } from './respond';

/** Public shape of an incident in the API (stable; documented in the README). */
function present(i: IncidentRecord) {
  return {
    id: i.id,
    key: i.key,
    state: i.state,
    title: i.title,
    source: i.source,
    severity: i.severity,
    host: i.host,
    service: i.service,
    branch: i.branch,
    provider: i.provider,
    // Transition mode: the provider shadowing the incident (its actions change no ticket), else null.
    shadow: i.shadow,
    rule: i.rule,
    groupKey: i.groupKey,
    impact: i.impact,
    urgency: i.urgency,
    priority: i.priority,
    runbook: i.runbookId ? { id: i.runbookId } : null,
    openedAt: i.openedAt,
    updatedAt: i.updatedAt,
    resolveDueAt: i.resolveDueAt,
    resolvedAt: i.resolvedAt,
    firingCount: i.firingCount,
    // Distinct member alerts; every delivery (repeats, recoveries, re-fires) is a notification.
    alertCount: i.memberCount,
    notificationCount: i.alertCount,
    flapping: i.flapping,
    reopenCount: i.reopenCount,
    previousIncidentId: i.previousIncidentId,
    tickets: { servicenow: i.tickets.servicenow ?? null, jira: i.tickets.jira ?? null },
  };
}

/** GET /api/incidents[?state=open|resolved&limit=&before=] */
export async function listIncidents(store: IncidentApiStore, url: URL, res: ServerResponse): Promise<void> {
  const state = url.searchParams.get('state') ?? undefined;
  if (state !== undefined && state !== 'open' && state !== 'resolved') {
    return sendError(res, 400, 'invalid_query', 'state must be open or resolved', {
      issues: [{ path: 'state', message: 'expected open or resolved' }],
    });
  }
  const limit = Number(url.searchParams.get('limit') ?? 100);
  const beforeText = url.searchParams.get('before');
  const before = beforeText === null ? undefined : Number(beforeText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    return sendError(res, 400, 'invalid_query', 'limit must be 1..1000', {
      issues: [{ path: 'limit', message: 'expected an integer 1..1000' }],
    });
  }
  if (before !== undefined && !Number.isInteger(before)) {
    return sendError(res, 400, 'invalid_query', 'before must be an incident id', {
      issues: [{ path: 'before', message: 'expected an integer' }],
    });
  }
  const incidents = await store.incidents.list({ state, limit, before });
  const last = incidents[incidents.length - 1];
  sendJson(res, 200, {
    incidents: incidents.map(present),
    next:
      incidents.length === limit && last
        ? `/api/incidents?${new URLSearchParams({ ...(state ? { state } : {}), limit: String(limit), before: String(last.id) })}`
        : null,
  });
}

/** GET /api/incidents/:id — with member alerts, the latest raw alerts and the timeline. */
export async function getIncident(
  store: IncidentApiStore,
  idText: string,
  _req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const id = Number(idText);
  if (!Number.isInteger(id) || id < 1)
    return sendError(res, 400, 'invalid_id', 'incident id must be a positive integer', {
      issues: [{ path: 'id', message: 'expected a positive integer' }],
    });
  const inc = await store.incidents.get(id);
  if (!inc) return sendError(res, 404, 'not_found', `no incident ${id}`);
  const [members, alerts, timeline, commands, handoffs, escalations] = await Promise.all([
    store.incidents.members(id),
    store.incidents.alerts(id, 100),
    store.timeline.of(id, 500),
    store.outbox.of(id),
    store.handoffs.list({ incidentId: id, limit: 200 }),
    store.escalations.ofIncident(id),
  ]);
  sendJson(res, 200, {
    ...present(inc),
    alerts: members,
    recentNotifications: alerts.map((a) => ({
      id: a.id,
      dedupKey: a.dedupKey,
      status: a.status,
      event: a.event,
      summary: a.summary,
      receivedAt: a.receivedAt,
      decision: a.decision,
      links: a.links,
    })),
    owner: inc.provider,
    ownership: ownershipIntervals(inc, handoffs),
    handoffs: handoffs.map(presentHandoff).reverse(),
    // Escalation runs: the policy's steps, the next one and when it is due, and how the run ended.
    escalations: escalations.map((e) => ({
      id: e.id,
      provider: e.provider,
      trigger: e.trigger,
      state: e.state,
      startedAt: e.startedAt,
      steps: e.steps,
      nextStep: e.state === 'running' ? e.nextStep : null,
      nextDueAt: e.nextDueAt,
      stoppedAt: e.stoppedAt,
      stoppedBy: e.stoppedBy,
    })),
    // Remote work not yet done (pending) or needing a human (parked, with the remote's error).
    outbox: commands
      .filter((c) => c.state !== 'done')
      .map((c) => ({
        id: c.id,
        system: c.lane,
        kind: c.kind,
        state: c.state,
        attempts: c.attempts,
        notBefore: c.notBefore,
        lastError: c.lastError,
      })),
    timeline,
  });
}
