import { ManualClock, startTestApp, type TestApp } from '../helpers/test-app';
import { postSlack, slackHeaders, slashBody, sandboxResponseUrl } from '../helpers/slack-requests';
import { ONCALL_NOW, ONCALL_YAML } from '../helpers/oncall-fixture';

describe('/itsm oncall against the running server', () => {
  let app: TestApp;
  let clock: ManualClock;
  beforeAll(async () => {
    clock = new ManualClock(ONCALL_NOW);
    app = await startTestApp({ yaml: ONCALL_YAML, clock });
  });
  afterAll(() => app.close());

  let sent = 0;
  const oncall = async () => {
    // A distinct trigger id per command: the same signed body twice is a retry and is dropped.
    const triggerId = `oncall-${++sent}`;
    const body = slashBody({
      text: 'oncall',
      user: 'U0ANNA0001',
      channel: 'C0SANDBOX01',
      triggerId,
      responseUrl: sandboxResponseUrl(app.url),
    });
    const r = await postSlack(app.url, body, slackHeaders(body));
    expect(r.status).toBe(200);
    return String(r.json.text);
  };

  it('shows now and next from the rotation in its zone, and the static list as the fallback', async () => {
    expect(await oncall()).toBe(
      [
        'On call now:',
        '• DMS Infrastructure: Ben +49 89 2 until 2026-03-30 09:00 — next: Cem from 2026-03-30 09:00',
        '• DMS Application: Anna Schmidt +49 89 1234',
      ].join('\n'),
    );
  });

  it('follows the injected clock into an override', async () => {
    clock.advance((Date.parse('2026-04-08T11:00:00Z') - ONCALL_NOW) / 1000);
    expect((await oncall()).split('\n')[1]).toBe(
      '• DMS Infrastructure: Dorothea Maximiliane von Hohenzollern-Sigmaringen, Bereitschaft Süd until 2026-04-09 12:00 — next: Anna from 2026-04-09 12:00',
    );
  });
});
