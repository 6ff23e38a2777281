import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { verifyAudit } from '../../src/app/verify-audit';
import { openSqliteStore } from '../../integrations/storage/sqlite/open-sqlite-store';
import {
  createJiraEmulator,
  retryAfterViolations,
  type CallLogEntry,
} from '../../integrations/sandbox/jira/emulator';
import { createServiceNowEmulator } from '../../integrations/sandbox/servicenow/emulator';
import { createSlackEmulator } from '../../integrations/sandbox/slack/emulator';
import { childEnv, freePort, startChild, waitExit } from '../helpers/child-server';
import { slackHeaders, slashBody } from '../helpers/slack-requests';
import { seeded, storm, type Delivery } from './storm';

/**
 * Chaos: the real server as a child process, SIGKILLed and restarted at random while alert storms from
 * every source (with HA twins), chat traffic and faulty remotes (429 with Retry-After, 5xx, answers lost
 * after the write was applied) run through it. Afterwards the invariants of docs/reliability.md must
 * hold. `CHAOS_KILLS` sets the number of kills (CI: 50; default 200, the long run), `CHAOS_SEED` the
 * storm, `CHAOS_REPORT` a file for the figures (docs/reliability.md quotes them).
 */
const KILLS = Number(process.env.CHAOS_KILLS ?? 200);
const SEED = Number(process.env.CHAOS_SEED ?? 12);
const BRANCHES = 24;
const TOKEN = 'chaos-webhook-token-0123456789';
const API = 'chaos-api-token-0123456789';
const SIGNING = 'chaos-signing-secret-0123456789';
const BOT = 'xoxb-chaos-bot-token';
/** The bridge gives up on a remote call after this; the emulators hold "lost" answers longer. */
const CLIENT_TIMEOUT_MS = 1000;
/**
 * How long the first two ServiceNow creates wait in the emulator's queue before they are applied (as
 * behind ServiceNow's semaphores): longer than their retry can take — back-off, or a kill and the 30 s
 * claim lease — so the retry's look-up misses them and creates a second incident, the twin the
 * reconciler has to cancel when the queued one lands.
 */
const QUEUED_CREATE_MS = 45_000;
/** How long a created Jira issue stays invisible to search. */
const SEARCH_LAG_MS = 8000;
/**
 * How long the issues made by the scripted lost creates stay invisible: longer than their retry can
 * take, so each one leaves a twin for the reconciler. With kills, restarts, back-off and the lane's queue
 * in between, a retry came later than 4 s and later than 8 s in CI, found its issue, and left none.
 */
const LOST_CREATE_LAG_MS = 60_000;

/** Which requests a 429's Retry-After binds (default: every request to that system). */
type Scope = (limited: CallLogEntry, later: CallLogEntry) => boolean;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('chaos: SIGKILLs, storms, chat and faulty remotes', () => {
  // What to stop if the run fails halfway (the last server child and the emulators' ports).
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const stop of cleanup.reverse()) await stop().catch(() => undefined);
  });

  it(`keeps every acknowledged alert, one ticket per system per incident, Retry-After and limits (${KILLS} kills)`, async () => {
    const random = seeded(SEED);
    const started = Date.now();
    const faults = {
      latencyMs: 15,
      errorRate: 0.04,
      rateLimitRate: 0.04,
      retryAfterSeconds: 1,
      timeoutRate: 0.02,
      timeoutMs: CLIENT_TIMEOUT_MS + 500,
      random,
    };
    const sn = createServiceNowEmulator({ faults: { ...faults, maxConcurrent: 4 } });
    for (let i = 0; i < 2; i++)
      sn.faults.script.push({
        kind: 'queued',
        method: 'POST',
        path: '/table/incident',
        holdMs: QUEUED_CREATE_MS,
      });
    const jira = createJiraEmulator({
      projects: [{ key: 'OPS', issueTypes: ['Task'] }],
      faults,
    });
    // The first creates lose their answer for sure and stay out of search until well after their retry:
    // duplicates the reconciler has to find. The other issues get the usual lag once those are made.
    for (let i = 0; i < 3; i++)
      jira.faults.script.push({
        kind: 'timeout',
        method: 'POST',
        path: '/issue',
        holdMs: CLIENT_TIMEOUT_MS + 500,
      });
    jira.settings.searchLagMs = LOST_CREATE_LAG_MS;
    const lagBack = setInterval(() => {
      if (jira.faults.script.length > 0) return;
      jira.settings.searchLagMs = SEARCH_LAG_MS;
      clearInterval(lagBack);
    }, 20);
    cleanup.push(async () => clearInterval(lagBack));
    const slack = createSlackEmulator({
      tokens: [BOT],
      channels: [{ id: 'C0INFRA001', name: 'dms-infra-oncall' }],
      users: [
        { id: 'U0JONAS001', name: 'jonas', real_name: 'Jonas Weber', email: 'jonas.weber@example.com' },
      ],
      faults: { errorRate: 0.02, rateLimitRate: 0.02, retryAfterSeconds: 1, random },
    });
    const [snSrv, jiraSrv, slackSrv] = await Promise.all([sn.listen(), jira.listen(), slack.listen()]);
    let closed = false;
    cleanup.push(async () => {
      if (!closed) await Promise.all([snSrv.close(), jiraSrv.close(), slackSrv.close()]);
    });

    const dir = mkdtempSync(join(tmpdir(), 'itsm-chaos-'));
    const dbPath = join(dir, 'chaos.sqlite');
    writeFileSync(
      join(dir, 'itsm-bridge.yaml'),
      [
        'correlation: { groupWait: 0, resolveGrace: 300 }',
        'tickets: { pollInterval: 1, maxBackoff: 2s, noteInterval: 2s, reconcileInterval: 1s, reconcileLookback: 1h }',
        `slack: { apiUrl: "${slackSrv.url}/", updateInterval: 1 }`,
        'teams: { enabled: false }',
        'providers:',
        '  - name: infra',
        '    chat: { slackChannel: "#dms-infra-oncall" }',
        '    members: { slack: [U0JONAS001] }',
        'routing: { defaults: { provider: infra, groupBy: [branch] } }',
        'servicenow:',
        `  instanceUrl: ${snSrv.url}`,
        '  auth: { type: basic, username: itsm.bridge, password: "${SN_PASSWORD}" }',
        `  timeoutMs: ${CLIENT_TIMEOUT_MS}`,
        'jira:',
        `  baseUrl: ${jiraSrv.url}`,
        '  auth: { type: basic, email: itsm-bridge@example.com, apiToken: "${JIRA_TOKEN}" }',
        `  timeoutMs: ${CLIENT_TIMEOUT_MS}`,
        '',
      ].join('\n'),
    );
    const port = await freePort();
    const env = {
      ...childEnv({ port, dbPath, webhookToken: TOKEN, apiToken: API }),
      SN_PASSWORD: 'sandbox',
      JIRA_TOKEN: 'sandbox',
      SLACK_BOT_TOKEN: BOT,
      SLACK_SIGNING_SECRET: SIGNING,
    };
    const base = `http://127.0.0.1:${port}`;

    // Senders behave like the monitoring systems: deliver until a 2xx, retrying refused connections,
    // resets and 5xx after a short pause. Only a 202 counts as acknowledged.
    const deliveries = storm({ count: Math.max(250, KILLS * 5), branches: BRANCHES, random });
    const acked = new Set<number>();
    const counts = { deliveries: 0, attempts: 0, refused: 0, rejected: 0, slash: 0, slashOk: 0 };
    const post = async (d: Delivery): Promise<boolean> => {
      counts.attempts++;
      try {
        const res = await fetch(`${base}/webhooks/${d.source}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
          body: d.body,
        });
        if (res.status === 202) {
          for (const id of ((await res.json()) as { alerts: number[] }).alerts) acked.add(id);
          return true;
        }
        if (res.status < 500) counts.rejected++;
        await res.body?.cancel();
        return res.status < 500; // a 4xx would be a bug in the storm: counted, not retried
      } catch {
        counts.refused++;
        return false;
      }
    };
    const deliver = async (d: Delivery) => {
      while (!(await post(d))) await sleep(100);
    };
    const queue = [...deliveries];
    let stopChat = false;
    const senders = Array.from({ length: 4 }, async () => {
      while (queue.length > 0) {
        const d = queue.shift()!;
        counts.deliveries++;
        await Promise.all(d.twin ? [deliver(d), deliver(d)] : [deliver(d)]);
        await sleep(Math.floor(random() * 40 * (KILLS / 50)));
      }
    });
    const chat = (async () => {
      while (!stopChat) {
        const body = slashBody({ text: 'list', user: 'U0JONAS001', channel: 'C0INFRA001' });
        counts.slash++;
        try {
          const res = await fetch(`${base}/slack/events`, {
            method: 'POST',
            headers: slackHeaders(body, { secret: SIGNING }),
            body,
          });
          if (res.ok) counts.slashOk++;
          await res.body?.cancel();
        } catch {
          /* down: Slack would show the user an error; nothing to retry */
        }
        await sleep(250);
      }
    })();

    const loop = monitorEventLoopDelay({ resolution: 20 });
    loop.enable();
    let server = await startChild(env, dir);
    cleanup.push(async () => {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    });
    const restarts: number[] = [];
    const killedAt: number[] = [];
    for (let k = 0; k < KILLS; k++) {
      await sleep(150 + Math.floor(random() * 450));
      killedAt.push(Date.now());
      server.child.kill('SIGKILL');
      await waitExit(server.child);
      const t = Date.now();
      server = await startChild(env, dir);
      restarts.push(Date.now() - t);
    }
    await Promise.all(senders);
    stopChat = true;
    await chat;
    loop.disable();

    // Settle: inbox and outbox drained, and every twin the reconciler can see closed (once the search
    // index has caught up with every issue).
    type Ready = {
      checks: { outbox: { pending: number; parked: number }; correlation: { pending: number } };
    };
    let ready: Ready | null = null;
    const open = () => jira.state.issues.filter((i) => !i.labels.includes('itsm-bridge-duplicate'));
    // ServiceNow incidents still carrying an incident's key: the twins lose it when they are cancelled.
    const keyed = () => sn.state.incidents.filter((r) => r.correlation_id !== '');
    const store = () => new BetterSqlite3(dbPath, { readonly: true });
    for (let i = 0; i < 600; i++) {
      ready = (await (await fetch(`${base}/readyz`)).json()) as Ready;
      const db = store();
      const { n } = db.prepare('select count(*) n from incidents').get() as { n: number };
      db.close();
      if (
        ready.checks.outbox.pending === 0 &&
        ready.checks.correlation.pending === 0 &&
        open().length === n &&
        sn.queuedRequests() === 0 &&
        keyed().length === n &&
        Date.now() - Math.max(...jira.state.issues.map((x) => x.indexedAt)) > 2000
      )
        break;
      await sleep(250);
    }
    server.child.kill('SIGTERM');
    await waitExit(server.child);
    await Promise.all([snSrv.close(), jiraSrv.close(), slackSrv.close()]);
    closed = true;

    // 1. Every acknowledged alert is stored and belongs to an incident.
    const db = store();
    const rows = new Map(
      (
        db.prepare('select id, incident_id from alerts').all() as { id: number; incident_id: number | null }[]
      ).map((r) => [r.id, r.incident_id]),
    );
    const lost = [...acked].filter((id) => !rows.has(id));
    const orphans = [...acked].filter((id) => rows.has(id) && rows.get(id) === null);
    const incidents = db.prepare('select key, tickets from incidents').all() as {
      key: string;
      tickets: string;
    }[];
    db.close();
    expect(lost).toEqual([]);
    expect(orphans).toEqual([]);
    expect(counts.rejected).toBe(0);

    // 2. Exactly one ServiceNow incident per incident carrying its key and one open Jira issue — the ones
    //    the store holds; every twin cancelled (ServiceNow) or closed and linked (Jira) as a duplicate.
    const snByKey = new Map<string, number>();
    for (const r of keyed())
      snByKey.set(String(r.correlation_id), (snByKey.get(String(r.correlation_id)) ?? 0) + 1);
    // On a mismatch, what each side holds for the keys concerned, to tell a twin from a lost create.
    const keys = new Set(incidents.map((i) => i.key));
    const wrong = incidents.filter((i) => snByKey.get(i.key) !== 1).map((i) => i.key);
    const strays = keyed().filter((r) => !keys.has(String(r.correlation_id)));
    if (wrong.length > 0 || strays.length > 0) {
      const db2 = store();
      const outbox = db2
        .prepare(
          `select o.id, i.key, i.tickets, o.lane, o.kind, o.state, o.attempts, o.last_error, o.updated_at from outbox o
           join incidents i on i.id = o.incident_id where o.lane = 'servicenow' and o.kind = 'create'
           and i.key in (${wrong.map(() => '?').join(',') || "''"})`,
        )
        .all(...wrong);
      db2.close();
      // Creates and look-ups by key (the path without a sys_id), with what the emulator answered.
      const calls = sn.state.callLog
        .filter((c) => c.path.endsWith('/table/incident'))
        .map((c) => ({ ...c, query: decodeURIComponent(c.query).slice(0, 60) }));
      console.log(
        'servicenow mismatch',
        JSON.stringify({
          wrong,
          snRecords: sn.state.incidents
            .filter((r) => wrong.includes(String(r.correlation_id)) || strays.includes(r))
            .map((r) => ({ number: r.number, key: r.correlation_id, created: r.sys_created_on })),
          outbox,
          calls,
        }),
      );
    }
    expect(keyed()).toHaveLength(incidents.length);
    for (const inc of incidents) expect([inc.key, snByKey.get(inc.key)]).toEqual([inc.key, 1]);
    const storedSn = new Map(
      incidents.map((i) => [
        i.key,
        (JSON.parse(i.tickets) as { servicenow?: { sys_id: string; number: string } }).servicenow,
      ]),
    );
    for (const r of keyed()) expect(storedSn.get(String(r.correlation_id))?.sys_id).toBe(r.sys_id);
    const snTwins = sn.state.incidents.filter((r) => r.correlation_id === '');
    const storedNumbers = new Set([...storedSn.values()].map((t) => t?.number));
    for (const t of snTwins) {
      expect(t).toMatchObject({ state: '8', correlation_display: 'itsm-bridge duplicate' });
      const note = sn.state.journal.find(
        (j) => j.element_id === t.sys_id && String(j.value).startsWith('Duplicate of '),
      );
      expect(storedNumbers.has(/^Duplicate of (\S+):/.exec(String(note?.value))?.[1])).toBe(true);
    }
    expect(snTwins.length).toBeGreaterThanOrEqual(1); // the scripted queued creates made at least one
    const storedJira = new Set(
      incidents.map((i) => (JSON.parse(i.tickets) as { jira?: { key: string } }).jira?.key),
    );
    expect(
      open()
        .map((i) => i.key)
        .sort(),
    ).toEqual([...storedJira].sort());
    const twins = jira.state.issues.filter((i) => i.labels.includes('itsm-bridge-duplicate'));
    const doneIds = new Set(jira.state.statuses.filter((s) => s.category === 'done').map((s) => s.id));
    for (const t of twins) {
      expect(doneIds.has(t.statusId)).toBe(true);
      const link = t.remoteLinks.find((l) => l.globalId?.startsWith('duplicate-of='));
      expect(storedJira.has(link?.globalId?.slice('duplicate-of='.length))).toBe(true);
    }
    expect(twins.length).toBeGreaterThanOrEqual(1); // the scripted lost answers made at least one

    // 3. No request before its Retry-After; ServiceNow's 4 semaphores and Jira's per-issue limit held.
    // A request already on its way when the 429 left the remote cannot have known of it: the remote
    // logs arrival times, the client learns of the 429 a little later (more so on a loaded machine). So
    // the assertion counts requests arriving RACE_MS or more after a 429 inside its Retry-After; the
    // strict count (from the 429's own timestamp) is reported beside it.
    const RACE_MS = 100;
    const early = (log: readonly CallLogEntry[], sameScope: Scope = () => true) => {
      const all = retryAfterViolations(log, sameScope).map((later) => {
        const limited = log
          .filter(
            (c) =>
              sameScope(c, later) &&
              c.status === 429 &&
              c.fault !== 'timeout' &&
              c.retryAfterSeconds !== null &&
              c.finishedAt !== null &&
              c.finishedAt <= later.at &&
              later.at < c.finishedAt + c.retryAfterSeconds * 1000,
          )
          .pop()!;
        return {
          request: `${later.method} ${later.path}`,
          msAfter429: later.at - limited.finishedAt!,
          restartBetween: killedAt.some((t) => t > limited.finishedAt! && t < later.at),
          // The 429 went to a process killed while its request was on its way: nobody read it.
          senderKilled: killedAt.some((t) => t >= limited.at && t <= limited.finishedAt!),
        };
      });
      const late = all.filter((v) => v.msAfter429 >= RACE_MS);
      // The Retry-After gate lives in the process: a restart quicker than the wait forgets it. A known
      // open defect (docs/reliability.md), counted apart so that it stays visible; within one process
      // the promise is asserted. So is a 429 answered after its sender was killed (the request was on
      // its way): no process ever read it, and the restarted one cannot know of it (CI saw this once).
      return {
        strict: all.length,
        late: late.filter((v) => !v.restartBetween && !v.senderKilled),
        acrossRestart: late.filter((v) => v.restartBetween || v.senderKilled).length,
      };
    };
    const beforeRetryAfter = {
      servicenow: early(sn.state.callLog),
      jira: early(jira.state.callLog),
      // Slack limits each Web API method on its own (tiers per method, chat.postMessage per channel):
      // a 429 on users.info says nothing about chat.postMessage.
      slack: early(slack.calls, (a, b) => a.path === b.path),
    };
    const perIssue429 = jira.state.callLog.filter((c) => c.status === 429 && c.fault === null).length;
    const figures = {
      kills: KILLS,
      seed: SEED,
      seconds: Math.round((Date.now() - started) / 1000),
      deliveries: counts.deliveries,
      attempts: counts.attempts,
      refusedOrReset: counts.refused,
      acknowledgedAlerts: acked.size,
      incidents: incidents.length,
      serviceNowIncidents: sn.state.incidents.length,
      jiraIssues: jira.state.issues.length,
      jiraDuplicatesClosed: twins.length,
      serviceNowDuplicatesCanceled: snTwins.length,
      slackMessages: slack.messages('dms-infra-oncall').length,
      slashCommands: counts.slash,
      slashAnswered: counts.slashOk,
      injected: {
        servicenow: faultCounts(sn.state.callLog),
        jira: faultCounts(jira.state.callLog),
        slack: faultCounts(slack.calls),
      },
      requestsBeforeRetryAfter: {
        strict: Object.fromEntries(Object.entries(beforeRetryAfter).map(([k, v]) => [k, v.strict])),
        beyondRace: Object.fromEntries(Object.entries(beforeRetryAfter).map(([k, v]) => [k, v.late.length])),
        acrossRestart: Object.fromEntries(
          Object.entries(beforeRetryAfter).map(([k, v]) => [k, v.acrossRestart]),
        ),
      },
      serviceNowPeakInFlight: sn.inFlightPeak(),
      jiraPerIssue429: perIssue429,
      restartMsMedian: restarts.sort((a, b) => a - b)[Math.floor(restarts.length / 2)] ?? 0,
      testEventLoopMaxMs: Math.round(loop.max / 1e6),
    };
    console.log(`chaos figures ${JSON.stringify(figures)}`);
    if (process.env.CHAOS_REPORT)
      writeFileSync(process.env.CHAOS_REPORT, `${JSON.stringify(figures, null, 2)}\n`);
    expect({
      servicenow: beforeRetryAfter.servicenow.late,
      jira: beforeRetryAfter.jira.late,
      slack: beforeRetryAfter.slack.late,
    }).toEqual({ servicenow: [], jira: [], slack: [] });
    expect(sn.inFlightPeak()).toBeLessThanOrEqual(4);
    expect(perIssue429).toBe(0);
    expect(ready?.checks.outbox).toMatchObject({ pending: 0, parked: 0 });

    // 4. The audit chain verifies after all of it, and names the twins closed (a kill between a close and
    //    its audit record can lose the record, never invent one).
    const audit = await openSqliteStore(`sqlite:${dbPath}`);
    expect(await verifyAudit(audit)).toMatchObject({ ok: true });
    await audit.close();
    const db3 = store();
    const closedAudited = (
      db3.prepare("select data from audit_log where action = 'ticket.duplicate_closed'").all() as {
        data: string;
      }[]
    ).map((r) => JSON.parse(r.data) as { system: string; duplicate: string });
    db3.close();
    const twinKeys = {
      jira: new Set(twins.map((t) => t.key)),
      servicenow: new Set(snTwins.map((t) => String(t.number))),
    };
    for (const c of closedAudited)
      expect(twinKeys[c.system as 'jira' | 'servicenow'].has(c.duplicate)).toBe(true);
    for (const system of ['jira', 'servicenow'] as const)
      expect(closedAudited.filter((c) => c.system === system).length).toBeGreaterThanOrEqual(1);
  });
});

function faultCounts(log: readonly { fault: string | null }[]): Record<string, number> {
  const out: Record<string, number> = { requests: log.length };
  for (const c of log) if (c.fault) out[c.fault] = (out[c.fault] ?? 0) + 1;
  return out;
}
