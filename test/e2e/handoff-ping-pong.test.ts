import { apiPost } from '../helpers/api-post';
import { ManualClock, startTestApp, type TestApp } from '../helpers/test-app';

const SAM = 'U0GUEST001';

const YAML = `
correlation: { groupWait: 0, resolveGrace: 1s, reopenWindow: 2h }
tickets: { noteInterval: 0, maxBackoff: 1s, pollInterval: 1 }
slack: { updateInterval: 0 }
teams: { enabled: false }
handoff: { pingPongAfter: 3 }
serviceManager: { name: Sam Service, slackUser: ${SAM} }
providers:
  - { name: infra, displayName: DMS Infrastructure, chat: { slackChannel: "#dms-infra-oncall" } }
  - { name: app, displayName: DMS Application, chat: { slackChannel: "#dms-app-oncall" } }
routing:
  defaults: { provider: infra, groupBy: [branch] }
`;

const note = { situation: 'Spooler down', actionsTaken: 'Restarted it', nextSteps: 'Look again' };

describe('hand-off ping-pong', () => {
  let app: TestApp;
  const clock = new ManualClock();
  afterEach(() => app.close());

  const post = (path: string, body?: unknown) => apiPost(app.url, path, body);
  const tick = async (seconds: number) => {
    clock.advance(seconds);
    await app.flush(3);
  };
  const types = async (id: number) =>
    ((await app.api(`/api/incidents/${id}`)).timeline as { type: string }[]).map((e) => e.type);

  it('the third change of provider goes to the service manager, on the timeline and in the audit log', async () => {
    app = await startTestApp({ yaml: YAML, clock });
    await app.post('generic', {
      dedupKey: 'spooler',
      status: 'firing',
      severity: 'critical',
      summary: 'Spooler down',
      branch: 'muc-01',
    });
    await tick(1);
    const [inc] = (await app.api('/api/incidents')).incidents;
    const handOver = async (to: string, handoffId: number) => {
      expect((await post(`/api/incidents/${inc.id}/handoffs`, { to, note })).status).toBe(201);
      expect((await post(`/api/handoffs/${handoffId}/accept`)).status).toBe(200);
      await tick(1);
    };
    await handOver('app', 1);
    await handOver('infra', 2);
    expect(await types(inc.id)).not.toContain('handoff_ping_pong');
    expect(app.sandboxes.slack!.messages(SAM)).toHaveLength(0);

    await handOver('app', 3);
    await tick(1);
    const timeline = (await app.api(`/api/incidents/${inc.id}`)).timeline as {
      type: string;
      reason: string;
    }[];
    const pingPong = timeline.find((e) => e.type === 'handoff_ping_pong');
    expect(pingPong?.reason).toMatch(/3 changes of provider \(infra → app → infra → app\)/);
    const dms = app.sandboxes.slack!.messages(SAM).map((m) => m.text);
    expect(dms).toHaveLength(1);
    expect(dms[0]).toMatch(/changed provider too often/);
    const audit: string[] = [];
    for await (const e of app.store.audit.entries()) audit.push(`${e.action}:${e.actor}`);
    expect(audit).toContain('incident.handoff_ping_pong:api');
  });
});
