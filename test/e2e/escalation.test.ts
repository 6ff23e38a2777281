import { verifyAudit } from '../../src/app/verify-audit';
import { CHAT_ACTIONS } from '../../src/ports/chat';
import { buttonBody, postSlack, sandboxResponseUrl, slackHeaders } from '../helpers/slack-requests';
import { ManualClock, startTestApp, type TestApp } from '../helpers/test-app';

const ANNA = 'U0ANNA0001';
const JONAS = 'U0JONAS001';

// Anna is on call this week, Jonas next; Guest leads infra; the service manager has no chat id.
const YAML = `
correlation: { groupWait: 0 }
tickets: { noteInterval: 0 }
slack: { updateInterval: 0 }
teams: { enabled: false }
providers:
  - name: infra
    chat: { slackChannel: "#dms-infra-oncall" }
    members: { slack: [${ANNA}, ${JONAS}] }
  - { name: app }
oncall:
  infra:
    timeZone: Europe/Berlin
    layers:
      - length: 1w
        handover: { time: "09:00", day: monday }
        start: 2026-11-30
        people:
          - { name: Anna Schmidt, slackUser: ${ANNA} }
          - { name: Jonas Weber, slackUser: ${JONAS} }
serviceManager: { name: Sam Service, email: sam@example.com }
paging:
  phone: { kind: pagerduty }
escalation:
  infra:
    lead: { name: Guest User, slackUser: U0GUEST001 }
    policies:
      - priorities: [1]
        steps:
          - { after: 0m, mention: [oncall] }
          - { after: 5m, dm: [oncall] }
          - { after: 10m, dm: [next-oncall] }
          - { after: 15m, dm: [lead, service-manager] }
          - { after: 15m, page: phone }
routing:
  defaults: { provider: infra, groupBy: [branch], impact: 1, urgency: 1 }
`;

const alert = {
  dedupKey: 'k',
  status: 'firing',
  severity: 'critical',
  summary: 'branch 07 down',
  branch: 'b07',
};

describe('escalation of an unacknowledged incident (stored runs, injected clock)', () => {
  // Wednesday 2 December 2026, 10:00 UTC: Anna's week.
  const clock = new ManualClock(Date.parse('2026-12-02T10:00:00Z'));
  let app: TestApp;
  afterEach(() => app?.close());

  const steps = async (id: number) =>
    (
      (await app.api(`/api/incidents/${id}`)).timeline as {
        type: string;
        data: { step?: number; notified?: string[] };
      }[]
    )
      .filter((e) => e.type.startsWith('escalation_'))
      .map((e) => (e.type === 'escalation_step' ? `${e.data.step}:${e.data.notified!.join('+')}` : e.type));
  const slack = () => app.sandboxes.slack!;
  const dms = (user: string) =>
    slack()
      .messages(user)
      .map((m) => m.text);
  const ack = async (user: string, incidentId: number) => {
    const [msg] = slack().messages('dms-infra-oncall');
    const body = buttonBody({
      actionId: CHAT_ACTIONS.ack,
      value: String(incidentId),
      user,
      channel: msg!.channel,
      messageTs: msg!.ts,
      triggerId: slack().mintTriggerId(user),
      responseUrl: sandboxResponseUrl(app.url),
    });
    return (await postSlack(app.url, body, slackHeaders(body))).status;
  };
  const tick = async (seconds: number) => {
    clock.advance(seconds);
    await app.flush(3);
  };

  it('runs the policy to its end: mention, DMs to the on-call, the next one, lead and manager, then a page', async () => {
    app = await startTestApp({ yaml: YAML, clock });
    await app.post('generic', alert);
    // Opened at t0: correlated before the clock moves (on PostgreSQL it can take longer than the post).
    await app.settle();
    await tick(1); // the timers run once per clock second
    const [inc] = (await app.api('/api/incidents')).incidents;
    expect(await steps(inc.id)).toEqual(['0:Anna Schmidt']);
    const thread = slack()
      .messages('dms-infra-oncall')[0]!
      .replies.map((r) => r.text);
    expect(thread.some((t) => t.startsWith(`<@${ANNA}> P1`) && t.includes('Please acknowledge'))).toBe(true);

    await tick(298);
    expect(await steps(inc.id)).toEqual(['0:Anna Schmidt']);
    await tick(1);
    expect(await steps(inc.id)).toEqual(['0:Anna Schmidt', '1:Anna Schmidt']);
    expect(dms(ANNA)).toHaveLength(1);

    await tick(300);
    expect(dms(JONAS)).toHaveLength(1);
    await tick(300);
    expect(await steps(inc.id)).toEqual([
      '0:Anna Schmidt',
      '1:Anna Schmidt',
      '2:Jonas Weber',
      '3:Guest User',
      '4:phone',
    ]);
    expect(dms('U0GUEST001')).toHaveLength(1);
    const detail = await app.api(`/api/incidents/${inc.id}`);
    // The service manager has no chat id: recorded as missing, not silently dropped.
    expect(detail.timeline.find((e: { data: { step?: number } }) => e.data.step === 3).data.missing).toEqual([
      'Sam Service (no chat id)',
    ]);
    expect(detail.escalations).toEqual([
      expect.objectContaining({ provider: 'infra', trigger: 'opened', state: 'finished', nextDueAt: null }),
    ]);
    const pd = app.sandboxes.pagerduty!;
    expect(pd.events).toEqual([
      expect.objectContaining({
        action: 'trigger',
        severity: 'critical',
        dedupKey: `itsm-bridge:${inc.key}`,
      }),
    ]);

    // Nothing more happens later, and the audit chain holds every step.
    await tick(3600);
    expect(await steps(inc.id)).toHaveLength(5);
    expect(dms(ANNA)).toHaveLength(1);
    const audit = await verifyAudit(app.store);
    expect(audit.ok).toBe(true);
  });

  it('an acknowledgement after the page acknowledges it at the paging target', async () => {
    app = await startTestApp({ yaml: YAML, clock });
    await app.post('generic', alert);
    await tick(1);
    const [inc] = (await app.api('/api/incidents')).incidents;
    await tick(15 * 60); // every step up to the page
    expect(app.sandboxes.pagerduty!.alerts.get(`itsm-bridge:${inc.key}`)?.status).toBe('triggered');

    expect(await ack(ANNA, inc.id)).toBe(200);
    await tick(1);
    // The run had finished: nothing to stop, but the phone that rang learns that someone is on it.
    expect(await steps(inc.id)).toHaveLength(5);
    expect(app.sandboxes.pagerduty!.alerts.get(`itsm-bridge:${inc.key}`)?.status).toBe('acknowledged');
  });

  it('an acknowledgement before the second step stops the run there', async () => {
    app = await startTestApp({ yaml: YAML, clock });
    await app.post('generic', alert);
    await tick(1);
    const [inc] = (await app.api('/api/incidents')).incidents;
    expect(await ack(ANNA, inc.id)).toBe(200);
    await tick(3600);
    expect(await steps(inc.id)).toEqual(['0:Anna Schmidt', 'escalation_stopped']);
    expect(dms(ANNA)).toHaveLength(0);
    expect(app.sandboxes.pagerduty!.events).toHaveLength(0);
    expect((await app.api(`/api/incidents/${inc.id}`)).escalations[0]).toMatchObject({
      state: 'stopped',
      stoppedBy: `slack:${ANNA}`,
    });
  });
});
