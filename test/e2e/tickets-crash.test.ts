import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJiraEmulator } from '../../integrations/sandbox/jira/emulator';
import { createServiceNowEmulator } from '../../integrations/sandbox/servicenow/emulator';
import { freePort, startChild, waitExit } from '../helpers/child-server';
import { testDatabase } from '../helpers/test-database';

const TOKEN = 'ticket-crash-token-12345';

/**
 * The emulators live in this (test) process; the server is a child process that gets SIGKILLed while it
 * creates tickets, so crashes land between a remote create and our commit. The restarted server must
 * find those tickets by our key instead of creating them again.
 */
describe('tickets survive SIGKILL of the server mid-storm', () => {
  it('ends with exactly one ServiceNow incident and one Jira issue per incident, linked', async () => {
    const sn = createServiceNowEmulator({
      groups: ['DMS Infrastructure', 'DMS Application', 'Service Desk'],
      faults: { latencyMs: 60 },
    });
    const jira = createJiraEmulator({
      projects: [{ key: 'OPS', issueTypes: ['Task'] }],
      faults: { latencyMs: 60 },
    });
    const [snSrv, jiraSrv] = await Promise.all([sn.listen(), jira.listen()]);
    const dir = mkdtempSync(join(tmpdir(), 'itsm-tcrash-'));
    const database = await testDatabase(dir, 'db.sqlite');
    writeFileSync(
      join(dir, 'itsm-bridge.yaml'),
      `routing:\n  defaults: { groupBy: [branch] }\ncorrelation: { groupWait: 0 }\ntickets: { pollInterval: 1, maxBackoff: 2s }\n` +
        `servicenow:\n  instanceUrl: ${snSrv.url}\n  auth: { type: basic, username: itsm.bridge, password: "\${SN_PASSWORD}" }\n` +
        `jira:\n  baseUrl: ${jiraSrv.url}\n  auth: { type: basic, email: itsm-bridge@example.com, apiToken: "\${JIRA_TOKEN}" }\n`,
    );
    const port = await freePort();
    const env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      WEBHOOK_TOKEN: TOKEN,
      API_TOKEN: TOKEN,
      LOG_LEVEL: 'error',
      SN_PASSWORD: 'sandbox',
      JIRA_TOKEN: 'sandbox',
    };
    const base = `http://127.0.0.1:${port}`;
    const post = (branch: string) =>
      fetch(`${base}/webhooks/generic`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({
          dedupKey: `dms-${branch}`,
          status: 'firing',
          severity: 'critical',
          summary: `DMS down at ${branch}`,
          branch,
        }),
      }).then((r) => r.status);

    let server = await startChild(env, dir);
    const branches = Array.from({ length: 12 }, (_, i) => `br-${i}`);
    for (const b of branches) expect(await post(b)).toBe(202);
    // Kill while the outbox is creating tickets (each remote call takes ≥ 60 ms), three times.
    for (let k = 0; k < 3; k++) {
      await new Promise((r) => setTimeout(r, 150 + k * 100));
      server.child.kill('SIGKILL');
      await waitExit(server.child);
      server = await startChild(env, dir);
    }
    type Ready = {
      checks: { outbox: { pending: number; parked: number }; correlation: { pending: number } };
    };
    // On SQLite the restarted server frees its predecessor's claims at once. On PostgreSQL the killed
    // process's claims are another instance's as far as anyone can tell, so they wait out their 30 s
    // lease before they are taken over: the wait allows the lease plus the retries' backoff.
    let ready: Ready | null = null;
    const deadline = Date.now() + 75_000;
    while (Date.now() < deadline) {
      ready = (await (await fetch(`${base}/readyz`)).json()) as Ready;
      if (ready.checks.outbox.pending === 0 && ready.checks.correlation.pending === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const incidents = (
      (await (
        await fetch(`${base}/api/incidents`, { headers: { authorization: `Bearer ${TOKEN}` } })
      ).json()) as {
        incidents: {
          key: string;
          tickets: { servicenow: { number: string } | null; jira: { key: string } | null };
        }[];
      }
    ).incidents;
    server.child.kill('SIGTERM');
    await waitExit(server.child);
    await Promise.all([snSrv.close(), jiraSrv.close()]);
    await database.drop();

    expect(ready?.checks.outbox).toMatchObject({ pending: 0, parked: 0 });
    expect(incidents).toHaveLength(12);
    const byKey = new Map<string, number>();
    for (const row of sn.state.incidents)
      byKey.set(String(row.correlation_id), (byKey.get(String(row.correlation_id)) ?? 0) + 1);
    for (const inc of incidents) {
      expect(byKey.get(inc.key)).toBe(1);
      expect(inc.tickets.servicenow && inc.tickets.jira).toBeTruthy();
    }
    expect(sn.state.incidents).toHaveLength(12);
    expect(jira.state.issues).toHaveLength(12);
    for (const issue of jira.state.issues) expect(issue.remoteLinks).toHaveLength(1);
  }, 150_000);
});
