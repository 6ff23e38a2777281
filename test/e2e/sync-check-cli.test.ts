import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli';
import { API_TOKEN, WEBHOOK_TOKEN, type TestApp, startTestApp } from '../helpers/test-app';
import { ENGINEER_AUTH as ENGINEER } from '../helpers/sandbox-people';

const fixture = (source: string, name: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', source, name), 'utf8'));

describe('itsm-bridge sync check (the built CLI against a running server and its sandbox)', () => {
  let app: TestApp;
  afterEach(() => app.close());

  it('reports a drifted pair with exit code 1, repairs it with --repair, and refuses a bad --since', async () => {
    app = await startTestApp({
      yaml: `
correlation: { groupWait: 0 }
slack: { enabled: false }
teams: { enabled: false }
sync: { enabled: true, checkInterval: 0, jira: { sweepInterval: 0 } }
`,
    });
    await app.post('alertmanager', fixture('alertmanager', 'firing.json'));
    await app.flush(3);
    const [inc] = (await app.api('/api/incidents')).incidents;
    const detail = await app.api(`/api/incidents/${inc.id}`);
    const key = detail.tickets.jira.key as string;
    const snOf = () =>
      app.sandboxes.servicenow!.state.incidents.find((i) => i.sys_id === detail.tickets.servicenow.sys_id)!;
    const jira = app.sandboxes.jira!;
    jira.webhooks.settings.dropNext = 1;
    const done = jira.state.transitions.find((t) => t.name === 'Done')!;
    const res = await fetch(`${app.url}/sandbox/jira/rest/api/3/issue/${key}/transitions`, {
      method: 'POST',
      headers: { authorization: ENGINEER, 'content-type': 'application/json' },
      body: JSON.stringify({ transition: { id: done.id } }),
    });
    expect(res.status).toBe(204);
    await jira.webhooks.idle();
    expect(snOf().state).not.toBe('6');

    const env = { DATABASE_URL: app.database.url, ITSM_URL: app.url, WEBHOOK_TOKEN, API_TOKEN };
    const check = await runCli(['sync', 'check', '--since', '2000-01-01'], env, app.dir);
    expect(check.stdout).toContain(`drifted  incident ${inc.id}: Jira ${key} is Done`);
    expect(check.stdout).toContain('1 drifted, 0 repaired (differences: state 1, comment 0, attachment 0)');
    expect(check.code).toBe(1);
    const fix = await runCli(['sync', 'check', '--since', '2000-01-01', '--repair'], env, app.dir);
    expect(fix.stdout).toContain(`repaired incident ${inc.id}`);
    expect(fix.code).toBe(0);
    await app.flush(2);
    expect(snOf().state).toBe('6');
    const clean = await runCli(['sync', 'check', '--since', '2000-01-01'], env, app.dir);
    expect(clean.stdout).toMatch(/\d+ linked pair\(s\) checked, 0 drifted/);
    expect(clean.code).toBe(0);

    const bad = await runCli(['sync', 'check', '--since', 'yesterday'], env, app.dir);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--since: "yesterday" is not a date');
  });
});
