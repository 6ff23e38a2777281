import { recordEvent } from './record-event';
import type { StoredAlert, UnitOfWork, IncidentRecord } from '../ports/store';
import type { Decision, FlapChange } from '../core/correlate/correlate';
import type { Route } from '../core/routing/route-alert';
import { stormGroupKey, type StormSettings } from '../core/correlate/storm-guard';
import { maxSeverity } from '../core/priority/priority';
import type { Severity } from '../core/alert/alert';
import type { TimelineEvent } from '../core/incident/timeline-event';
import { enqueueTicketCommands, noteCommand, type TicketingSettings } from './enqueue-ticket-commands';
import { startIncidentEscalation, type EscalationSettings } from './escalate-incidents';
import { matchRunbook } from '../core/runbook/match-runbook';
import type { Runbook } from '../core/runbook/runbook';
import type { MemberRecord } from '../ports/incidents';

export interface ApplyContext {
  uow: Pick<UnitOfWork, 'incidents' | 'timeline' | 'audit' | 'outbox' | 'escalations'>;
  alert: StoredAlert;
  route: Route;
  now: string;
  /** Generates the incident key (our ServiceNow correlation_id); injected so tests are deterministic. */
  newKey: () => string;
  ticketing: TicketingSettings;
  escalation?: EscalationSettings | undefined;
  /** For the storm incident's first timeline entry. */
  storm: StormSettings;
  /** Runbooks to attach when the routing rule names none; matched only when an incident is opened. */
  runbooks?: readonly Runbook[] | undefined;
  /**
   * The open incident and member found by the alert's dedup key for the decision (null: none). The
   * decision was taken on it and nothing in between changes it, so applying it does not look it up again.
   */
  byKey: { incident: IncidentRecord; member: MemberRecord } | null;
}

/** The runbook a new incident gets: the routing rule's, else the best match for its first alert. */
const runbookOf = (ctx: ApplyContext): string | null =>
  matchRunbook(ctx.alert, ctx.runbooks ?? [], { runbookId: ctx.route.runbookId })?.runbook.id ??
  ctx.route.runbookId;

/** A new incident (an alert's or a storm's): its tickets, its chat message at once, its escalation. */
async function announceOpened(ctx: ApplyContext, inc: IncidentRecord) {
  await enqueueTicketCommands(ctx.uow, ctx.ticketing, {
    incidentId: inc.id,
    command: { kind: 'create', payload: {} },
    now: ctx.now,
    chat: 'now',
  });
  await escalate(ctx, inc, 'opened');
}

/** Starts the provider's escalation policy for a new or reopened incident. */
async function escalate(ctx: ApplyContext, inc: IncidentRecord, trigger: 'opened' | 'reopened') {
  if (!ctx.escalation) return;
  await startIncidentEscalation(ctx.uow, ctx.escalation, {
    incident: inc,
    provider: inc.provider,
    trigger,
    at: ctx.now,
  });
}

const actorOf = (a: StoredAlert) => `monitoring:${a.source}`;

type PrevMember = {
  firstSeenAt: string;
  occurrences: number;
  lastChangeAt: string;
  status: string;
  flapChanges: string[];
};

function memberFrom(
  alert: StoredAlert,
  incidentId: number,
  now: string,
  prev?: PrevMember,
  flapChanges?: string[],
) {
  return {
    incidentId,
    dedupKey: alert.dedupKey,
    status: alert.status,
    severity: alert.severity,
    host: alert.host,
    service: alert.service,
    summary: alert.summary,
    firstSeenAt: prev?.firstSeenAt ?? now,
    lastSeenAt: now,
    lastChangeAt: prev && prev.status === alert.status ? prev.lastChangeAt : now,
    occurrences: (prev?.occurrences ?? 0) + 1,
    flapChanges: flapChanges ?? prev?.flapChanges ?? [],
  };
}

/** The timeline events a decision about one alert writes (each names the alert's dedup key). */
type AlertTimelineEvent = Extract<TimelineEvent, { data: { dedupKey: string } }>;

/** Writes the timeline entry and the audit record for one decision on one incident. */
async function record(ctx: ApplyContext, incidentId: number, reason: string, event: AlertTimelineEvent) {
  const { uow, alert, now } = ctx;
  // The audit record names the alert by id; the dedup key is on the timeline.
  const { dedupKey: _key, ...details } = event.data;
  await recordEvent(uow, {
    ...event,
    incidentId,
    at: now,
    actor: actorOf(alert),
    reason,
    alertId: alert.id,
    audit: { alertId: alert.id, reason, ...details },
  });
}

/** Monitoring churn: one coalesced note per interval and a coalesced chat redraw. */
const noteChange = (ctx: ApplyContext, incidentId: number) =>
  enqueueTicketCommands(ctx.uow, ctx.ticketing, {
    incidentId,
    command: noteCommand(ctx.now),
    now: ctx.now,
    chat: 'coalesced',
  });

const about = (ctx: ApplyContext) => ({ dedupKey: ctx.alert.dedupKey });

/** One timeline note when an incident starts flapping (not on every further change). */
async function recordFlappingStart(ctx: ApplyContext, inc: IncidentRecord, flap: FlapChange) {
  if (flap?.flapping && !inc.flapping) {
    await record(ctx, inc.id, `flapping: ${flap.changes.length} status changes within the flapping window`, {
      type: 'flapping',
      data: about(ctx),
    });
  }
}

/** The incident changes when one more firing alert joins it (a resolve in progress is cancelled). */
const firingJoin = (ctx: ApplyContext, inc: IncidentRecord, newMember: boolean) => ({
  state: 'open' as const,
  resolveDueAt: null,
  firingCount: inc.firingCount + 1,
  alertCount: inc.alertCount + 1,
  memberCount: inc.memberCount + (newMember ? 1 : 0),
  severity: maxSeverity(inc.severity as Severity, ctx.alert.severity),
  updatedAt: ctx.now,
  lastAlertAt: ctx.now,
});

async function openIncident(
  ctx: ApplyContext,
  previousIncidentId: number | null,
  as: { groupKey: string; title: string } = { groupKey: ctx.route.groupKey, title: ctx.alert.summary },
): Promise<IncidentRecord> {
  const { alert, route, now } = ctx;
  return ctx.uow.incidents.insert({
    key: ctx.newKey(),
    groupKey: as.groupKey,
    state: 'open',
    title: as.title,
    source: alert.source,
    severity: alert.severity,
    host: alert.host,
    service: alert.service,
    branch: alert.branch,
    provider: route.provider,
    shadow: route.shadow,
    rule: route.rule,
    impact: route.impact,
    urgency: route.urgency,
    priority: route.priority,
    runbookId: runbookOf(ctx),
    openedAt: now,
    updatedAt: now,
    lastAlertAt: now,
    resolveDueAt: null,
    resolvedAt: null,
    firingCount: 1,
    alertCount: 1,
    memberCount: 1,
    flapping: false,
    flappingReported: false,
    reopenCount: 0,
    previousIncidentId,
    tickets: {},
    acknowledged: null,
    chat: {},
  });
}

/**
 * Carries out a correlation decision inside the caller's transaction. Returns the incident the alert
 * was attached to (null when none), which is stored on the alert together with the decision.
 */
export async function applyDecision(ctx: ApplyContext, d: Decision): Promise<number | null> {
  const { uow, alert, now } = ctx;
  switch (d.kind) {
    case 'open': {
      const inc = await openIncident(ctx, d.previousIncidentId);
      await uow.incidents.upsertMember(memberFrom(alert, inc.id, now));
      await record(ctx, inc.id, d.reason, {
        type: 'opened',
        data: {
          ...about(ctx),
          groupKey: inc.groupKey,
          provider: inc.provider,
          priority: inc.priority,
          previousIncidentId: d.previousIncidentId,
        },
      });
      await announceOpened(ctx, inc);
      return inc.id;
    }
    case 'reopen': {
      const inc = (await uow.incidents.get(d.incidentId))!;
      // The incident is resolved, so its member row is not found by the open-incident lookup.
      const prev = (await uow.incidents.members(inc.id)).find((m) => m.dedupKey === alert.dedupKey);
      await uow.incidents.update(inc.id, {
        state: 'open',
        resolvedAt: null,
        resolveDueAt: null,
        reopenCount: inc.reopenCount + 1,
        firingCount: 1,
        alertCount: inc.alertCount + 1,
        memberCount: inc.memberCount + (prev ? 0 : 1),
        updatedAt: now,
        lastAlertAt: now,
        ...(d.flap ? { flapping: d.flap.flapping } : {}),
      });
      await uow.incidents.upsertMember(memberFrom(alert, inc.id, now, prev, d.flap?.changes));
      await record(ctx, inc.id, d.reason, { type: 'reopened', data: about(ctx) });
      await recordFlappingStart(ctx, inc, d.flap);
      await enqueueTicketCommands(uow, ctx.ticketing, {
        incidentId: inc.id,
        command: { kind: 'reopen', payload: {} },
        now,
        chat: 'coalesced',
      });
      await escalate(ctx, inc, 'reopened');
      return inc.id;
    }
    case 'append': {
      const inc = (await uow.incidents.get(d.incidentId))!;
      const existing = d.newMember ? undefined : ctx.byKey?.member;
      await uow.incidents.upsertMember(memberFrom(alert, inc.id, now, existing, d.flap?.changes));
      await uow.incidents.update(inc.id, {
        ...firingJoin(ctx, inc, d.newMember),
        ...(d.flap ? { flapping: d.flap.flapping } : {}),
      });
      await record(ctx, inc.id, d.reason, {
        type: d.newMember ? 'alert_joined' : 'alert_refired',
        data: about(ctx),
      });
      await recordFlappingStart(ctx, inc, d.flap);
      await noteChange(ctx, inc.id);
      return inc.id;
    }
    case 'repeat': {
      const found = ctx.byKey;
      if (found) await uow.incidents.upsertMember(memberFrom(alert, d.incidentId, now, found.member));
      await uow.incidents.update(d.incidentId, {
        alertCount: (found?.incident.alertCount ?? 0) + 1,
        updatedAt: now,
      });
      // A repeat changes counters only, not the incident: its decision is kept on the alert row
      // (alerts.decision, shown as recentNotifications) rather than on the timeline and in the audit
      // log, so a storm of repeats does not bury the entries that matter.
      return d.incidentId;
    }
    case 'recover': {
      const found = ctx.byKey!;
      const inc = found.incident;
      await uow.incidents.upsertMember(memberFrom(alert, inc.id, now, found.member, d.flap?.changes));
      await uow.incidents.update(inc.id, {
        firingCount: Math.max(0, inc.firingCount - 1),
        alertCount: inc.alertCount + 1,
        updatedAt: now,
        ...(d.resolveDueAt ? { state: 'resolving', resolveDueAt: d.resolveDueAt } : {}),
        ...(d.flap ? { flapping: d.flap.flapping } : {}),
      });
      await record(
        ctx,
        inc.id,
        d.reason,
        d.resolveDueAt
          ? { type: 'resolving', data: { ...about(ctx), resolveDueAt: d.resolveDueAt } }
          : { type: 'alert_recovered', data: about(ctx) },
      );
      await recordFlappingStart(ctx, inc, d.flap);
      await noteChange(ctx, inc.id);
      return inc.id;
    }
    case 'annotate': {
      if (d.incidentId === null) return null;
      // Reported flapping holds until the tool reports its end (the correlator's tick leaves it alone).
      if (d.flapping !== undefined)
        await uow.incidents.update(d.incidentId, {
          flapping: d.flapping,
          flappingReported: d.flapping,
          updatedAt: now,
        });
      await record(ctx, d.incidentId, d.reason, {
        type: 'annotated',
        data: { ...about(ctx), event: alert.event },
      });
      await noteChange(ctx, d.incidentId);
      return d.incidentId;
    }
    case 'storm':
      return foldIntoStorm(ctx, d.incidentId, d.reason);
    case 'suppress':
    case 'ignore':
      return null;
  }
}

/**
 * The storm guard's fold: the alert joins its source's storm incident (opened here, with its chat card and
 * tickets, when there is none yet — that card is how the on-call learns of the storm) and the timeline
 * records the group it would have opened.
 */
async function foldIntoStorm(ctx: ApplyContext, incidentId: number | null, reason: string): Promise<number> {
  const { uow, alert, now } = ctx;
  let inc: IncidentRecord;
  if (incidentId === null) {
    inc = await openIncident(ctx, null, {
      groupKey: stormGroupKey(alert.source),
      title: `Alert storm from ${alert.source}: new groups are folded into this incident`,
    });
    await record(ctx, inc.id, reason, {
      type: 'storm_started',
      data: {
        ...about(ctx),
        source: alert.source,
        maxNewIncidents: ctx.storm.maxNewIncidents,
        window: ctx.storm.window,
      },
    });
    await announceOpened(ctx, inc);
  } else {
    inc = (await uow.incidents.get(incidentId))!;
    await uow.incidents.update(inc.id, firingJoin(ctx, inc, true));
    await noteChange(ctx, inc.id);
  }
  await uow.incidents.upsertMember(memberFrom(alert, inc.id, now));
  await record(ctx, inc.id, `absorbed group ${ctx.route.groupKey}: ${alert.summary}`, {
    type: 'storm_absorbed',
    data: { ...about(ctx), groupKey: ctx.route.groupKey, summary: alert.summary },
  });
  return inc.id;
}
