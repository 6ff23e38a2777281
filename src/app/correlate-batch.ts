import { randomBytes } from 'node:crypto';
import { correlate, type Decision } from '../core/correlate/correlate';
import { stormCheck, stormGroupKey } from '../core/correlate/storm-guard';
import type { CorrelationSettings } from '../core/correlate/settings';
import { activeMaintenance, type MaintenanceWindow } from '../core/maintenance/maintenance';
import { routeAlert, type Routing } from '../core/routing/route-alert';
import type { TransitionSettings } from '../core/routing/transition';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { StoredAlert, Transactional, UnitOfWork } from '../ports/store';
import { applyDecision } from './apply-decision';
import { withRequestId } from './request-context';
import type { TicketingSettings } from './enqueue-ticket-commands';
import type { EscalationSettings } from './escalate-incidents';
import type { Runbook } from '../core/runbook/runbook';

export interface CorrelateDeps {
  store: Transactional;
  clock: Clock;
  logger: Logger;
  routing: Routing;
  /** Transition mode per provider (`providers[].shadow`, `cutover`); rules may set their own. */
  transitions?: Readonly<Record<string, TransitionSettings>>;
  correlation: CorrelationSettings;
  maintenance: MaintenanceWindow[];
  /** Incident keys are our idempotency key towards ServiceNow/Jira: unique and never reused. */
  newKey?: () => string;
  /** Which remote systems get commands, and when (the transactional outbox). */
  ticketing: TicketingSettings;
  /** Runbooks to attach when the routing rule names none (matched by the alert's labels/host/service). */
  runbooks?: Runbook[];
  /** Escalation policies started when an incident opens or reopens (none: no escalation). */
  escalation?: EscalationSettings;
}

/** `ib-` + 20 random base32-ish chars: unique without coordination, safe in a Jira label. */
export const randomIncidentKey = () =>
  `ib-${randomBytes(12)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x')}`;

const downtimeScopes = (a: StoredAlert) =>
  a.host ? [a.host, ...(a.service ? [`${a.host}!${a.service}`] : [])] : [];

/** Downtime notifications keep our own record of what is in downtime (the scope they name). */
async function trackDowntime(uow: Pick<UnitOfWork, 'downtimes'>, a: StoredAlert, now: string) {
  if (!a.host) return;
  const scope = a.service ? `${a.host}!${a.service}` : a.host;
  if (a.event === 'downtime-start') {
    await uow.downtimes.set(scope, {
      source: a.source,
      startedAt: now,
      author: a.labels.author ?? null,
      comment: a.annotations.comment ?? null,
    });
  } else if (a.event === 'downtime-end') {
    await uow.downtimes.clear(scope);
  }
}

/**
 * Recent incident openings per source, for the storm guard. Kept in memory per set of deps (one per
 * correlation loop) rather than in the store: after a restart the guard starts counting afresh, at worst
 * `maxNewIncidents` more incidents; an opening in a batch that rolls back still counts (the safe side).
 */
const OPENINGS = new WeakMap<CorrelateDeps, Map<string, string[]>>();

function openingsOf(deps: CorrelateDeps): Map<string, string[]> {
  let map = OPENINGS.get(deps);
  if (!map) OPENINGS.set(deps, (map = new Map()));
  return map;
}

/** An `open` becomes `storm` while the alert's source opened too many incidents within the window. */
async function guardStorm(
  deps: CorrelateDeps,
  uow: Pick<UnitOfWork, 'incidents'>,
  alert: StoredAlert,
  decision: Decision,
  now: Date,
): Promise<Decision> {
  if (decision.kind !== 'open') return decision;
  const settings = deps.correlation.storm;
  const openings = openingsOf(deps);
  const { storming, recent } = stormCheck(openings.get(alert.source) ?? [], now, settings);
  if (!storming) {
    openings.set(alert.source, [...recent, now.toISOString()]);
    return decision;
  }
  openings.set(alert.source, recent);
  const storm = await uow.incidents.findOpenByGroup(stormGroupKey(alert.source));
  return {
    kind: 'storm',
    incidentId: storm?.id ?? null,
    reason: `alert storm: ${recent.length} new incidents from ${alert.source} within ${settings.window}s (limit ${settings.maxNewIncidents}); new group folded into the storm incident`,
  };
}

/**
 * Processes accepted alerts in arrival order, a batch per transaction: each alert's decision, its incident
 * changes, timeline, audit entries and its "processed" mark commit together. After a crash the uncommitted
 * batch is simply processed again, so every accepted alert takes effect exactly once.
 */
export async function correlateBatch(deps: CorrelateDeps, batchSize = 200): Promise<number> {
  const newKey = deps.newKey ?? randomIncidentKey;
  return deps.store.unitOfWork(async (uow) => {
    const alerts = await uow.inbox.pending(batchSize);
    if (uow.incidents.prefetchGroups && alerts.length > 0) {
      const at = deps.clock.now().getTime();
      const options = { at, ...(deps.transitions ? { providers: deps.transitions } : {}) };
      await uow.incidents.prefetchGroups(alerts.map((a) => routeAlert(a, deps.routing, options).groupKey));
    }
    // Each alert's effects (outbox commands, log lines) name the request that delivered it.
    for (const alert of alerts)
      await withRequestId(alert.requestId, () => correlateOne(deps, uow, alert, newKey));
    return alerts.length;
  });
}

/** One alert's decision and its effects, inside the batch's transaction. */
async function correlateOne(deps: CorrelateDeps, uow: UnitOfWork, alert: StoredAlert, newKey: () => string) {
  const nowDate = deps.clock.now();
  const now = nowDate.toISOString();
  // The runbook is matched when an incident opens (applyDecision), not for every alert.
  const route = routeAlert(alert, deps.routing, {
    at: nowDate.getTime(),
    ...(deps.transitions ? { providers: deps.transitions } : {}),
  });
  await trackDowntime(uow, alert, now);
  const byKeyFound = await uow.incidents.findOpenByKey(alert.dedupKey);
  const byGroup = byKeyFound ? null : await uow.incidents.findOpenByGroup(route.groupKey);
  const lastResolved = byKeyFound || byGroup ? null : await uow.incidents.findLastResolved(route.groupKey);
  const lastMember = lastResolved
    ? (await uow.incidents.members(lastResolved.id)).find((m) => m.dedupKey === alert.dedupKey)
    : undefined;
  // Downtime and maintenance only matter when the alert would open an incident (DESIGN.md §4).
  const opening = !alert.event && !byKeyFound && !byGroup;
  const downtime = opening ? await uow.downtimes.active(downtimeScopes(alert)) : null;
  const decision = correlate({
    alert,
    route,
    now: nowDate,
    settings: deps.correlation,
    byKey: byKeyFound
      ? {
          incident: byKeyFound.incident,
          memberStatus: byKeyFound.member.status,
          memberChanges: byKeyFound.member.flapChanges,
        }
      : null,
    byGroup,
    lastResolved,
    lastResolvedChanges: lastMember?.flapChanges ?? null,
    maintenance: !opening
      ? null
      : downtime
        ? `downtime ${downtime}`
        : activeMaintenance(deps.maintenance, alert, nowDate),
  });
  const guarded = await guardStorm(deps, uow, alert, decision, nowDate);
  const incidentId = await applyDecision(
    {
      uow,
      alert,
      route,
      now,
      newKey,
      ticketing: deps.ticketing,
      escalation: deps.escalation,
      storm: deps.correlation.storm,
      runbooks: deps.runbooks,
      byKey: byKeyFound,
    },
    guarded,
  );
  await uow.inbox.markProcessed(alert.id, now, incidentId, `${guarded.kind}: ${guarded.reason}`);
}
