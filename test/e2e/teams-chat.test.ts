import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHAT_ACTIONS } from '../../src/ports/chat';
import { SN_AUTH, type TestApp, startTestApp } from '../helpers/test-app';
import { CHANNEL, executeActivity, messageActivity } from '../handlers/teams/teams-harness';

const fixture = (source: string, name: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', source, name), 'utf8'));

const ADA = '6c1f1a6e-0000-4000-8000-00000000ada0';

const YAML = `
correlation: { groupWait: 0, resolveGrace: 1s, reopenWindow: 2h }
tickets: { noteInterval: 0, maxBackoff: 2s, pollInterval: 1 }
slack: { enabled: false, updateInterval: 0 }
providers:
  - name: infra
  - name: app
    displayName: DMS Application
    chat: { teamsChannel: "${CHANNEL}" }
    members: { teams: [${ADA}] }
routing:
  defaults: { provider: app, groupBy: [branch] }
`;

describe('Teams (sandbox connector, anonymous bot): proactive incident cards, text commands and card actions', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp({ yaml: YAML });
  });
  afterEach(() => app.close());

  const serviceUrl = () => `${app.url}/sandbox/teams/`;
  const send = (activity: unknown) =>
    fetch(`${app.url}/teams/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
  async function snState(number: string) {
    const res = await fetch(
      `${app.url}/sandbox/servicenow/api/now/table/incident?sysparm_query=number=${number}`,
      { headers: { authorization: SN_AUTH } },
    );
    return ((await res.json()) as { result: Record<string, string>[] }).result[0]!;
  }

  it('posts the incident card to the provider channel and updates it in place; ack by text and resolve by card action', async () => {
    await app.post('alertmanager', fixture('alertmanager', 'firing.json'));
    await app.flush();
    const [inc] = (await app.api('/api/incidents')).incidents;
    const detail = await app.api(`/api/incidents/${inc.id}`);
    const number = detail.tickets.servicenow.number as string;

    const posted = app.sandboxes.teams!.activities(CHANNEL).filter((a) => !a.replyToId);
    expect(posted).toHaveLength(1);
    // Timeline events are replies under the card.
    expect(app.sandboxes.teams!.activities(CHANNEL).some((a) => a.replyToId === posted[0]!.id)).toBe(true);
    expect(JSON.stringify(posted[0])).toContain(number);

    // "@itsm-bridge ack INC…" typed in the channel.
    const ack = await send(messageActivity(serviceUrl(), { text: `<at>ITSM Bridge</at> ack ${number}` }));
    expect(ack.status).toBeLessThan(300);
    await app.flush();
    expect((await snState(number)).state).toBe('2');

    // A stranger's card action is refused; the member's resolves both tickets.
    const stranger = executeActivity(serviceUrl(), {
      verb: CHAT_ACTIONS.resolve,
      incidentId: inc.id,
      note: 'not mine',
    }) as { from: Record<string, string> };
    stranger.from = { id: '29:eve', name: 'Eve', aadObjectId: 'eeeeeeee-0000-4000-8000-000000000000' };
    const refused = await send(stranger);
    expect(JSON.stringify(await refused.json())).toMatch(/Only members/);
    await app.flush();
    expect((await snState(number)).state).toBe('2');

    const resolve = await send(
      executeActivity(serviceUrl(), {
        verb: CHAT_ACTIONS.resolve,
        incidentId: inc.id,
        note: 'VPN tunnel restarted',
      }),
    );
    expect(resolve.status).toBe(200);
    await app.flush();
    const sn = await snState(number);
    expect(sn.state).toBe('6');
    expect(sn.close_notes).toContain('VPN tunnel restarted');
    // Still one card, updated in place (its history holds the earlier versions).
    const cards = app.sandboxes.teams!.activities(CHANNEL).filter((a) => !a.replyToId);
    expect(cards).toHaveLength(1);
    expect(JSON.stringify(cards[0])).toContain('VPN tunnel restarted');
  });
});
