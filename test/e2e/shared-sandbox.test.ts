import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { childEnv, freePort, startChild, startSandboxChild, waitExit } from '../helpers/child-server';
import { runCli } from '../helpers/run-cli';
import { SANDBOX_TEST_SETTINGS } from '../helpers/sandbox-test-settings';
import { alertmanagerPayload } from '../helpers/alertmanager-payload';
import { testDatabase, type TestDatabase } from '../helpers/test-database';

const TOKEN = 'shared-sandbox-token-123456';
const API = 'a'.repeat(24);
const YAML = `${SANDBOX_TEST_SETTINGS}
providers:
  - name: app
    assignmentGroup: DMS Application
    jiraProject: DMSAPP
    chat: { slackChannel: "#dms-app-oncall" }
routing:
  defaults: { provider: app, groupBy: [branch] }
`;

interface Tickets {
  servicenow: { number: string; correlation_id: string }[];
  jira: { key: string; labels: string[] }[];
}

const alert = (branch: string) =>
  alertmanagerPayload(branch, [{ instance: `srv-1.${branch}:9100`, fingerprint: `fp-${branch}` }]);

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 200; i++) {
    last = await read();
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last)}`);
}

describe('itsm-bridge sandbox: the emulators as their own process, shared through SANDBOX_URL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'itsm-shared-sandbox-'));
  writeFileSync(join(dir, 'itsm-bridge.yaml'), YAML);
  const children: ChildProcess[] = [];
  let database: TestDatabase;
  beforeAll(async () => {
    database = await testDatabase(dir, 'a.sqlite');
  });
  afterAll(async () => {
    for (const c of children) {
      c.kill('SIGKILL');
      await waitExit(c);
    }
    await database.drop();
  });

  it('turns an alert sent to a bridge into a ServiceNow incident, a Jira issue and a Slack card in the sandbox', async () => {
    const sandbox = await startSandboxChild(await freePort(), dir, ['-c', 'itsm-bridge.yaml']);
    children.push(sandbox.child);
    expect(sandbox.output()).toContain(`SANDBOX_URL=${sandbox.url}`);
    const port = await freePort();
    const bridge = await startChild(
      {
        ...childEnv({ port, databaseUrl: database.url, webhookToken: TOKEN, apiToken: API }),
        SANDBOX_URL: sandbox.url,
      },
      dir,
    );
    children.push(bridge.child);
    const bridgeUrl = `http://127.0.0.1:${port}`;
    // Nothing is mounted on the bridge: its sandbox is the other process.
    expect((await fetch(`${bridgeUrl}/sandbox/servicenow/api/now/table/incident`)).status).toBe(404);

    const res = await fetch(`${bridgeUrl}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(alert('muc-01')),
    });
    expect(res.status).toBe(202);

    const tickets = await until(
      async () => (await (await fetch(`${sandbox.url}/sandbox/_control/tickets`)).json()) as Tickets,
      (t) => t.servicenow.length === 1 && t.jira.length === 1,
      'one incident and one issue in the shared sandbox',
    );
    const incidents = (await (
      await fetch(`${bridgeUrl}/api/incidents`, { headers: { authorization: `Bearer ${API}` } })
    ).json()) as { incidents: { id: number; key: string }[] };
    expect(incidents.incidents).toHaveLength(1);
    type Detail = { tickets: { servicenow: { number: string } | null; jira: { key: string } | null } };
    // The sandbox holds a ticket as soon as it answered the create; the bridge records it a moment later.
    const detail = await until(
      async () =>
        (await (
          await fetch(`${bridgeUrl}/api/incidents/${incidents.incidents[0]!.id}`, {
            headers: { authorization: `Bearer ${API}` },
          })
        ).json()) as Detail,
      (d) => d.tickets.servicenow !== null && d.tickets.jira !== null,
      'both tickets recorded on the incident',
    );
    expect(detail.tickets.servicenow?.number).toBe(tickets.servicenow[0]!.number);
    expect(detail.tickets.jira?.key).toBe(tickets.jira[0]!.key);
    expect(tickets.jira[0]!.key).toMatch(/^DMSAPP-\d+$/);

    // The incident card went to the sandbox's Slack, in the channel the shared config seeded.
    const slack = await until(
      async () =>
        (await (await fetch(`${sandbox.url}/sandbox/_control/calls/slack`)).json()) as {
          calls: { path: string; status: number }[];
        },
      (s) => s.calls.some((c) => c.path === '/chat.postMessage' && c.status === 200),
      'the incident card in the shared Slack',
    );
    // The card and any thread replies after it: every post answered, none refused by the sandbox.
    expect(slack.calls.filter((c) => c.path === '/chat.postMessage' && c.status !== 200)).toEqual([]);
  });

  it('answers bad control input with 400 naming the field, and changes nothing', async () => {
    const sandbox = await startSandboxChild(await freePort(), dir);
    children.push(sandbox.child);
    const post = (path: string, body: string) =>
      fetch(`${sandbox.url}/sandbox/_control/${path}`, { method: 'POST', body });
    const wrongSystem = await post('faults/github', '{}');
    expect(wrongSystem.status).toBe(400);
    expect(await wrongSystem.json()).toMatchObject({ field: 'system' });
    const wrongKind = await post('faults/servicenow', JSON.stringify({ script: [{ kind: 'explode' }] }));
    expect(wrongKind.status).toBe(400);
    expect(await wrongKind.json()).toMatchObject({ field: 'script.0.kind' });
    expect((await post('faults/servicenow', 'not json')).status).toBe(400);
    const ok = await post('faults/servicenow', JSON.stringify({ maxConcurrent: 4 }));
    expect(await ok.json()).toMatchObject({ script: 0, maxConcurrent: 4 });
  });

  it('refuses to listen where others can reach it unless explicitly allowed', async () => {
    const port = String(await freePort());
    const refused = await runCli(['sandbox', '--port', port, '--host', '0.0.0.0'], {}, dir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('refusing to start: HOST=0.0.0.0 is reachable from other machines');
    expect(refused.stderr).toContain('ITSM_BRIDGE_ALLOW_INSECURE_SANDBOX=1');
    const badPort = await runCli(['sandbox', '--port', 'eighty'], {}, dir);
    expect(badPort.code).toBe(1);
    expect(badPort.stderr).toContain('--port');
  });
});
