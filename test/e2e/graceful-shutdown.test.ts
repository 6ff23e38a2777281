import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJiraEmulator } from '../../integrations/sandbox/jira/emulator';
import { createServiceNowEmulator } from '../../integrations/sandbox/servicenow/emulator';
import { freePort, startChild, waitExit } from '../helpers/child-server';
import { testDatabase } from '../helpers/test-database';

const TOKEN = 'shutdown-test-token-12345';

/**
 * The emulators live in this (test) process and answer slowly, so a SIGTERM lands while ticket creates
 * are on the wire; the server is a real child process. After it exits and starts again, everything it
 * acknowledged is in the store and each incident has exactly one ticket per system.
 */
async function setUp(o: { latencyMs: number; deadlineSeconds: number }) {
  const sn = createServiceNowEmulator({
    groups: ['DMS Infrastructure', 'DMS Application', 'Service Desk'],
    faults: { latencyMs: o.latencyMs },
  });
  const jira = createJiraEmulator({
    projects: [{ key: 'OPS', issueTypes: ['Task'] }],
    faults: { latencyMs: o.latencyMs },
  });
  const [snSrv, jiraSrv] = await Promise.all([sn.listen(), jira.listen()]);
  const dir = mkdtempSync(join(tmpdir(), 'itsm-drain-'));
  writeFileSync(
    join(dir, 'itsm-bridge.yaml'),
    `routing:\n  defaults: { groupBy: [branch] }\ncorrelation: { groupWait: 0 }\ntickets: { pollInterval: 1, maxBackoff: 2s }\n` +
      `slack: { enabled: false }\nteams: { enabled: false }\n` +
      `servicenow:\n  instanceUrl: ${snSrv.url}\n  auth: { type: basic, username: itsm.bridge, password: "\${SN_PASSWORD}" }\n` +
      `jira:\n  baseUrl: ${jiraSrv.url}\n  auth: { type: basic, email: itsm-bridge@example.com, apiToken: "\${JIRA_TOKEN}" }\n`,
  );
  const port = await freePort();
  const database = await testDatabase(dir, 'db.sqlite');
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    WEBHOOK_TOKEN: TOKEN,
    API_TOKEN: TOKEN,
    LOG_LEVEL: 'info',
    SN_PASSWORD: 'sandbox',
    JIRA_TOKEN: 'sandbox',
    SHUTDOWN_DEADLINE_SECONDS: String(o.deadlineSeconds),
  };
  const base = `http://127.0.0.1:${port}`;
  const post = async (branch: string) => {
    const res = await fetch(`${base}/webhooks/generic`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({
        dedupKey: `dms-${branch}`,
        status: 'firing',
        severity: 'critical',
        summary: `DMS down at ${branch}`,
        branch,
      }),
    });
    return {
      status: res.status,
      retryAfter: res.headers.get('retry-after'),
      body: (await res.json()) as any,
    };
  };
  /** Waits until the outbox has nothing left, then reads what the emulators hold. */
  const settled = async () => {
    for (let i = 0; i < 150; i++) {
      const ready = (await (await fetch(`${base}/readyz`)).json()) as any;
      if (ready.checks.outbox.pending === 0 && ready.checks.correlation.pending === 0) return ready;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('outbox did not drain after the restart');
  };
  const inFlight = () => sn.state.callLog.filter((c) => c.finishedAt === null).length;
  const close = async () => {
    await Promise.all([snSrv.close(), jiraSrv.close()]);
    await database.drop();
  };
  return { sn, jira, dir, env, base, post, settled, inFlight, close, database };
}

/** Every acknowledged alert id is in the inbox, processed, and each incident has one ticket per system. */
async function expectExactlyOnce(
  t: Awaited<ReturnType<typeof setUp>>,
  acknowledged: number[],
  incidents: number,
) {
  const ids = new Set(
    (await t.database.query('SELECT id FROM alerts WHERE processed_at IS NOT NULL')).map((r) => Number(r.id)),
  );
  for (const id of acknowledged) expect(ids.has(id)).toBe(true);
  const keys = (await t.database.query('SELECT key FROM incidents')).map((r) => String(r.key));
  expect(keys).toHaveLength(incidents);
  const perKey = new Map<string, number>();
  for (const row of t.sn.state.incidents)
    perKey.set(String(row.correlation_id), (perKey.get(String(row.correlation_id)) ?? 0) + 1);
  for (const key of keys) expect(perKey.get(key)).toBe(1);
  expect(t.sn.state.incidents).toHaveLength(incidents);
  expect(t.jira.state.issues).toHaveLength(incidents);
}

const until = async (what: () => boolean, ms = 10_000) => {
  for (const end = performance.now() + ms; performance.now() < end;)
    if (what()) return;
    else await new Promise((r) => setTimeout(r, 10));
  throw new Error('condition not reached');
};

describe('graceful shutdown of the real server process', () => {
  it('on SIGTERM refuses new work with 503, finishes the remote calls in flight, exits 0, loses nothing', async () => {
    const t = await setUp({ latencyMs: 700, deadlineSeconds: 20 });
    try {
      let server = await startChild(t.env, t.dir);
      const branches = Array.from({ length: 8 }, (_, i) => `br-${i}`);
      const acknowledged: number[] = [];
      for (const b of branches) {
        const r = await t.post(b);
        expect(r.status).toBe(202);
        acknowledged.push(...r.body.alerts);
      }
      await until(() => t.inFlight() > 0);
      const exited = new Promise<number | null>((resolve) =>
        server.child.once('exit', (code) => resolve(code)),
      );
      server.child.kill('SIGTERM');

      // While it drains: new alerts and /healthz are refused with Retry-After, nothing is half-stored.
      await new Promise((r) => setTimeout(r, 100));
      const refused = await t.post('br-late');
      expect(refused).toMatchObject({ status: 503, retryAfter: '5', body: { error: 'draining' } });
      const health = await fetch(`${t.base}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: 'draining' });

      expect(await exited).toBe(0);
      expect(t.inFlight()).toBe(0); // it waited for its calls instead of cutting them off
      expect(server.output()).toMatch(/"msg":"drained/);

      server = await startChild(t.env, t.dir);
      await t.settled();
      server.child.kill('SIGTERM');
      await waitExit(server.child);
      await expectExactlyOnce(t, acknowledged, branches.length);
    } finally {
      await t.close();
    }
  }, 120_000);

  it('exits at once when the deadline passes, and the restart completes the work exactly once', async () => {
    const t = await setUp({ latencyMs: 4000, deadlineSeconds: 1 });
    try {
      let server = await startChild(t.env, t.dir);
      const acknowledged: number[] = [];
      for (const b of ['br-a', 'br-b', 'br-c']) acknowledged.push(...(await t.post(b)).body.alerts);
      await until(() => t.inFlight() > 0);
      const exited = new Promise<number | null>((resolve) =>
        server.child.once('exit', (code) => resolve(code)),
      );
      const started = performance.now();
      server.child.kill('SIGTERM');
      expect(await exited).toBe(1);
      // The deadline, not the 4 s remote calls, ended it.
      expect(performance.now() - started).toBeLessThan(3500);
      expect(server.output()).toMatch(/shutdown deadline passed/);

      // The calls cut off by the exit still land at the remote (outcome unknown); once they have, the
      // restarted server must find those tickets by our key instead of creating them again.
      await until(() => t.inFlight() === 0);
      t.sn.faults.latencyMs = 0;
      t.jira.faults.latencyMs = 0;
      server = await startChild(t.env, t.dir);
      await t.settled();
      server.child.kill('SIGTERM');
      await waitExit(server.child);
      await expectExactlyOnce(t, acknowledged, 3);
    } finally {
      await t.close();
    }
  }, 120_000);

  it('exits at once on a second SIGTERM', async () => {
    const t = await setUp({ latencyMs: 4000, deadlineSeconds: 30 });
    try {
      const server = await startChild(t.env, t.dir);
      await t.post('br-x');
      await until(() => t.inFlight() > 0);
      const exited = new Promise<number | null>((resolve) =>
        server.child.once('exit', (code) => resolve(code)),
      );
      server.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      server.child.kill('SIGTERM');
      expect(await exited).toBe(1);
      expect(server.output()).toMatch(/SIGTERM again: exiting now/);
      await until(() => t.inFlight() === 0);
    } finally {
      await t.close();
    }
  }, 60_000);
});
