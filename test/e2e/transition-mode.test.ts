import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAT_ACTIONS } from '../../src/ports/chat';
import { verifyAudit } from '../../src/app/verify-audit';
import { API_TOKEN, type TestApp, startTestApp } from '../helpers/test-app';
import {
  buttonBody,
  postSlack,
  sandboxResponseUrl,
  slackHeaders,
  slashBody,
} from '../helpers/slack-requests';

const firing = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'alertmanager', 'firing.json'), 'utf8'),
);

const OLGA = 'U0JONAS001'; // the old provider, which owns incidents until the cut-over
const NINA = 'U0ANNA0001'; // the new provider, which shadows them

const YAML = `
correlation: { groupWait: 0 }
tickets: { noteInterval: 0, maxBackoff: 2s, pollInterval: 1 }
slack: { updateInterval: 0 }
providers:
  - name: old
    displayName: Old Provider
    chat: { slackChannel: "#dms-old-oncall" }
    members: { slack: [${OLGA}] }
    shadow: new
  - name: new
    displayName: New Provider
    chat: { slackChannel: "#dms-new-oncall" }
    members: { slack: [${NINA}] }
routing:
  defaults: { provider: old, groupBy: [branch] }
  rules:
    - name: branch-outage
      match: [{ labels: { branch: "*" } }]
      provider: old
      runbook: dms-branch-down
      groupBy: [branch]
    - name: after-cutover
      match: [{ labels: { alertname: "CutOver*" } }]
      provider: old
      shadow: new
      cutover: "2020-01-01T00:00:00Z"
      groupBy: [alertname]
`;

describe('transition mode (dual running) against the running server and the sandboxes', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ yaml: YAML });
  });
  afterAll(() => app.close());

  const slack = () => app.sandboxes.slack!;
  const copy = (channel: string) => slack().messages(channel)[0]!;
  /** Calls that change something in ServiceNow or Jira (anything but a read). */
  const ticketWrites = () =>
    [...app.sandboxes.servicenow!.state.callLog, ...app.sandboxes.jira!.state.callLog].filter(
      (c) => c.method !== 'GET',
    ).length;
  const ticketCommands = async (id: number) =>
    (await app.store.outbox.of(id)).filter((c) => c.lane === 'servicenow' || c.lane === 'jira').length;

  async function click(user: string, channel: string, actionId: string, value: string) {
    const msg = copy(channel);
    const body = buttonBody({
      actionId,
      value,
      user,
      channel: msg.channel,
      messageTs: msg.ts,
      triggerId: slack().mintTriggerId(user),
      responseUrl: sandboxResponseUrl(app.url),
    });
    const r = await postSlack(app.url, body, slackHeaders(body));
    await app.flush();
    return r;
  }
  async function slash(user: string, channel: string, text: string) {
    const body = slashBody({
      text,
      user,
      channel: copy(channel).channel,
      responseUrl: slack().mintResponseUrl({
        baseUrl: `${app.url}/sandbox/slack/api`,
        channel: copy(channel).channel,
        user,
      }).url,
    });
    const r = await postSlack(app.url, body, slackHeaders(body));
    await app.flush();
    return r;
  }
  async function eventually<T>(read: () => T, ok: (v: T) => boolean): Promise<T> {
    for (let i = 0; i < 100 && !ok(read()); i++) await new Promise((r) => setTimeout(r, 20));
    return read();
  }
  const answersTo = (user: string) =>
    slack()
      .state.ephemerals.filter((e) => e.user === user)
      .map((e) => e.text);

  it('gives the shadow its own marked copy; its acknowledgement, note and step are recorded and change no ticket', async () => {
    await app.post('alertmanager', firing);
    await app.flush();
    const [listed] = (await app.api('/api/incidents')).incidents;
    const inc = await app.api(`/api/incidents/${listed.id}`);
    expect(inc).toMatchObject({ provider: 'old', owner: 'old', shadow: 'new' });
    expect(JSON.stringify(copy('dms-old-oncall').blocks)).toContain('Shadowed by New Provider');
    const shadowCopy = JSON.stringify(copy('dms-new-oncall').blocks);
    expect(shadowCopy).toContain('SHADOW copy');
    expect(shadowCopy).toContain(CHAT_ACTIONS.ack);
    expect(copy('dms-new-oncall').text).toMatch(/^\[shadow\]/);

    const writes = ticketWrites();
    const commands = await ticketCommands(inc.id);
    expect((await click(NINA, 'dms-new-oncall', CHAT_ACTIONS.ack, String(inc.id))).status).toBe(200);
    await click(NINA, 'dms-new-oncall', CHAT_ACTIONS.step, `${inc.id}:0`);
    await slash(NINA, 'dms-new-oncall', `note ${inc.tickets.servicenow.number} router looks fine from here`);
    await click(NINA, 'dms-new-oncall', CHAT_ACTIONS.resolve, String(inc.id));
    // Each shadow action is answered as such; resolving stays with the owner, and the refusal says why.
    const answers = (
      await eventually(
        () => answersTo(NINA),
        (l) => l.length >= 3,
      )
    ).join('\n');
    expect(answers).toContain('acknowledged INC');
    expect(answers).toContain('as shadow (new); recorded, no ticket changed.');
    expect(answers).toMatch(
      /New Provider shadows this incident .* Only Old Provider may resolve or hand it off/,
    );

    // Recorded as shadow actions: timeline and audit, clearly marked, with the person as actor.
    const after = await app.api(`/api/incidents/${inc.id}`);
    const shadowRows = after.timeline.filter((e: { type: string }) => e.type === 'shadow_action');
    expect(
      shadowRows.map((e: { actor: string; data: { action: string } }) => `${e.actor}:${e.data.action}`),
    ).toEqual([`slack:${NINA}:acknowledged`, `slack:${NINA}:runbook_step_done`, `slack:${NINA}:note`]);
    const audit = [];
    for await (const a of app.store.audit.entries()) if (a.action === 'incident.shadow_action') audit.push(a);
    expect(audit.map((a) => a.actor)).toEqual([`slack:${NINA}`, `slack:${NINA}`, `slack:${NINA}`]);
    expect((await verifyAudit(app.store)).ok).toBe(true);
    // ... and changed no ticket: no command queued for ServiceNow or Jira, no write sent, not acknowledged.
    expect(await ticketCommands(inc.id)).toBe(commands);
    expect(ticketWrites()).toBe(writes);
    expect(after.acknowledged ?? null).toBeNull();
    expect(after.state).toBe('open');
    // Both copies redrawn: the owner still has Acknowledge and sees the shadow's; the shadow's copy has not.
    expect(JSON.stringify(copy('dms-old-oncall').blocks)).toContain(CHAT_ACTIONS.ack);
    expect(JSON.stringify(copy('dms-old-oncall').blocks)).toContain('acknowledged by');
    expect(JSON.stringify(copy('dms-new-oncall').blocks)).not.toContain(`"action_id":"${CHAT_ACTIONS.ack}"`);
    expect(
      copy('dms-new-oncall')
        .replies.map((r) => r.text)
        .join('\n'),
    ).toContain('👥 shadow');

    // The owner's acknowledgement changes the tickets as always.
    await click(OLGA, 'dms-old-oncall', CHAT_ACTIONS.ack, String(inc.id));
    expect(await ticketCommands(inc.id)).toBeGreaterThan(commands);
    expect(ticketWrites()).toBeGreaterThan(writes);

    // The monthly report compares the two sides.
    const month = after.openedAt.slice(0, 7);
    const res = await fetch(`${app.url}/reports/sla?month=${month}&format=json`, {
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    const report = (await res.json()) as {
      transition: { pairs: { ownerMtta: { count: number } }[]; incidents: { refs: string }[] };
    };
    expect(report.transition.pairs).toEqual([
      expect.objectContaining({
        owner: 'old',
        shadow: 'new',
        incidents: 1,
        shadowFirst: 1,
        ownerFirst: 0,
        shadowSteps: 1,
        shadowNotes: 1,
      }),
    ]);
    expect(report.transition.pairs[0]!.ownerMtta.count).toBe(1);
    expect(report.transition.incidents[0]!.refs).toMatch(/^timeline \d+; timeline \d+$/);
    const md = await (
      await fetch(`${app.url}/reports/sla?month=${month}&format=md`, {
        headers: { authorization: `Bearer ${API_TOKEN}` },
      })
    ).text();
    expect(md).toMatch(
      /\| old \| new \| 1 \| 0 \/ 1 \/ 0 \| 1 · [\d.]+ min \| 1 · [\d.]+ min \| 0 \/ 1 \| 0 \/ 1 \|/,
    );
  });

  it('swaps the roles from the cut-over on: the new provider owns, the old one shadows', async () => {
    await app.post('generic', {
      dedupKey: 'cut',
      status: 'firing',
      severity: 'critical',
      summary: 's',
      labels: { alertname: 'CutOverCheck' },
    });
    await app.flush();
    const [latest] = (await app.api('/api/incidents')).incidents;
    expect(latest).toMatchObject({ provider: 'new', shadow: 'old' });
  });
});

describe('transition mode where only the shadow provider has a channel', () => {
  it('posts the shadow copy once and redraws it in place on later changes', async () => {
    const yaml = YAML.replace('    chat: { slackChannel: "#dms-old-oncall" }\n', '');
    const app = await startTestApp({ yaml });
    try {
      await app.post('alertmanager', firing);
      await app.flush();
      const [listed] = (await app.api('/api/incidents')).incidents;
      const slack = app.sandboxes.slack!;
      expect(slack.messages('dms-new-oncall')).toHaveLength(1);
      const msg = slack.messages('dms-new-oncall')[0]!;
      const body = buttonBody({
        actionId: CHAT_ACTIONS.ack,
        value: String(listed.id),
        user: NINA,
        channel: msg.channel,
        messageTs: msg.ts,
        triggerId: slack.mintTriggerId(NINA),
        responseUrl: sandboxResponseUrl(app.url),
      });
      expect((await postSlack(app.url, body, slackHeaders(body))).status).toBe(200);
      await app.flush();
      expect(slack.messages('dms-new-oncall')).toHaveLength(1);
      expect(JSON.stringify(slack.messages('dms-new-oncall')[0]!.blocks)).not.toContain(
        `"action_id":"${CHAT_ACTIONS.ack}"`,
      );
    } finally {
      await app.close();
    }
  });
});
