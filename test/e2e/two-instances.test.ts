import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { retryAfterViolations, type CallLogEntry } from '../../integrations/sandbox/faults';
import { alertmanagerPayload, deliverAlertmanager } from '../helpers/alertmanager-payload';
import { freePort, startChild, startSandboxChild, waitExit } from '../helpers/child-server';
import { freshLimitsSchema, postgresLimitsUrl } from '../helpers/postgres-limits';
import { runCli } from '../helpers/run-cli';
import { SANDBOX_TEST_SETTINGS } from '../helpers/sandbox-test-settings';
import { postSlack, slackHeaders, slashBody } from '../helpers/slack-requests';

const TOKEN = 'two-instances-webhook-token';
const API = 'two-instances-api-token-0123';
const ANNA = 'U0ANNA0001';
const BRANCHES = Array.from({ length: 12 }, (_, i) => `br-${String(i + 1).padStart(2, '0')}`);
const PAYLOADS = 120;
/** Requests already on their way when a 429 left the remote cannot know of it (as in the chaos suite). */
const RACE_MS = 100;

const YAML = `${SANDBOX_TEST_SETTINGS}
providers:
  - name: app
    displayName: DMS Application
    assignmentGroup: DMS Application
    jiraProject: DMSAPP
    chat: { slackChannel: "#dms-app-oncall" }
    members: { slack: [${ANNA}] }
  - name: infra
    displayName: DMS Infrastructure
    assignmentGroup: DMS Infrastructure
    jiraProject: INFRA
    chat: { slackChannel: "#dms-infra-oncall" }
    members: { slack: [${ANNA}] }
routing:
  defaults: { provider: app, groupBy: [branch] }
`;

/** Payload n: 5 alerts with fresh fingerprints on one of the 12 branches. */
const payload = (n: number) => {
  const branch = BRANCHES[n % BRANCHES.length]!;
  return alertmanagerPayload(
    branch,
    Array.from({ length: 5 }, (_, i) => ({
      instance: `srv-${n}-${i}.${branch}.example:9100`,
      fingerprint: `${n.toString(16).padStart(8, '0')}${i.toString(16).padStart(8, '0')}`,
    })),
  );
};

const pgUrl = postgresLimitsUrl();
const pgIt = pgUrl ? it : it.skip;

/**
 * Issue 15 item 5: two server processes on one PostgreSQL and one shared sandbox; a storm sent to both
 * alternately with HA duplicates, chat actions and a hand-off in the mix; one instance SIGKILLed half-way
 * and restarted. Then every acknowledged alert is in an incident, one ServiceNow incident and one Jira
 * issue per incident, ServiceNow's concurrency never above 4 over both, no request inside a Retry-After,
 * and the audit chain verifies.
 */
describe('two instances, one PostgreSQL, one shared sandbox', () => {
  const children = new Set<ChildProcess>();
  afterAll(async () => {
    for (const c of children) {
      c.kill('SIGKILL');
      await waitExit(c);
    }
  });

  pgIt(
    'survive a SIGKILL of one of them mid-storm with nothing lost, nothing doubled and every limit held',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'itsm-two-'));
      writeFileSync(join(dir, 'itsm-bridge.yaml'), YAML);
      const database = await freshLimitsSchema();
      const sql = new pg.Client({ connectionString: database.url });
      await sql.connect();
      try {
        const sandbox = await startSandboxChild(await freePort(), dir, ['-c', 'itsm-bridge.yaml']);
        children.add(sandbox.child);
        const control = (path: string, body?: unknown) =>
          fetch(`${sandbox.url}/sandbox/_control/${path}`, {
            method: body ? 'POST' : 'GET',
            ...(body ? { body: JSON.stringify(body) } : {}),
          }).then((r) => r.json() as Promise<Record<string, unknown>>);
        // Remote latency so that requests overlap, and throttles from ServiceNow and Jira mid-storm.
        await control('faults/servicenow', {
          latencyMs: 40,
          script: [
            { kind: 'ok', method: 'POST' },
            { kind: 'ok', method: 'POST' },
            { kind: 'rateLimit', method: 'POST', retryAfterSeconds: 2 },
            { kind: 'ok', method: 'POST' },
            { kind: 'ok', method: 'POST' },
            { kind: 'ok', method: 'POST' },
            { kind: 'rateLimit', method: 'POST', retryAfterSeconds: 1 },
          ],
        });
        await control('faults/jira', {
          latencyMs: 20,
          script: [
            { kind: 'ok', method: 'POST' },
            { kind: 'rateLimit', method: 'POST', retryAfterSeconds: 1 },
          ],
        });

        const ports = [await freePort(), await freePort()] as const;
        const envOf = (port: number) => ({
          PORT: String(port),
          HOST: '127.0.0.1',
          DATABASE_URL: database.url,
          SANDBOX_URL: sandbox.url,
          WEBHOOK_TOKEN: TOKEN,
          API_TOKEN: API,
          LOG_LEVEL: 'error',
        });
        const start = async (i: 0 | 1) => {
          const s = await startChild(envOf(ports[i]), dir);
          children.add(s.child);
          return s;
        };
        const servers = [await start(0), await start(1)];
        const url = (i: number) => `http://127.0.0.1:${ports[i]!}`;

        const up = [true, true];
        const acknowledged = new Set<number>();
        // Refused by the killed instance: like Alertmanager, deliver again later.
        const deliver = (i: number, n: number) =>
          deliverAlertmanager(url(i), TOKEN, payload(n), acknowledged);
        const api = async (i: number, path: string, body?: unknown) => {
          const res = await fetch(`${url(i)}${path}`, {
            method: body ? 'POST' : 'GET',
            headers: { authorization: `Bearer ${API}`, 'content-type': 'application/json' },
            ...(body ? { body: JSON.stringify(body) } : {}),
          });
          return { status: res.status, json: (await res.json()) as Record<string, unknown> };
        };
        const chat = async (want: number, text: string) => {
          const i = up[want] ? want : 1;
          const body = slashBody({
            text,
            user: ANNA,
            channel: 'C0SANDBOX01',
            responseUrl: `${sandbox.url}/sandbox/slack/api/_responses/unused`,
          });
          return postSlack(url(i), body, slackHeaders(body));
        };

        // The storm: payload n to instance n % 2; every third one to both at the same moment (an HA
        // Alertmanager pair). Half-way, instance 0 is SIGKILLed; what it did not acknowledge goes to
        // the other one, as Alertmanager's retry would; instance 0 comes back a second later.
        const jobsLease = async () =>
          (await sql.query("select holder, term from leases where name = 'jobs'")).rows[0] as
            { holder: string; term: number } | undefined;
        let leaderBefore: { holder: string; term: number } | undefined;
        let killedAt = 0;
        /** Milliseconds from the kill until another process held the lease (null: not within 45 s). */
        let takeover: Promise<number | null> = Promise.resolve(null);
        const undelivered: number[] = [];
        let restarted: Promise<void> = Promise.resolve();
        let handoffDone = false;
        const chatAnswers: number[] = [];
        for (let n = 0; n < PAYLOADS; n++) {
          if (n === PAYLOADS / 2) {
            // Instance 0 started first, so it leads (its lease row names its pid): kill the leader.
            leaderBefore = await jobsLease();
            expect(leaderBefore?.holder).toContain(`-${servers[0]!.child.pid}-`);
            killedAt = performance.now();
            servers[0]!.child.kill('SIGKILL');
            takeover = (async () => {
              for (let lease = await jobsLease(); performance.now() - killedAt < 45_000;) {
                if (lease?.holder !== leaderBefore?.holder) return Math.round(performance.now() - killedAt);
                await new Promise((r) => setTimeout(r, 250));
                lease = await jobsLease();
              }
              return null;
            })();
            await waitExit(servers[0]!.child);
            children.delete(servers[0]!.child);
            up[0] = false;
            restarted = new Promise((r) => setTimeout(r, 1000))
              .then(() => start(0))
              .then((s) => {
                servers[0] = s;
                up[0] = true;
              });
          }
          const target = n % 2;
          const sent =
            n % 3 === 0
              ? (await Promise.all([deliver(0, n), deliver(1, n)])).some(Boolean)
              : await deliver(target, n);
          if (!sent) undelivered.push(n);
          if (n % 10 === 5) {
            // Chat actions against either instance: the list, and taking an incident.
            const list = await api(1, '/api/incidents?state=open&limit=5');
            const incidents = (list.json.incidents ?? []) as { id: number }[];
            const inc = incidents[n % Math.max(1, incidents.length)];
            if (inc) chatAnswers.push((await chat(n % 2, `ack ${inc.id}`)).status);
            chatAnswers.push((await chat((n + 1) % 2, 'list')).status);
          }
          if (!handoffDone && n > 20) {
            // A hand-off offered on one instance, accepted on the other.
            const list = await api(1, '/api/incidents?state=open&limit=1');
            const [inc] = (list.json.incidents ?? []) as { id: number }[];
            if (inc) {
              const offered = await api(1, `/api/incidents/${inc.id}/handoffs`, {
                to: 'infra',
                note: {
                  situation: 'Branch outage, app side ruled out',
                  actionsTaken: 'Checked the DMS application',
                  nextSteps: 'Network check at the branch',
                },
              });
              expect(offered.status).toBe(201);
              const accepted = await api(
                up[0] ? 0 : 1,
                `/api/handoffs/${String(offered.json.id)}/accept`,
                {},
              );
              expect(accepted.json).toMatchObject({ state: 'accepted' });
              handoffDone = true;
            }
          }
        }
        // Deliver again what the kill refused, to whichever instance is up.
        for (let round = 0; round < 20 && undelivered.length > 0; round++) {
          const n = undelivered.shift()!;
          if (!(await deliver(1, n))) undelivered.push(n);
        }
        expect(undelivered).toEqual([]);
        await restarted;
        expect(handoffDone).toBe(true);
        expect(chatAnswers.filter((s) => s !== 200)).toEqual([]);

        const stormEnded = performance.now();
        // Both instances drain the outbox: nothing pending (and nothing parked) any more.
        let outbox: { state: string; n: string }[] = [];
        for (let i = 0; i < 600; i++) {
          outbox = (await sql.query('select state, count(*) n from outbox group by state')).rows;
          if (outbox.every((r) => r.state === 'done')) break;
          await new Promise((r) => setTimeout(r, 200));
        }
        const drainedAt = performance.now();
        const stuck = (
          await sql.query(
            "select lane, kind, state, attempts, last_error from outbox where state <> 'done' order by id",
          )
        ).rows;
        expect(stuck).toEqual([]);

        // 1. Every acknowledged alert is stored and in an incident.
        const attached = new Set(
          (await sql.query('select id from alerts where incident_id is not null')).rows.map(
            (r: { id: number }) => Number(r.id),
          ),
        );
        expect([...acknowledged].filter((id) => !attached.has(id))).toEqual([]);
        // One incident per branch, HA duplicates and the kill notwithstanding.
        const incidents = (await sql.query('select id, key, group_key from incidents order by id')).rows as {
          id: number;
          key: string;
          group_key: string;
        }[];
        expect(new Set(incidents.map((i) => i.group_key)).size).toBe(incidents.length);
        expect(incidents).toHaveLength(BRANCHES.length);

        // 2. One ServiceNow incident and one Jira issue per incident in the shared sandbox.
        const tickets = (await control('tickets')) as {
          servicenow: { correlation_id: string }[];
          jira: { key: string; labels: string[]; status: string }[];
        };
        expect(tickets.servicenow).toHaveLength(incidents.length);
        expect(new Set(tickets.servicenow.map((t) => t.correlation_id)).size).toBe(incidents.length);
        // Plus the receiving provider's own issue for the one accepted hand-off, and no twin of any.
        expect(tickets.jira).toHaveLength(incidents.length + 1);
        expect(new Set(tickets.jira.map((t) => t.labels.join(','))).size).toBe(incidents.length + 1);

        // 3. ServiceNow's concurrency over both instances, and no request inside a Retry-After.
        const sn = (await control('calls/servicenow')) as { calls: CallLogEntry[]; inFlightPeak: number };
        expect(sn.inFlightPeak).toBeLessThanOrEqual(4);
        expect(sn.calls.filter((c) => c.status === 429).length).toBeGreaterThanOrEqual(2);
        const early: Record<string, CallLogEntry[]> = {};
        // Slack limits each Web API method on its own (a chat.postMessage 429 does not hold auth.test),
        // as the chaos suite counts it; ServiceNow and Jira answer 429 for the whole account.
        const scope = (system: string) => (a: CallLogEntry, b: CallLogEntry) =>
          system !== 'slack' || a.path === b.path;
        for (const system of ['servicenow', 'jira', 'slack'])
          early[system] = retryAfterViolations(
            ((await control(`calls/${system}`)) as { calls: CallLogEntry[] }).calls,
            scope(system),
            RACE_MS,
          );
        expect(early).toEqual({ servicenow: [], jira: [], slack: [] });

        // 4. The leader-only jobs moved: another process holds the lease, in a later term, within the
        // lease (30 s) of the kill and a renewal period.
        const takeoverMs = await takeover;
        expect(takeoverMs).not.toBeNull();
        const leaderAfter = await jobsLease();
        expect(leaderAfter?.holder).not.toBe(leaderBefore?.holder);
        expect(Number(leaderAfter?.term)).toBeGreaterThan(Number(leaderBefore?.term));
        expect(
          [servers[0]!.child.pid, servers[1]!.child.pid].some((pid) =>
            leaderAfter?.holder.includes(`-${pid}-`),
          ),
        ).toBe(true);

        const report = process.env.TWO_INSTANCES_REPORT;
        if (report) {
          const calls = async (system: string) =>
            ((await control(`calls/${system}`)) as { calls: CallLogEntry[] }).calls;
          const strict: Record<string, number> = {};
          for (const system of ['servicenow', 'jira', 'slack'])
            strict[system] = retryAfterViolations(await calls(system), scope(system)).length;
          writeFileSync(
            report,
            JSON.stringify(
              {
                payloads: PAYLOADS,
                alertsAcknowledged: acknowledged.size,
                incidents: incidents.length,
                servicenowIncidents: tickets.servicenow.length,
                jiraIssues: tickets.jira.length,
                servicenowInFlightPeak: sn.inFlightPeak,
                throttles: {
                  servicenow: sn.calls.filter((c) => c.status === 429).length,
                  jira: (await calls('jira')).filter((c) => c.status === 429).length,
                  slack: (await calls('slack')).filter((c) => c.status === 429).length,
                },
                insideRetryAfter: { beyondRace: early, strict },
                outbox,
                msStormToDrained: Math.round(drainedAt - stormEnded),
                leaderTakeoverMsAfterKill: takeoverMs,
              },
              null,
              2,
            ),
          );
        }

        // 5. The audit chain, written by both instances, verifies.
        const audit = await runCli(['audit', 'verify'], { DATABASE_URL: database.url }, dir);
        expect(audit.stderr).toBe('');
        expect(audit.code).toBe(0);
      } finally {
        await sql.end();
        await database.drop();
      }
    },
    240_000,
  );
});
