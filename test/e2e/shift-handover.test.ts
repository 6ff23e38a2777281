import { SHIFT_ACK_ACTION } from '../../src/ports/chat';
import { buttonBody, postSlack, sandboxResponseUrl, slackHeaders } from '../helpers/slack-requests';
import { ManualClock, startTestApp, type TestApp } from '../helpers/test-app';

const ANNA = 'U0ANNA0001';
const JONAS = 'U0JONAS001';
const GUEST = 'U0GUEST001';

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
escalation:
  infra:
    lead: { name: Guest User, slackUser: ${GUEST} }
shiftHandover: { acknowledgeWithin: 30m }
routing:
  defaults: { provider: infra, groupBy: [branch], impact: 1, urgency: 1 }
`;

describe('shift handover at the rotation change (stored rows, injected clock)', () => {
  // Monday 7 December 2026, 08:59 in Berlin: Anna hands over to Jonas at 09:00. Each test has its own.
  const START = Date.parse('2026-12-07T07:59:00Z');
  let clock: ManualClock;
  let app: TestApp;
  beforeEach(() => {
    clock = new ManualClock(START);
  });
  afterEach(() => app?.close());

  const slack = () => app.sandboxes.slack!;
  const tick = async (seconds: number) => {
    clock.advance(seconds);
    await app.flush(3);
  };
  const shifts = async () => (await app.api('/api/shifts?provider=infra')).shifts;
  const click = async (user: string, id: number) => {
    const [msg] = slack().messages('dms-infra-oncall');
    const body = buttonBody({
      actionId: SHIFT_ACK_ACTION,
      value: String(id),
      user,
      // After a restart the in-process Slack sandbox starts empty: the click still names the channel.
      channel: msg?.channel ?? 'C0SANDBOX01',
      messageTs: msg?.ts ?? '1764576000.000100',
      triggerId: slack().mintTriggerId(user),
      responseUrl: sandboxResponseUrl(app.url),
    });
    return (await postSlack(app.url, body, slackHeaders(body))).status;
  };

  it('summarises the open incidents for the incoming on-call, once, and records the acknowledgement', async () => {
    app = await startTestApp({ yaml: YAML, clock });
    await app.post('generic', {
      dedupKey: 'k',
      status: 'firing',
      severity: 'critical',
      summary: 'branch 07 down',
      branch: 'b07',
    });
    await tick(1);
    expect(await shifts()).toEqual([]); // Anna's shift began a week ago: no late handover

    await tick(60);
    const [h] = await shifts();
    expect(h).toMatchObject({
      trigger: 'rotation',
      at: '2026-12-07T08:00:00.000Z',
      outgoing: { name: 'Anna Schmidt' },
      incoming: { name: 'Jonas Weber' },
      state: 'open',
      summary: [
        expect.objectContaining({
          priority: 1,
          acknowledgedBy: null,
          title: 'branch 07 down',
          slaMinutesLeft: expect.any(Number),
        }),
      ],
    });
    const dm = slack()
      .messages(JONAS)
      .map((m) => m.text);
    expect(dm).toHaveLength(1);
    expect(dm[0]).toContain('Shift handover for infra (Anna Schmidt → Jonas Weber): 1 open incident(s).');
    expect(dm[0]).toContain('NOT acknowledged');
    const channel = slack()
      .messages('dms-infra-oncall')
      .filter((m) => m.text.startsWith('Shift handover'));
    expect(channel).toHaveLength(1);

    // A restart and more ticks do not hand the same change over again.
    await app.stop();
    app = await startTestApp({ yaml: YAML, clock, database: app.database });
    await tick(300);
    expect(await shifts()).toHaveLength(1);

    expect(await click(JONAS, h.id)).toBe(200);
    await tick(1);
    expect((await shifts())[0]).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'Jonas Weber' });
    // Acknowledged in time: no escalation to the lead.
    await tick(3600);
    expect(slack().messages(GUEST)).toHaveLength(0);
  });

  it('escalates an unacknowledged handover to the provider lead, who can still acknowledge it', async () => {
    app = await startTestApp({ yaml: YAML, clock });
    await tick(61);
    const [h] = await shifts();
    expect(h.state).toBe('open');
    // The 30 minutes run from when the job made the handover: its first pass after 09:00, at the tick.
    // (With one clock for both tests this test began after 09:00, a pass at the app's start made the
    // handover a minute earlier, and the lead was told at "29 minutes" on a slow machine.)
    const due = Date.parse(h.escalateAt);
    expect(due - START).toBe((61 + 30 * 60) * 1000);
    await tick(29 * 60);
    expect(slack().messages(GUEST)).toHaveLength(0);
    await tick(60);
    expect((await shifts())[0]).toMatchObject({ state: 'escalated', escalateAt: null });
    const lead = slack()
      .messages(GUEST)
      .map((m) => m.text);
    expect(lead).toHaveLength(1);
    expect(lead[0]).toContain('was not acknowledged within 30 min');
    // Someone outside the provider is refused; a member acknowledges late.
    expect(await click('U0STRANGER', h.id)).toBe(200);
    expect((await shifts())[0].state).toBe('escalated');
    expect(await click(ANNA, h.id)).toBe(200);
    expect((await shifts())[0]).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'Anna Schmidt' });
  });
});
