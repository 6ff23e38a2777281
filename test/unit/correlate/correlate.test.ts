import {
  correlate,
  tick,
  type CorrelationInput,
  type IncidentView,
} from '../../../src/core/correlate/correlate';
import { CorrelationSettings } from '../../../src/core/correlate/settings';
import type { Alert } from '../../../src/core/alert/alert';
import { routeAlert, Routing } from '../../../src/core/routing/route-alert';

const NOW = new Date('2026-11-02T10:00:00Z');
const settings = CorrelationSettings.parse({
  resolveGrace: '5m',
  reopenWindow: '2h',
  flapping: { changes: 4, window: '30m' },
});
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

function alert(over: Partial<Alert> = {}): Alert {
  return {
    source: 'alertmanager',
    dedupKey: 'alertmanager:abc',
    status: 'firing',
    event: null,
    severity: 'critical',
    host: 'dms-muc-01',
    service: 'dms',
    branch: 'muc-01',
    summary: 'DMS down',
    description: null,
    labels: { alertname: 'DMSDown', branch: 'muc-01' },
    annotations: {},
    links: {},
    startsAt: null,
    endsAt: null,
    receivedAt: NOW.toISOString(),
    ...over,
  };
}

const incident = (over: Partial<IncidentView> = {}): IncidentView => ({
  id: 7,
  state: 'open',
  firingCount: 1,
  flapping: false,
  flappingReported: false,
  resolvedAt: null,
  ...over,
});

function input(over: Partial<CorrelationInput> = {}): CorrelationInput {
  const a = over.alert ?? alert();
  return {
    alert: a,
    route: routeAlert(a, Routing.parse({})),
    now: NOW,
    settings,
    byKey: null,
    byGroup: null,
    lastResolved: null,
    lastResolvedChanges: null,
    maintenance: null,
    ...over,
  };
}

describe('correlate', () => {
  it.each([
    ['opens a new incident for an unknown group', input(), { kind: 'open', previousIncidentId: null }],
    [
      'joins the open incident of its group',
      input({ byGroup: incident() }),
      { kind: 'append', incidentId: 7, newMember: true },
    ],
    [
      'counts a repeat of a firing alert without changing anything',
      input({ byKey: { incident: incident(), memberStatus: 'firing', memberChanges: [] } }),
      { kind: 'repeat', incidentId: 7 },
    ],
    [
      'cancels the resolution when a recovered alert fires during the grace',
      input({
        byKey: {
          incident: incident({ state: 'resolving', firingCount: 0 }),
          memberStatus: 'resolved',
          memberChanges: [],
        },
      }),
      { kind: 'append', cancelsResolve: true, statusChanged: true },
    ],
    [
      'reopens a resolved incident inside the reopen window',
      input({ lastResolved: incident({ state: 'resolved', resolvedAt: minutesAgo(30) }) }),
      { kind: 'reopen', incidentId: 7 },
    ],
    [
      'opens a new linked incident after the reopen window',
      input({ lastResolved: incident({ state: 'resolved', resolvedAt: minutesAgo(121) }) }),
      { kind: 'open', previousIncidentId: 7 },
    ],
    [
      'suppresses a new problem during maintenance',
      input({ maintenance: 'sunday-patching' }),
      { kind: 'suppress' },
    ],
    [
      'still joins an already open incident during maintenance',
      input({ maintenance: 'sunday-patching', byGroup: incident() }),
      { kind: 'append' },
    ],
    [
      'keeps the incident open while other alerts still fire',
      input({
        alert: alert({ status: 'resolved' }),
        byKey: { incident: incident({ firingCount: 3 }), memberStatus: 'firing', memberChanges: [] },
      }),
      { kind: 'recover', resolveDueAt: null },
    ],
    [
      'schedules resolution after the grace when the last alert recovers',
      input({
        alert: alert({ status: 'resolved' }),
        byKey: { incident: incident(), memberStatus: 'firing', memberChanges: [] },
      }),
      { kind: 'recover', resolveDueAt: '2026-11-02T10:05:00.000Z' },
    ],
    [
      'ignores a recovery for an alert in no open incident',
      input({ alert: alert({ status: 'resolved' }) }),
      { kind: 'ignore' },
    ],
    [
      'treats a second recovery as a repeat',
      input({
        alert: alert({ status: 'resolved' }),
        byKey: {
          incident: incident({ firingCount: 0, state: 'resolving' }),
          memberStatus: 'resolved',
          memberChanges: [],
        },
      }),
      { kind: 'repeat' },
    ],
    [
      'annotates the open incident on a downtime notification instead of opening',
      input({ alert: alert({ event: 'downtime-start' }), byGroup: incident() }),
      { kind: 'annotate', incidentId: 7 },
    ],
    [
      'does not open an incident for a downtime notification',
      input({ alert: alert({ event: 'downtime-start' }) }),
      { kind: 'ignore' },
    ],
    [
      'marks the incident flapping on a monitoring flapping-start',
      input({
        alert: alert({ event: 'flapping-start' }),
        byKey: { incident: incident(), memberStatus: 'firing', memberChanges: [] },
      }),
      { kind: 'annotate', flapping: true },
    ],
  ])('%s', (_name, inp, expected) => {
    expect(correlate(inp)).toMatchObject(expected);
  });

  it('starts flapping after the configured number of status changes and delays resolution by the flapping window', () => {
    const changes = [minutesAgo(20), minutesAgo(15), minutesAgo(10)];
    const d = correlate(
      input({
        alert: alert({ status: 'resolved' }),
        byKey: { incident: incident(), memberStatus: 'firing', memberChanges: changes },
      }),
    );
    expect(d).toMatchObject({ kind: 'recover', flap: { flapping: true } });
    // max(grace 5 min, flapping window 30 min)
    expect(d.kind === 'recover' && d.resolveDueAt).toBe('2026-11-02T10:30:00.000Z');
  });

  it('forgets status changes older than the flapping window', () => {
    const changes = [minutesAgo(50), minutesAgo(40), minutesAgo(35)];
    const d = correlate(
      input({
        alert: alert({ status: 'resolved' }),
        byKey: { incident: incident(), memberStatus: 'firing', memberChanges: changes },
      }),
    );
    expect(d).toMatchObject({ kind: 'recover', flap: { flapping: false, changes: [NOW.toISOString()] } });
  });

  it('counts a re-fire that reopens the incident as a status change of that alert', () => {
    const lastResolved = incident({ state: 'resolved', resolvedAt: minutesAgo(6) });
    const changes = [minutesAgo(20), minutesAgo(15), minutesAgo(11)];
    const d = correlate(input({ lastResolved, lastResolvedChanges: changes }));
    expect(d).toMatchObject({
      kind: 'reopen',
      flap: { flapping: true, changes: [...changes, NOW.toISOString()] },
    });
    const calm = correlate(input({ lastResolved, lastResolvedChanges: [] }));
    expect(calm).toMatchObject({ kind: 'reopen', flap: { flapping: false, changes: [NOW.toISOString()] } });
  });

  it('does not count a new alert reopening its group as a status change', () => {
    const lastResolved = incident({ state: 'resolved', resolvedAt: minutesAgo(6) });
    expect(correlate(input({ lastResolved, lastResolvedChanges: null }))).toMatchObject({
      kind: 'reopen',
      flap: null,
    });
  });
});

describe('tick', () => {
  it('resolves once the grace has passed, not before', () => {
    const inc = {
      ...incident({ state: 'resolving', firingCount: 0 }),
      resolveDueAt: '2026-11-02T10:05:00.000Z',
    };
    expect(tick(inc, new Date('2026-11-02T10:04:59Z'), settings, [])).toBeNull();
    expect(tick(inc, new Date('2026-11-02T10:05:00Z'), settings, [])).toMatchObject({ kind: 'resolve' });
  });

  it('holds flapping the monitoring tool reported until it reports the end', () => {
    const inc = { ...incident({ flapping: true, flappingReported: true }), resolveDueAt: null };
    expect(tick(inc, NOW, settings, [[], [minutesAgo(40)]])).toBeNull();
  });

  it('ends flapping when the changes in the window fall below the threshold', () => {
    const inc = { ...incident({ flapping: true }), resolveDueAt: null };
    const still = [minutesAgo(20), minutesAgo(15), minutesAgo(10), minutesAgo(5)];
    expect(tick(inc, NOW, settings, [[minutesAgo(40)], still])).toBeNull();
    expect(
      tick(inc, NOW, settings, [[minutesAgo(40), minutesAgo(35), minutesAgo(5)], still.slice(1)]),
    ).toMatchObject({ kind: 'flapping-ended' });
  });
});

describe('routeAlert', () => {
  const routing = Routing.parse({
    defaults: { provider: 'infra', groupBy: ['alertname', 'branch'] },
    rules: [
      {
        name: 'dms',
        match: [{ labels: { alertname: 'DMS*' } }],
        provider: 'app',
        impact: 1,
        urgency: 1,
        runbook: 'dms-branch-down',
        groupBy: ['branch'],
      },
    ],
  });

  it('applies the first matching rule and groups one branch outage into one key', () => {
    const a = routeAlert(alert({ labels: { alertname: 'DMSDown', branch: 'muc-01' } }), routing);
    const b = routeAlert(
      alert({ dedupKey: 'x2', labels: { alertname: 'DMSLoginFailing', branch: 'muc-01' } }),
      routing,
    );
    expect(a).toMatchObject({
      provider: 'app',
      impact: 1,
      urgency: 1,
      priority: 1,
      runbookId: 'dms-branch-down',
    });
    expect(a.groupKey).toBe(b.groupKey);
  });

  it('falls back to defaults, urgency from severity, and a per-key group when no group label exists', () => {
    const r = routeAlert(
      alert({ severity: 'warning', labels: {}, branch: null, host: null, service: null }),
      routing,
    );
    expect(r).toMatchObject({ provider: 'infra', impact: 3, urgency: 3, priority: 5, rule: 'default' });
    expect(r.groupKey).toBe('infra/default/key=alertmanager:abc');
  });

  it('keeps different branches apart', () => {
    const a = routeAlert(alert({ labels: { alertname: 'DMSDown', branch: 'muc-01' } }), routing);
    const b = routeAlert(alert({ labels: { alertname: 'DMSDown', branch: 'ber-02' } }), routing);
    expect(a.groupKey).not.toBe(b.groupKey);
  });
});
