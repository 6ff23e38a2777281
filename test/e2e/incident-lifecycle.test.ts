import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAudit } from '../../src/app/verify-audit';
import { genericAlert as generic } from '../helpers/generic-alert';
import { ManualClock, startTestApp, type TestApp } from '../helpers/test-app';

const fixture = (source: string, name: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', source, name), 'utf8'));

const YAML = `
correlation:
  resolveGrace: 5m
  reopenWindow: 2h
  flapping: { changes: 4, window: 30m }
routing:
  defaults: { provider: infra, groupBy: [branch] }  # a branch outage is one incident
  rules:
    - name: branch-hosts-down
      match: [{ labels: { alertname: host-check } }]
      provider: infra
      impact: 1
      groupBy: [branch]
`;

describe('incident lifecycle through the HTTP API', () => {
  let app: TestApp;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock();
    app = await startTestApp({ yaml: YAML, clock });
  });
  afterEach(() => app.close());

  async function incidents(state?: string) {
    await app.settle();
    return (await app.api(`/api/incidents${state ? `?state=${state}` : ''}`)).incidents;
  }

  it('turns one Alertmanager group of 10 alerts into one incident and resolves it after the grace', async () => {
    expect((await app.post('alertmanager', fixture('alertmanager', 'firing.json'))).status).toBe(202);
    const [inc] = await incidents('open');
    expect(await incidents()).toHaveLength(1);
    const detail = await app.api(`/api/incidents/${inc.id}`);
    expect(detail.alerts.length).toBeGreaterThan(0);
    expect(detail.tickets).toEqual({ servicenow: null, jira: null });
    expect(detail.timeline[0]).toMatchObject({ type: 'opened', actor: 'monitoring:alertmanager' });

    await app.post('alertmanager', fixture('alertmanager', 'resolved.json'));
    await app.settle();
    expect((await app.api(`/api/incidents/${inc.id}`)).state).toBe('resolving');
    clock.advance(299);
    await app.settle();
    expect((await app.api(`/api/incidents/${inc.id}`)).state).toBe('resolving');
    clock.advance(1);
    await app.settle();
    const resolved = await app.api(`/api/incidents/${inc.id}`);
    expect(resolved.state).toBe('resolved');
    expect(resolved.timeline.map((t: { type: string }) => t.type)).toContain('resolved');
  });

  it('never opens a second incident for a redelivered payload (Alertmanager HA duplicate)', async () => {
    const body = fixture('alertmanager', 'firing.json');
    await app.post('alertmanager', body);
    await app.post('alertmanager', body);
    await app.post('alertmanager', body);
    const all = await incidents();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ alertCount: 10, notificationCount: 30 });
  });

  it('counts distinct alerts apart from notifications across a recovery and a re-fire', async () => {
    await app.post('alertmanager', fixture('alertmanager', 'firing.json'));
    await app.post('alertmanager', fixture('alertmanager', 'resolved.json'));
    await app.settle();
    await app.post('alertmanager', fixture('alertmanager', 'firing.json'));
    const [inc] = await incidents();
    expect(inc).toMatchObject({ state: 'open', alertCount: 10, notificationCount: 30, firingCount: 10 });
    const detail = await app.api(`/api/incidents/${inc.id}`);
    expect(detail.alerts).toHaveLength(10);
  });

  it('reopens inside the reopen window and opens a new linked incident after it', async () => {
    await app.post('generic', generic('if-1', 'firing'));
    await app.post('generic', generic('if-1', 'resolved'));
    await app.settle();
    clock.advance(301);
    const [first] = await incidents('resolved');
    clock.advance(3600);
    await app.post('generic', generic('if-1', 'firing'));
    const reopened = await app.api(`/api/incidents/${first.id}`);
    await app.settle();
    expect((await app.api(`/api/incidents/${first.id}`)).state).toBe('open');
    expect((await app.api(`/api/incidents/${first.id}`)).reopenCount).toBe(1);
    expect(reopened.id).toBe(first.id);

    await app.post('generic', generic('if-1', 'resolved'));
    await app.settle();
    clock.advance(301);
    await app.settle();
    clock.advance(3 * 3600);
    await app.post('generic', generic('if-1', 'firing'));
    const all = await incidents();
    expect(all).toHaveLength(2);
    expect(all[0].previousIncidentId).toBe(first.id);
  });

  it('groups every host of a branch outage into one incident (Icinga host checks)', async () => {
    const base = fixture('icinga', 'problem-host.json');
    for (let i = 0; i < 30; i++) {
      await app.post('icinga', {
        ...base,
        host: `srv-${i}.muc-01.dms.example`,
        vars: { ...(base.vars ?? {}), branch: 'muc-01' },
      });
    }
    await app.post('icinga', {
      ...base,
      host: 'srv-0.ber-02.dms.example',
      vars: { ...(base.vars ?? {}), branch: 'ber-02' },
    });
    const open = await incidents('open');
    expect(open).toHaveLength(2);
    expect(open.find((i: { branch: string }) => i.branch === 'muc-01').firingCount).toBe(30);
  });

  it('marks a flapping incident once and does not resolve and reopen it on every change', async () => {
    for (let i = 0; i < 4; i++) {
      await app.post('generic', generic('flap', 'firing'));
      await app.post('generic', generic('flap', 'resolved'));
      clock.advance(60);
    }
    const all = await incidents();
    expect(all).toHaveLength(1);
    const detail = await app.api(`/api/incidents/${all[0].id}`);
    expect(detail.flapping).toBe(true);
    expect(detail.timeline.filter((t: { type: string }) => t.type === 'flapping')).toHaveLength(1);
    clock.advance(10 * 60);
    await app.settle();
    expect((await app.api(`/api/incidents/${all[0].id}`)).state).toBe('resolving');
  });

  it('counts a re-fire that reopens the incident towards flapping', async () => {
    await app.post('generic', generic('reflap', 'firing'));
    for (let cycle = 0; cycle < 2; cycle++) {
      await app.post('generic', generic('reflap', 'resolved'));
      await app.settle();
      clock.advance(301);
      expect((await incidents())[0].state).toBe('resolved');
      await app.post('generic', generic('reflap', 'firing'));
    }
    // recovery, reopen, recovery, reopen: 4 changes of one alert within the 30-minute window
    const [inc] = await incidents();
    expect(inc).toMatchObject({
      state: 'open',
      reopenCount: 2,
      flapping: true,
      alertCount: 1,
      notificationCount: 5,
    });
    const detail = await app.api(`/api/incidents/${inc.id}`);
    expect(detail.alerts[0]).toMatchObject({ occurrences: 5, firstSeenAt: '2026-11-02T08:00:00.000Z' });
  });

  it('annotates instead of opening during an Icinga downtime, and opens again after it', async () => {
    await app.post('icinga', fixture('icinga', 'downtimestart.json'));
    const dt = fixture('icinga', 'downtimestart.json');
    await app.post('icinga', {
      ...fixture('icinga', 'problem-service.json'),
      host: dt.host,
      service: dt.service ?? fixture('icinga', 'problem-service.json').service,
    });
    expect(await incidents()).toHaveLength(0);
    await app.post('icinga', fixture('icinga', 'downtimeend.json'));
    await app.post('icinga', {
      ...fixture('icinga', 'problem-service.json'),
      host: dt.host,
      service: dt.service ?? fixture('icinga', 'problem-service.json').service,
    });
    expect(await incidents()).toHaveLength(1);
  });

  it('keeps Checkmk problems of one problem id together from PROBLEM to RECOVERY', async () => {
    await app.post('checkmk', fixture('checkmk', 'problem-service.json'));
    await app.post('checkmk', fixture('checkmk', 'acknowledgement.json'));
    await app.post('checkmk', fixture('checkmk', 'recovery-service.json'));
    const [inc] = await incidents();
    const detail = await app.api(`/api/incidents/${inc.id}`);
    expect(detail.state).toBe('resolving');
    expect(detail.timeline.map((t: { type: string }) => t.type)).toEqual(
      expect.arrayContaining(['opened', 'resolving']),
    );
  });

  it('records every incident change in a verifiable audit chain', async () => {
    await app.post('alertmanager', fixture('alertmanager', 'firing.json'));
    await app.post('alertmanager', fixture('alertmanager', 'mixed.json'));
    await app.settle();
    const v = await verifyAudit(app.store);
    expect(v).toMatchObject({ ok: true });
    expect(v.entries).toBeGreaterThanOrEqual(10);
  });

  it('rejects bad API queries naming the parameter', async () => {
    const res = await fetch(`${app.url}/api/incidents?state=closed`, {
      headers: { authorization: 'Bearer test-api-token-0123456789' },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { issues: { path: string }[] }).issues[0]?.path).toBe('state');
    expect((await fetch(`${app.url}/api/incidents`)).status).toBe(401);
  });
});
