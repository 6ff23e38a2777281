import { createServiceNowEmulator } from '../../integrations/sandbox/servicenow/emulator';
import { startTestApp } from '../helpers/test-app';
import { postSlack, slackHeaders, slashBody } from '../helpers/slack-requests';

describe('chat next to a real ticket system: no known sandbox secret, no anonymous Teams bot', () => {
  it('refuses Slack requests signed with the sandbox secret and does not serve /teams/messages', async () => {
    const sn = await createServiceNowEmulator().listen();
    const yaml = `
servicenow:
  instanceUrl: ${sn.url}
  auth: { type: basic, username: itsm.bridge, password: "\${SN_PASSWORD}" }
`;
    const app = await startTestApp({ yaml, env: { SN_PASSWORD: 'sandbox' } });
    try {
      const body = slashBody({ text: 'list', user: 'U0ANNA0001', channel: 'C0SANDBOX01' });
      expect((await postSlack(app.url, body, slackHeaders(body))).status).toBe(401);
      const teams = await fetch(`${app.url}/teams/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: 'list' }),
      });
      expect(teams.status).toBe(404);
    } finally {
      await app.close();
      await sn.close();
    }
  });

  it('accepts the documented sandbox secret when every ticket system is a sandbox', async () => {
    const app = await startTestApp();
    try {
      const body = slashBody({ text: 'help', user: 'U0ANNA0001', channel: 'C0SANDBOX01' });
      const r = await postSlack(app.url, body, slackHeaders(body));
      expect(r.status).toBe(200);
      expect(r.json.text).toContain('Commands');
    } finally {
      await app.close();
    }
  });
});
