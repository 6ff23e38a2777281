import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { type TestApp, startTestApp } from '../helpers/test-app';

const fixture = (source: string, name: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', source, name), 'utf8'));

const YAML = `
correlation: { groupWait: 0, resolveGrace: 1s, reopenWindow: 2h }
tickets: { noteInterval: 0, maxBackoff: 1s, pollInterval: 1 }
slack: { enabled: false }
teams: { enabled: false }
routing:
  defaults: { provider: infra, groupBy: [branch] }
  rules:
    - name: branch-outage
      match: [{ labels: { branch: "*" } }]
      provider: app
      impact: 1
      urgency: 1
      groupBy: [branch]
`;

/** The samples of a Prometheus text exposition: `name{labels}` → value. */
async function scrape(
  app: TestApp,
): Promise<{ text: string; value: (series: string) => number | undefined }> {
  const res = await fetch(`${app.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return { text, value: (series) => samples.get(series) };
}

describe('GET /metrics: Prometheus metrics from a registry of the server’s own', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp({ yaml: YAML });
  });
  afterEach(() => app.close());

  it('counts alerts, incidents opened/resolved/reopened, remote calls and outbox commands', async () => {
    const firing = fixture('alertmanager', 'firing.json');
    expect((await app.post('alertmanager', firing)).status).toBe(202);
    expect((await app.post('alertmanager', { nonsense: true })).status).toBe(400);
    await app.flush(3);

    let m = await scrape(app);
    // The names that existed before prom-client are kept.
    expect(m.value('itsm_webhook_requests_total{source="alertmanager",status="202"}')).toBe(1);
    expect(m.value('itsm_webhook_requests_total{source="alertmanager",status="400"}')).toBe(1);
    expect(m.value('itsm_alerts_accepted_total{source="alertmanager"}')).toBe(firing.alerts.length);
    expect(m.value('itsm_inbox_pending')).toBe(0);
    expect(m.value('itsm_alerts_total{source="alertmanager",status="firing"}')).toBe(firing.alerts.length);
    expect(m.value('itsm_incidents_opened_total{provider="app",priority="1"}')).toBe(1);
    expect(m.value('itsm_incident_events_total{type="opened"}')).toBe(1);
    expect(m.value('itsm_remote_calls_total{system="servicenow",status="201"}')).toBeGreaterThanOrEqual(1);
    expect(m.value('itsm_remote_calls_total{system="jira",status="ok"}')).toBeGreaterThanOrEqual(1);
    expect(
      m.value('itsm_remote_call_duration_seconds_count{system="servicenow",status="201"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(m.value('itsm_outbox_commands_total{lane="servicenow",kind="create",outcome="done"}')).toBe(1);
    expect(m.value('itsm_outbox_pending{lane="servicenow"}')).toBe(0);
    expect(m.value('itsm_outbox_parked{lane="jira"}')).toBe(0);
    expect(m.text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(m.text).toMatch(/^nodejs_eventloop_lag_seconds /m);

    await app.post('alertmanager', fixture('alertmanager', 'resolved.json'));
    await app.flush(2);
    await new Promise((r) => setTimeout(r, 1100));
    await app.flush(2);
    await app.post('alertmanager', firing);
    await app.flush(2);
    m = await scrape(app);
    expect(m.value('itsm_incidents_resolved_total{by="monitoring"}')).toBe(1);
    expect(m.value('itsm_incidents_reopened_total')).toBe(1);
    expect(m.value('itsm_alerts_total{source="alertmanager",status="resolved"}')).toBeGreaterThanOrEqual(1);
  });

  it('counts Retry-After waits, parked commands and shows the parked one per lane', async () => {
    const sn = app.sandboxes.servicenow!;
    sn.faults.script.push({ kind: 'rateLimit', method: 'POST', path: 'incident', retryAfterSeconds: 1 });
    // Jira refuses the create for good (a 400 is permanent): the command is parked.
    app.sandboxes.jira!.faults.script.push({ kind: 'error', method: 'POST', path: 'issue', status: 400 });
    await app.post('alertmanager', fixture('alertmanager', 'firing.json'));
    await app.flush(3);
    const m = await scrape(app);
    expect(m.value('itsm_retry_after_waits_total{system="servicenow"}')).toBe(1);
    expect(m.value('itsm_retry_after_wait_seconds_total{system="servicenow"}')).toBe(1);
    expect(m.value('itsm_remote_calls_total{system="servicenow",status="429"}')).toBe(1);
    expect(m.value('itsm_outbox_commands_total{lane="servicenow",kind="create",outcome="retry"}')).toBe(1);
    expect(m.value('itsm_outbox_commands_total{lane="jira",kind="create",outcome="parked"}')).toBe(1);
    expect(m.value('itsm_remote_calls_total{system="jira",status="400"}')).toBe(1);
    expect(m.value('itsm_outbox_parked{lane="jira"}')).toBe(1);
    // The create waits out its Retry-After: pending, with an age.
    expect(m.value('itsm_outbox_pending{lane="servicenow"}')).toBeGreaterThanOrEqual(1);
    expect(m.value('itsm_outbox_oldest_pending_age_seconds{lane="servicenow"}')).toBeGreaterThan(0);
  });

  it('exports every metric the Grafana dashboard and the Prometheus rules in docs/ use', async () => {
    const docs = join(__dirname, '..', '..', 'docs');
    const dashboard = JSON.parse(readFileSync(join(docs, 'grafana-dashboard.json'), 'utf8'));
    const rules = parse(readFileSync(join(docs, 'prometheus-rules.yml'), 'utf8'));
    const exprs: string[] = [
      ...dashboard.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr)),
      ...rules.groups.flatMap((g: any) => g.rules.map((r: any) => r.expr)),
    ];
    expect(exprs.length).toBeGreaterThan(20);
    const used = new Set(
      exprs.flatMap((e) => [...e.matchAll(/\b((?:itsm|process|nodejs)_[a-z0-9_]+)/g)].map((m) => m[1]!)),
    );
    const { text } = await scrape(app);
    const exported = new Set([...text.matchAll(/^# TYPE (\S+) (\S+)/gm)].map((m) => m[1]!));
    const base = (name: string) => name.replace(/_(bucket|count|sum)$/, '');
    const missing = [...used].filter((n) => !exported.has(n) && !exported.has(base(n)));
    expect(missing).toEqual([]);
  });

  it('shows the paging lane at 0 from the start when a paging target is configured', async () => {
    const paged = await startTestApp({ yaml: `${YAML}paging:\n  phone: { kind: pagerduty }\n` });
    try {
      const m = await scrape(paged);
      expect(m.value('itsm_outbox_pending{lane="paging"}')).toBe(0);
      expect(m.value('itsm_outbox_parked{lane="paging"}')).toBe(0);
      // Without a paging target there is no paging lane to report.
      expect((await scrape(app)).value('itsm_outbox_pending{lane="paging"}')).toBeUndefined();
    } finally {
      await paged.close();
    }
  });

  it('keeps each server’s series apart when two run in one process', async () => {
    const other = await startTestApp({ yaml: YAML });
    try {
      await app.post('alertmanager', fixture('alertmanager', 'firing.json'));
      const mine = await scrape(app);
      const theirs = await scrape(other);
      expect(mine.value('itsm_webhook_requests_total{source="alertmanager",status="202"}')).toBe(1);
      expect(theirs.value('itsm_webhook_requests_total{source="alertmanager",status="202"}')).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});
