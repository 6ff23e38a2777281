import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJiraEmulator } from '../../integrations/sandbox/jira/emulator';
import { createServiceNowEmulator } from '../../integrations/sandbox/servicenow/emulator';
import { createSlackEmulator } from '../../integrations/sandbox/slack/emulator';
import { createTeamsEmulator } from '../../integrations/sandbox/teams/emulator';
import { freePort, startChild, waitExit } from '../helpers/child-server';
import { slackHeaders, slashBody } from '../helpers/slack-requests';
import { testDatabase, testStore } from '../helpers/test-database';

const FIXTURES = join(__dirname, '..', 'fixtures');
const fixture = (source: string, name: string) => readFileSync(join(FIXTURES, source, name), 'utf8');

/**
 * One distinct, recognisable value per secret variable (.env.example, src/config/env.ts, and the `${VAR}`
 * secrets of itsm-bridge.yaml). Each is long and random-looking so a hit cannot be a coincidence; a
 * prefix of 12 characters is searched too, to catch a truncated secret in a log line.
 */
const SECRETS = {
  WEBHOOK_TOKEN: 'sekret-webhook-7Qm2Zx9Lp4Rt',
  WEBHOOK_TOKEN_ALERTMANAGER: 'sekret-am-K3v8Nw1Yc6Hd5Bq',
  WEBHOOK_TOKEN_GRAFANA: 'sekret-grafana-T9j4Ue7Mx2Ws',
  WEBHOOK_TOKEN_ICINGA: 'sekret-icinga-P5r1Oa8Lk3Zv',
  WEBHOOK_TOKEN_CHECKMK: 'sekret-checkmk-G6y2Bn9Qe4Jt',
  WEBHOOK_TOKEN_GENERIC: 'sekret-generic-D8w3Fs5Hx1Cm',
  GRAFANA_HMAC_SECRET: 'sekret-hmac-R2t7Vk4Np9Lq6Xs',
  API_TOKEN: 'sekret-api-token-M4c9Jz2Wb7Ey',
  SLACK_BOT_TOKEN: 'xoxb-sekret-slackbot-5Ha8Qd3Tn',
  SLACK_SIGNING_SECRET: 'sekret-signing-1Ku6Rz9Vm4Pf',
  SLACK_APP_TOKEN: 'xapp-sekret-slackapp-8Lx2Gc7Yw',
  TEAMS_APP_PASSWORD: 'sekret-teams-pw-3Nf8Bs1Qj6Dz',
  TEAMS_WORKFLOW_SIG: 'sekretworkflowsig9Ty4Ma2Kv7',
  SN_PASSWORD: 'sekret-sn-password-6Wp1Ex8Rc3',
  SN_CLIENT_SECRET: 'sekret-sn-client-2Zb5Ju9Lh4Yn',
  JIRA_TOKEN: 'sekret-jira-token-7Cv3Qs6Mk1Ft',
} as const;

/**
 * The whole flow with a known secret in every secret variable: alerts from every source (Grafana signed),
 * tickets in ServiceNow (OAuth password grant) and Jira, Slack messages and a signed slash command, a
 * Teams Workflows card, reports, /metrics, the API and every kind of error answer. Afterwards none of the
 * secrets may appear in anything the bridge wrote: its log (at debug level), the tickets, notes and chat
 * messages in the emulators and the URLs it called, every HTTP answer, and the rows of its database.
 */
describe('secrets never leave the bridge', () => {
  it('keeps every configured secret out of logs, tickets, chat, reports, metrics, answers and the store', async () => {
    const sn = createServiceNowEmulator({
      users: [
        {
          user_name: 'itsm.bridge',
          email: 'itsm-bridge@example.com',
          name: 'ITSM Bridge',
          password: SECRETS.SN_PASSWORD,
        },
      ],
      oauthClients: { 'itsm-bridge': SECRETS.SN_CLIENT_SECRET },
    });
    const jira = createJiraEmulator({
      projects: [{ key: 'OPS', issueTypes: ['Task'] }],
      apiTokens: { 'itsm-bridge@example.com': SECRETS.JIRA_TOKEN },
    });
    const slack = createSlackEmulator({
      tokens: [SECRETS.SLACK_BOT_TOKEN],
      channels: [{ id: 'C0INFRA001', name: 'dms-infra-oncall' }],
      users: [
        { id: 'U0JONAS001', name: 'jonas', real_name: 'Jonas Weber', email: 'jonas.weber@example.com' },
      ],
    });
    const teams = createTeamsEmulator();
    const [snSrv, jiraSrv, slackSrv, teamsSrv] = await Promise.all([
      sn.listen(),
      jira.listen(),
      slack.listen(),
      teams.listen(),
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'itsm-secrets-'));
    const database = await testDatabase(dir, 'db.sqlite');
    writeFileSync(
      join(dir, 'itsm-bridge.yaml'),
      [
        'correlation: { groupWait: 0, resolveGrace: 0 }',
        'tickets: { pollInterval: 1, maxBackoff: 2s, noteInterval: 0 }',
        `slack: { apiUrl: "${slackSrv.url}/", updateInterval: 0 }`,
        'sources: { grafana: { hmac: { secret: "${GRAFANA_HMAC_SECRET}" } } }',
        'providers:',
        '  - name: infra',
        '    chat: { slackChannel: "#dms-infra-oncall" }',
        '    members: { slack: [U0JONAS001] }',
        'routing: { defaults: { provider: infra, groupBy: [branch] } }',
        `servicenow:`,
        `  instanceUrl: ${snSrv.url}`,
        '  auth: { type: oauth, clientId: itsm-bridge, clientSecret: "${SN_CLIENT_SECRET}", username: itsm.bridge, password: "${SN_PASSWORD}" }',
        `jira:`,
        `  baseUrl: ${jiraSrv.url}`,
        '  auth: { type: basic, email: itsm-bridge@example.com, apiToken: "${JIRA_TOKEN}" }',
        '',
      ].join('\n'),
    );
    const port = await freePort();
    const { TEAMS_WORKFLOW_SIG, ...vars } = SECRETS;
    const env = {
      ...vars,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      LOG_LEVEL: 'debug',
      TEAMS_APP_ID: '00000000-0000-4000-8000-00000000a11d',
      TEAMS_TENANT_ID: '00000000-0000-4000-8000-0000000071e0',
      TEAMS_WORKFLOW_URL: `${teamsSrv.url}/workflows/ops?api-version=1&sig=${TEAMS_WORKFLOW_SIG}`,
    };
    const base = `http://127.0.0.1:${port}`;
    const answers: string[] = [];
    const call = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${base}${path}`, init);
      const body = await res.text();
      answers.push(`${res.status} ${path} ${JSON.stringify([...res.headers])} ${body}`);
      return { status: res.status, body };
    };
    const json = { 'content-type': 'application/json' };
    const bearer = (token: string) => ({ ...json, authorization: `Bearer ${token}` });
    const api = { authorization: `Bearer ${SECRETS.API_TOKEN}` };

    const server = await startChild(env, dir);
    try {
      // Alerts from every source, each with its own token (Grafana also signed).
      const sends: [string, string, string][] = [
        ['alertmanager', fixture('alertmanager', 'firing.json'), SECRETS.WEBHOOK_TOKEN_ALERTMANAGER],
        ['icinga', fixture('icinga', 'problem-host.json'), SECRETS.WEBHOOK_TOKEN_ICINGA],
        ['checkmk', fixture('checkmk', 'problem-service.json'), SECRETS.WEBHOOK_TOKEN_CHECKMK],
        ['generic', fixture('generic', 'firing.json'), SECRETS.WEBHOOK_TOKEN_GENERIC],
      ];
      for (const [source, body, token] of sends)
        expect(
          (await call(`/webhooks/${source}`, { method: 'POST', headers: bearer(token), body })).status,
        ).toBe(202);
      const grafana = fixture('grafana', 'firing.json');
      const sig = createHmac('sha256', SECRETS.GRAFANA_HMAC_SECRET).update(grafana).digest('hex');
      const signed = { ...bearer(SECRETS.WEBHOOK_TOKEN_GRAFANA), 'x-grafana-alerting-signature': sig };
      expect(
        (await call('/webhooks/grafana', { method: 'POST', headers: signed, body: grafana })).status,
      ).toBe(202);

      // Every kind of refusal: wrong token, another source's token, bad signature, bad JSON, unknown route.
      const refusals: [string, RequestInit, number][] = [
        [
          '/webhooks/generic',
          { method: 'POST', headers: bearer(`${SECRETS.WEBHOOK_TOKEN}x`), body: '{}' },
          401,
        ],
        [
          '/webhooks/icinga',
          { method: 'POST', headers: bearer(SECRETS.WEBHOOK_TOKEN_GENERIC), body: '{}' },
          401,
        ],
        [
          '/webhooks/grafana',
          {
            method: 'POST',
            headers: { ...signed, 'x-grafana-alerting-signature': 'ab'.repeat(32) },
            body: grafana,
          },
          401,
        ],
        [
          '/webhooks/generic',
          { method: 'POST', headers: bearer(SECRETS.WEBHOOK_TOKEN_GENERIC), body: '{"x":' },
          400,
        ],
        [
          '/webhooks/generic',
          { method: 'POST', headers: bearer(SECRETS.WEBHOOK_TOKEN_GENERIC), body: '{}' },
          400,
        ],
        ['/api/incidents', { headers: { authorization: `Bearer ${SECRETS.WEBHOOK_TOKEN}` } }, 401],
        [
          '/slack/events',
          { method: 'POST', headers: slackHeaders('a=b', { secret: 'wrong' }), body: 'a=b' },
          401,
        ],
        ['/teams/messages', { method: 'POST', headers: json, body: '{"type":"message"}' }, 401],
        ['/nowhere', {}, 404],
      ];
      for (const [path, init, status] of refusals) expect((await call(path, init)).status).toBe(status);

      // Tickets and chat messages for every incident, with the outbox drained.
      let ready = '';
      for (let i = 0; i < 200; i++) {
        ready = (await call('/readyz')).body;
        const r = JSON.parse(ready) as {
          checks: { outbox: { pending: number }; correlation: { pending: number } };
        };
        if (
          r.checks.outbox.pending === 0 &&
          r.checks.correlation.pending === 0 &&
          jira.state.issues.length > 0 &&
          slack.messages('dms-infra-oncall').length > 0
        )
          break;
        await new Promise((res) => setTimeout(res, 100));
      }
      expect(sn.state.incidents.length).toBeGreaterThan(0);
      expect(jira.state.issues.length).toBe(sn.state.incidents.length);
      expect(slack.messages('dms-infra-oncall').length).toBeGreaterThan(0);
      expect(teams.state.workflows.length).toBeGreaterThan(0);

      // Chat traffic: a signed slash command, answered in the ack.
      const slash = slashBody({ text: 'list', user: 'U0JONAS001', channel: 'C0INFRA001' });
      const listed = await call('/slack/events', {
        method: 'POST',
        headers: slackHeaders(slash, { secret: SECRETS.SLACK_SIGNING_SECRET }),
        body: slash,
      });
      expect(listed.status).toBe(200);

      // What operators read: the API, the reports, the metrics.
      const incidents = JSON.parse((await call('/api/incidents', { headers: api })).body) as {
        incidents: { id: number }[];
      };
      for (const inc of incidents.incidents) await call(`/api/incidents/${inc.id}`, { headers: api });
      const month = new Date().toISOString().slice(0, 7);
      for (const path of [
        '/reports',
        `/reports/sla?month=${month}`,
        `/reports/sla.csv?month=${month}`,
        '/metrics',
      ])
        await call(path, { headers: api });
      await call('/metrics');
      await call('/reports');

      // Recovery: the tickets resolve (notes and resolve calls carry no secret either).
      const resolved = fixture('generic', 'resolved.json');
      await call('/webhooks/generic', {
        method: 'POST',
        headers: bearer(SECRETS.WEBHOOK_TOKEN_GENERIC),
        body: resolved,
      });
      await new Promise((res) => setTimeout(res, 1500));
    } finally {
      server.child.kill('SIGTERM');
      await waitExit(server.child);
      await Promise.all([snSrv.close(), jiraSrv.close(), slackSrv.close(), teamsSrv.close()]);
    }

    // Everything the bridge wrote or sent. Credential stores of the emulators are left out (they hold the
    // secrets by design); Maps and Sets stringify to {} so the token sets drop out on their own.
    const credentialKeys = new Set(['users', 'oauthClients', 'apiTokens', 'pats', 'tokens', 'accessTokens']);
    const dump = (v: unknown) =>
      JSON.stringify(v, (k, val: unknown) => (credentialKeys.has(k) ? undefined : val));
    const tables = await database.query(
      testStore() === 'postgres'
        ? 'select table_name as name from information_schema.tables where table_schema = current_schema()'
        : "select name from sqlite_master where type = 'table'",
    );
    expect(tables.length).toBeGreaterThan(10);
    const rows: string[] = [];
    for (const t of tables) rows.push(dump(await database.query(`select * from "${String(t.name)}"`)));
    await database.drop();
    const outputs: Record<string, string> = {
      'server log': server.output(),
      'ServiceNow records': dump(sn.state),
      'Jira issues': dump(jira.state),
      'Slack messages': dump(slack.state),
      // The Workflows URL is itself the secret (sig=…), so the emulator's log of URLs called is left out.
      'Teams cards': dump({ ...teams.state, callLog: [] }),
      'HTTP answers': answers.join('\n'),
      'database rows': rows.join('\n'),
    };
    expect(server.output().length).toBeGreaterThan(1000); // the log was really captured at debug level
    const leaks: string[] = [];
    for (const [name, secret] of Object.entries(SECRETS))
      for (const [where, text] of Object.entries(outputs))
        if (text.includes(secret.slice(0, 12)) || text.includes(secret)) leaks.push(`${name} in ${where}`);
    expect(leaks).toEqual([]);
  }, 120_000);
});
