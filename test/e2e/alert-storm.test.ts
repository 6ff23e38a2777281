import { ManualClock, type TestApp, startTestApp } from '../helpers/test-app';

const YAML = `
correlation:
  groupWait: 0
  storm: { maxNewIncidents: 5, window: 60s }
tickets: { noteInterval: 60s, maxBackoff: 2s, pollInterval: 1 }
slack: { updateInterval: 0 }
teams: { enabled: false }
providers:
  - name: infra
    chat: { slackChannel: "#dms-infra-oncall" }
  - name: app
routing:
  defaults: { provider: infra, groupBy: [host] }
`;

/** `count` label-less alerts (the 535 KB request): each is a group of its own. */
function labelLess(count: number, prefix: string) {
  return {
    version: '4',
    groupKey: '{}:{}',
    status: 'firing',
    receiver: 'itsm-bridge',
    alerts: Array.from({ length: count }, (_, i) => ({
      status: 'firing',
      labels: {},
      fingerprint: `${prefix}${i}`,
    })),
  };
}

const rows = async (app: TestApp, sql: string): Promise<number> =>
  Number((await app.database.query(sql))[0]!.n);

describe('storm guard (issue 12, finding 4)', () => {
  let app: TestApp;
  afterEach(() => app.close());

  it('10,000 label-less alerts open a bounded number of incidents, the rest fold into one storm incident', async () => {
    app = await startTestApp({ yaml: YAML });
    const res = await app.post('alertmanager', labelLess(10_000, 'a'));
    expect(res.status).toBe(202);
    await app.flush(2);
    const incidents = (await app.api('/api/incidents?limit=100')).incidents as {
      id: number;
      title: string;
    }[];
    expect(incidents).toHaveLength(6); // five ordinary, one storm
    const storm = incidents.find((i) => i.title.startsWith('Alert storm from alertmanager'));
    expect(storm).toBeDefined();
    // Ticket and chat work stays bounded too: creates for six incidents plus coalesced notes.
    expect(await rows(app, 'SELECT count(*) AS n FROM outbox')).toBeLessThan(100);

    const timeline = await app.store.timeline.of(storm!.id, 20_000);
    expect(timeline.filter((e) => e.type === 'storm_started')).toHaveLength(1);
    const absorbed = timeline.filter((e) => e.type === 'storm_absorbed');
    expect(absorbed).toHaveLength(9_995);
    expect(absorbed[0]?.data).toMatchObject({ dedupKey: 'alertmanager:a5', groupKey: expect.any(String) });

    // The on-call is told: the storm incident's card is in the provider's channel. Six cards in one
    // channel meet Slack's per-channel limit, and a 429 holds the whole lane until its Retry-After has
    // passed, so the card may still be waiting when the outbox has nothing due: wait for it (real clock).
    const stormCards = () =>
      app.sandboxes
        .slack!.messages('dms-infra-oncall')
        .map((m) => JSON.stringify(m))
        .filter((t) => t.includes('Alert storm from alertmanager'));
    for (let i = 0; i < 100 && stormCards().length === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      await app.outbox.drain();
    }
    expect(stormCards()).toHaveLength(1);
  }, 120_000);

  it('after the window, new groups open incidents of their own again', async () => {
    const clock = new ManualClock();
    app = await startTestApp({
      yaml: YAML.replace('slack: { updateInterval: 0 }', 'slack: { enabled: false }'),
      clock,
    });
    await app.post('alertmanager', labelLess(8, 'a'));
    await app.flush(1);
    const titles = async () =>
      ((await app.api('/api/incidents?limit=100')).incidents as { title: string }[]).map((i) => i.title);
    expect((await titles()).filter((t) => t.startsWith('Alert storm'))).toHaveLength(1);
    expect(await titles()).toHaveLength(6);
    clock.advance(61);
    await app.post('alertmanager', labelLess(2, 'b'));
    await app.flush(1);
    expect(await titles()).toHaveLength(8);
    expect((await titles()).filter((t) => t.startsWith('Alert storm'))).toHaveLength(1);
  });
});
