import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAT_ACTIONS, HANDOFF_ACTIONS } from '../../src/ports/chat';
import { type TestApp, startTestApp } from '../helpers/test-app';
import { CHANNEL, executeActivity } from '../handlers/teams/teams-harness';

const fixture = (source: string, name: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', source, name), 'utf8'));

const ADA = '6c1f1a6e-0000-4000-8000-00000000ada0';
const BEN = 'bbbbbbbb-0000-4000-8000-0000000000be';
const INFRA_CHANNEL = '19:infra-channel@thread.tacv2';

const YAML = `
correlation: { groupWait: 0, resolveGrace: 1s, reopenWindow: 2h }
tickets: { noteInterval: 0, maxBackoff: 2s, pollInterval: 1 }
slack: { enabled: false, updateInterval: 0 }
providers:
  - name: infra
    displayName: DMS Infrastructure
    chat: { teamsChannel: "${INFRA_CHANNEL}" }
    members: { teams: [${BEN}] }
    oncall: [{ name: Ben Bauer, teams: ${BEN} }]
  - name: app
    displayName: DMS Application
    chat: { teamsChannel: "${CHANNEL}" }
    members: { teams: [${ADA}] }
routing:
  defaults: { provider: app, groupBy: [branch] }
`;

describe('Teams hand-off: the card with inputs, Accept / Reject in the receiving conversation', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp({ yaml: YAML });
  });
  afterEach(() => app.close());

  const serviceUrl = () => `${app.url}/sandbox/teams/`;
  const invoke = async (data: Record<string, unknown>, from?: { id: string; name: string }) => {
    const activity = executeActivity(serviceUrl(), data) as { from: Record<string, string> };
    if (from) activity.from = { id: `29:${from.name}`, name: from.name, aadObjectId: from.id };
    const res = await fetch(`${app.url}/teams/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    const body = JSON.stringify(await res.json().catch(() => null));
    await app.flush();
    return { status: res.status, body };
  };
  const offerCards = () => app.sandboxes.teams!.activities(INFRA_CHANNEL).filter((a) => !a.replyToId);

  async function openIncident() {
    await app.post('alertmanager', fixture('alertmanager', 'firing.json'));
    await app.flush();
    const [inc] = (await app.api('/api/incidents')).incidents;
    return inc.id as number;
  }

  it('Hand off answers with the form; a bad note is named per field; the offer reaches infra with its on-call; Accept moves it', async () => {
    const id = await openIncident();
    const form = await invoke({ verb: CHAT_ACTIONS.handoff, incidentId: id });
    expect(form.status).toBe(200);
    expect(form.body).toContain('Input.ChoiceSet');
    expect(form.body).toContain('"submit":true');

    const bad = await invoke({
      verb: CHAT_ACTIONS.handoff,
      submit: true,
      incidentId: id,
      to: 'infra',
      situation: ' ',
      actionsTaken: 'restarted',
      nextSteps: 'x',
      users: '-3',
    });
    expect(bad.status).toBe(200);
    expect(bad.body).toMatch(/situation: must not be empty/);
    expect(bad.body).toMatch(/users: /);
    expect((await app.api('/api/handoffs')).handoffs).toEqual([]);

    const offered = await invoke({
      verb: CHAT_ACTIONS.handoff,
      submit: true,
      incidentId: id,
      to: 'infra',
      situation: 'VPN to muc-01 down',
      actionsTaken: 'Tunnel restarted',
      nextSteps: 'Check the firewall',
      nextCheckpointDate: '2030-01-02',
      nextCheckpointTime: '10:30',
    });
    expect(offered.body).toMatch(/Hand-off 1 offered to DMS Infrastructure/);
    const [card] = offerCards();
    const drawn = JSON.stringify(card);
    expect(drawn).toContain(HANDOFF_ACTIONS.accept);
    expect(drawn).toContain(HANDOFF_ACTIONS.reject);
    expect(drawn).toContain('<at>Ben Bauer</at>');
    expect(drawn).toContain(BEN);
    expect(drawn).toContain('2030-01-02T10:30:00Z');

    // Ada (offering side) cannot accept; Ben can.
    const refused = await invoke({ verb: HANDOFF_ACTIONS.accept, handoffId: 1 });
    expect(refused.body).toMatch(/Only members of DMS Infrastructure/);
    const accepted = await invoke({ verb: HANDOFF_ACTIONS.accept, handoffId: 1 }, { id: BEN, name: 'Ben' });
    expect(accepted.body).toMatch(/accepted/);
    const detail = await app.api(`/api/incidents/${id}`);
    expect(detail.owner).toBe('infra');
    expect(detail.handoffs[0]).toMatchObject({ state: 'accepted', decidedBy: `teams:${BEN}` });
    const redrawn = JSON.stringify(offerCards()[0]!.activity);
    expect(offerCards()).toHaveLength(1);
    expect(redrawn).not.toContain(HANDOFF_ACTIONS.accept);
    expect(redrawn).toContain('Accepted');
    const again = await invoke({ verb: HANDOFF_ACTIONS.accept, handoffId: 1 }, { id: BEN, name: 'Ben' });
    expect(again.body).toContain(`already accepted by teams:${BEN}`);
  });

  it('Reject needs a reason; with one the hand-off is rejected and the owner stays', async () => {
    const id = await openIncident();
    await invoke({
      verb: CHAT_ACTIONS.handoff,
      submit: true,
      incidentId: id,
      to: 'infra',
      situation: 'a',
      actionsTaken: 'b',
      nextSteps: 'c',
    });
    const noReason = await invoke({ verb: HANDOFF_ACTIONS.reject, handoffId: 1 }, { id: BEN, name: 'Ben' });
    expect(noReason.body).toMatch(/needs a reason/);
    expect((await app.api('/api/handoffs?state=open')).handoffs).toHaveLength(1);
    const rejected = await invoke(
      { verb: HANDOFF_ACTIONS.reject, handoffId: 1, reason: 'Not a network problem' },
      { id: BEN, name: 'Ben' },
    );
    expect(rejected.body).toMatch(/rejected/);
    const detail = await app.api(`/api/incidents/${id}`);
    expect(detail.owner).toBe('app');
    expect(detail.handoffs[0]).toMatchObject({ state: 'rejected', reason: 'Not a network problem' });
    expect(JSON.stringify(offerCards()[0]!.activity)).toContain('Not a network problem');
  });
});
