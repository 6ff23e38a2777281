import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServiceNowEmulator } from '../../integrations/sandbox/servicenow/emulator';
import { startTestApp } from '../helpers/test-app';
import { postSlack, slackHeaders, slashBody, sandboxResponseUrl } from '../helpers/slack-requests';

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

  it('in the sandbox, refuses a signed request whose response_url is not its own emulator (no SSRF)', async () => {
    const hits: string[] = [];
    const victim = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.writeHead(200).end();
    });
    await new Promise<void>((resolve) => victim.listen(0, '127.0.0.1', resolve));
    const app = await startTestApp();
    try {
      const responseUrl = `http://127.0.0.1:${(victim.address() as AddressInfo).port}/internal`;
      const body = slashBody({ text: 'list', user: 'U0ANNA0001', channel: 'C0SANDBOX01', responseUrl });
      const r = await postSlack(app.url, body, slackHeaders(body));
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ error: 'invalid_response_url', issues: [{ path: 'response_url' }] });
      await app.flush();
      expect(hits).toEqual([]);
    } finally {
      await app.close();
      await new Promise<void>((resolve) => victim.close(() => resolve()));
    }
  });

  it('accepts the documented sandbox secret when every ticket system is a sandbox', async () => {
    const app = await startTestApp();
    try {
      const body = slashBody({
        text: 'help',
        user: 'U0ANNA0001',
        channel: 'C0SANDBOX01',
        responseUrl: sandboxResponseUrl(app.url),
      });
      const r = await postSlack(app.url, body, slackHeaders(body));
      expect(r.status).toBe(200);
      expect(r.json.text).toContain('Commands');
    } finally {
      await app.close();
    }
  });
});
