import type { Alert } from '../alert/alert';
import type { Route } from '../routing/route-alert';
import type { CorrelationSettings } from './settings';

export type IncidentState = 'open' | 'resolving' | 'resolved';

/** What correlation needs to know about an incident. */
export interface IncidentView {
  id: number;
  state: IncidentState;
  /** Member alerts currently firing. */
  firingCount: number;
  flapping: boolean;
  /** Flapping as the monitoring tool reported it (FLAPPINGSTART): held until it reports the end. */
  flappingReported: boolean;
  resolvedAt: string | null;
}

export interface CorrelationInput {
  alert: Alert;
  route: Route;
  now: Date;
  settings: CorrelationSettings;
  /**
   * The open/resolving incident that already holds this dedup key, with the member's last status and the
   * ISO times of its recent status changes (flapping is a property of one alert toggling, not of a group
   * whose many alerts recover together).
   */
  byKey: { incident: IncidentView; memberStatus: 'firing' | 'resolved'; memberChanges: string[] } | null;
  /** The open/resolving incident of the alert's group. */
  byGroup: IncidentView | null;
  /** The most recently resolved incident of the group. */
  lastResolved: IncidentView | null;
  /** This alert's recent status changes as a member of `lastResolved`; null when it was no member there. */
  lastResolvedChanges: string[] | null;
  /** An active downtime or maintenance window covering the alert, by name. */
  maintenance: string | null;
}

/** Flapping transition caused by a decision, if any. */
export type FlapChange = { flapping: boolean; changes: string[] } | null;

export type Decision =
  | { kind: 'open'; reason: string; previousIncidentId: number | null }
  | {
      kind: 'append';
      incidentId: number;
      reason: string;
      newMember: boolean;
      statusChanged: boolean;
      cancelsResolve: boolean;
      flap: FlapChange;
    }
  | { kind: 'repeat'; incidentId: number; reason: string }
  | { kind: 'recover'; incidentId: number; reason: string; resolveDueAt: string | null; flap: FlapChange }
  | { kind: 'reopen'; incidentId: number; reason: string; flap: FlapChange }
  | { kind: 'annotate'; incidentId: number | null; reason: string; flapping?: boolean }
  | { kind: 'suppress'; reason: string }
  /** Would open, but the source is storming: fold into its storm incident (null: open that one first). */
  | { kind: 'storm'; incidentId: number | null; reason: string }
  | { kind: 'ignore'; reason: string };

const seconds = (from: string, to: Date) => (to.getTime() - Date.parse(from)) / 1000;
const plus = (now: Date, s: number) => new Date(now.getTime() + s * 1000).toISOString();

/** Records one member status change and tells whether the incident (now) flaps. */
function flapAfterChange(inc: IncidentView, memberChanges: string[], input: CorrelationInput): FlapChange {
  const { window, changes: threshold } = input.settings.flapping;
  const changes = [...memberChanges.filter((t) => seconds(t, input.now) <= window), input.now.toISOString()];
  return { flapping: inc.flapping || changes.length >= threshold, changes };
}

function annotate(input: CorrelationInput): Decision {
  const { alert } = input;
  const target = input.byKey?.incident ?? input.byGroup;
  const who = alert.labels.author ? ` by ${alert.labels.author}` : '';
  const what = `${alert.event}${who} from ${alert.source}: ${alert.summary}`;
  if (!target) return { kind: 'ignore', reason: `${what} (no open incident to annotate)` };
  if (alert.event === 'flapping-start')
    return { kind: 'annotate', incidentId: target.id, reason: what, flapping: true };
  if (alert.event === 'flapping-end')
    return { kind: 'annotate', incidentId: target.id, reason: what, flapping: false };
  return { kind: 'annotate', incidentId: target.id, reason: what };
}

function recover(input: CorrelationInput): Decision {
  const { byKey, settings, now } = input;
  if (!byKey) return { kind: 'ignore', reason: 'recovery for an alert that is in no open incident' };
  const inc = byKey.incident;
  if (byKey.memberStatus === 'resolved')
    return { kind: 'repeat', incidentId: inc.id, reason: 'repeated recovery' };
  const flap = flapAfterChange(inc, byKey.memberChanges, input);
  const remaining = inc.firingCount - 1;
  if (remaining > 0) {
    return {
      kind: 'recover',
      incidentId: inc.id,
      reason: `alert recovered; ${remaining} still firing`,
      resolveDueAt: null,
      flap,
    };
  }
  // A flapping incident waits out the flapping window too, so it does not resolve and reopen every few minutes.
  const wait = flap?.flapping
    ? Math.max(settings.resolveGrace, settings.flapping.window)
    : settings.resolveGrace;
  return {
    kind: 'recover',
    incidentId: inc.id,
    reason: `all alerts recovered; resolving after ${wait}s grace${flap?.flapping ? ' (flapping)' : ''}`,
    resolveDueAt: plus(now, wait),
    flap,
  };
}

function fire(input: CorrelationInput): Decision {
  const { byKey, byGroup, lastResolved, settings, now, maintenance } = input;
  if (byKey) {
    const inc = byKey.incident;
    if (byKey.memberStatus === 'firing')
      return { kind: 'repeat', incidentId: inc.id, reason: 'repeated notification of a firing alert' };
    return {
      kind: 'append',
      incidentId: inc.id,
      reason:
        inc.state === 'resolving'
          ? 'alert fired again during the resolve grace; resolution cancelled'
          : 'alert fired again',
      newMember: false,
      statusChanged: true,
      cancelsResolve: inc.state === 'resolving',
      flap: flapAfterChange(inc, byKey.memberChanges, input),
    };
  }
  if (byGroup) {
    return {
      kind: 'append',
      incidentId: byGroup.id,
      reason: `joined open incident of group ${input.route.groupKey}${byGroup.state === 'resolving' ? '; resolution cancelled' : ''}`,
      newMember: true,
      statusChanged: false,
      cancelsResolve: byGroup.state === 'resolving',
      flap: null,
    };
  }
  if (maintenance)
    return { kind: 'suppress', reason: `in maintenance "${maintenance}": not opening an incident` };
  if (lastResolved?.resolvedAt && seconds(lastResolved.resolvedAt, now) <= settings.reopenWindow) {
    return {
      kind: 'reopen',
      incidentId: lastResolved.id,
      reason: `group fired again ${Math.round(seconds(lastResolved.resolvedAt, now))}s after resolution (reopen window ${settings.reopenWindow}s)`,
      // The same alert firing again is a status change like any re-fire; a new alert of the group is not.
      flap: input.lastResolvedChanges
        ? flapAfterChange(lastResolved, input.lastResolvedChanges, input)
        : null,
    };
  }
  return {
    kind: 'open',
    reason: lastResolved
      ? `new incident (previous #${lastResolved.id} resolved outside the reopen window)`
      : `new incident for group ${input.route.groupKey}`,
    previousIncidentId: lastResolved?.id ?? null,
  };
}

/**
 * Decides what one alert does to the incidents, given what the store knows. Pure: the caller looks up
 * the candidate incidents, applies the decision in one transaction, and writes `reason` on the timeline.
 */
export function correlate(input: CorrelationInput): Decision {
  if (input.alert.event) return annotate(input);
  return input.alert.status === 'resolved' ? recover(input) : fire(input);
}

/**
 * Periodic housekeeping for one incident at `now`: resolve after the grace, end flapping once no member
 * alert changed often enough within the window. `memberChanges` holds each member's recent change times.
 * Flapping the monitoring tool reported is its call: it ends with the tool's FLAPPINGSTOP, not here.
 */
export function tick(
  inc: IncidentView & { resolveDueAt: string | null },
  now: Date,
  settings: CorrelationSettings,
  memberChanges: string[][],
): { kind: 'resolve'; reason: string } | { kind: 'flapping-ended'; reason: string } | null {
  if (inc.flapping && !inc.flappingReported) {
    const most = Math.max(
      0,
      ...memberChanges.map((c) => c.filter((t) => seconds(t, now) <= settings.flapping.window).length),
    );
    if (most < settings.flapping.changes) {
      return {
        kind: 'flapping-ended',
        reason: `flapping ended: at most ${most} changes per alert in the last ${settings.flapping.window}s`,
      };
    }
  }
  if (inc.state === 'resolving' && inc.resolveDueAt && Date.parse(inc.resolveDueAt) <= now.getTime()) {
    return { kind: 'resolve', reason: 'all alerts recovered and the resolve grace has passed' };
  }
  return null;
}
