import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyAudit } from '../../src/app/verify-audit';
import { openSqliteStore } from '../../integrations/storage/sqlite/open-sqlite-store';
import { createJiraEmulator } from '../../integrations/sandbox/jira/emulator';
import { createServiceNowEmulator } from '../../integrations/sandbox/servicenow/emulator';
import { alertmanagerPayload } from '../helpers/alertmanager-payload';
import { childEnv, freePort, startChild, waitExit } from '../helpers/child-server';
import { runCli } from '../helpers/run-cli';
import { snTable, SN_PERSON } from '../helpers/servicenow-table';
import { seeded } from './storm';
import { ENGINEER_AUTH as ENGINEER } from '../helpers/sandbox-people';

/**
 * Chaos for the two-way sync: the real server as a child process with the sync on, next to a ServiceNow
 * and a Jira emulator configured as real instances (the Jira admin webhook and the business-rule push
 * set up as an administrator would, with their secrets). People comment on both sides and move the
 * ServiceNow lifecycle while the bridge is SIGKILLed and restarted `CHAOS_SYNC_KILLS` times (default 20;
 * CI runs the default). Jira retries its webhooks and the sweep catches what no retry delivered; the
 * push is retried once and the poll is the net. Afterwards: every comment is on the other side exactly
 * once and never came back, the states agree with the mapping, `sync check` finds nothing and the
 * audit chain verifies.
 */
const KILLS = Number(process.env.CHAOS_SYNC_KILLS ?? 20);
const SEED = Number(process.env.CHAOS_SEED ?? 11);
const INCIDENTS = 4;
const TOKEN = 'sync-chaos-webhook-token-0123';
const API = 'sync-chaos-api-token-0123456';
const JIRA_SECRET = 'sync-chaos-jira-webhook-secret-0123456789';
const PUSH_SECRET = 'sync-chaos-servicenow-push-secret-0123456';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const adf = (text: string) => ({
  type: 'doc',
  version: 1,
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
});

describe('chaos: SIGKILLs during two-way sync', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const stop of cleanup.reverse()) await stop().catch(() => undefined);
  });

  it(`copies every comment once, no echo, states by the mapping, no drift (${KILLS} kills)`, async () => {
    const random = seeded(SEED);
    const started = Date.now();
    const sn = createServiceNowEmulator({ faults: { latencyMs: 5 } });
    const jira = createJiraEmulator({ projects: [{ key: 'OPS', issueTypes: ['Task'] }] });
    // Jira Cloud retries a failed delivery up to 5 times with back-off; a bridge down for all of them is
    // what the sweep is for.
    jira.webhooks.settings.retryDelaysMs = [300, 800, 1500, 3000, 5000];
    const [snSrv, jiraSrv] = await Promise.all([sn.listen(), jira.listen()]);
    cleanup.push(async () => {
      await Promise.all([snSrv.close(), jiraSrv.close()]);
    });

    const dir = mkdtempSync(join(tmpdir(), 'itsm-sync-chaos-'));
    const dbPath = join(dir, 'sync-chaos.sqlite');
    writeFileSync(
      join(dir, 'itsm-bridge.yaml'),
      [
        'correlation: { groupWait: 0, resolveGrace: 1h }',
        'tickets: { pollInterval: 1, maxBackoff: 2s, noteInterval: 1h, reconcileInterval: 0 }',
        'slack: { enabled: false }',
        'teams: { enabled: false }',
        'providers: [{ name: infra }]',
        'routing: { defaults: { provider: infra, groupBy: [branch] } }',
        'servicenow:',
        `  instanceUrl: ${snSrv.url}`,
        '  auth: { type: basic, username: itsm.bridge, password: "${SN_PASSWORD}" }',
        '  sync: { pollInterval: 5, overlap: 5, pushSecret: "${SN_PUSH_SECRET}" }',
        'jira:',
        `  baseUrl: ${jiraSrv.url}`,
        '  auth: { type: basic, email: itsm-bridge@example.com, apiToken: "${JIRA_TOKEN}" }',
        'sync:',
        '  enabled: true',
        '  checkInterval: 0',
        '  closeCode: "Workaround provided"',
        '  jira: { webhookSecret: "${JIRA_WEBHOOK_SECRET}", sweepInterval: 2s, sweepWindow: 15m }',
        '',
      ].join('\n'),
    );
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = {
      ...childEnv({ port, dbPath, webhookToken: TOKEN, apiToken: API }),
      SN_PASSWORD: 'sandbox',
      JIRA_TOKEN: 'sandbox',
      SN_PUSH_SECRET: PUSH_SECRET,
      JIRA_WEBHOOK_SECRET: JIRA_SECRET,
      LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'error',
    };
    // What a Jira administrator and a ServiceNow administrator set up (docs/ticket-systems.md).
    jira.webhooks.register({
      name: 'itsm-bridge',
      url: `${base}/webhooks/jira`,
      events: ['jira:issue_updated', 'comment_created', 'comment_updated'],
      secret: JIRA_SECRET,
    });
    sn.push = { url: `${base}/webhooks/servicenow`, secret: PUSH_SECRET };

    let server = await startChild(env, dir);
    cleanup.push(async () => {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
      await waitExit(server.child);
    });

    // The pairs: one incident per branch, each with its ServiceNow incident and Jira issue.
    for (let i = 0; i < INCIDENTS; i++) {
      const res = await fetch(`${base}/webhooks/alertmanager`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify(
          alertmanagerPayload(`br-${i}`, [{ instance: `srv.br-${i}:9100`, fingerprint: `fp-${i}` }]),
        ),
      });
      expect(res.status).toBe(202);
    }
    const api = async <T>(path: string): Promise<T> =>
      (await (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${API}` } })).json()) as T;
    type Pair = { id: number; sysId: string; key: string };
    let pairs: Pair[] = [];
    for (let i = 0; i < 300 && pairs.length < INCIDENTS; i++) {
      const { incidents } = await api<{ incidents: { id: number }[] }>('/api/incidents');
      const details = await Promise.all(
        incidents.map((inc) =>
          api<{ id: number; tickets: { servicenow?: { sys_id?: string }; jira?: { key?: string } } }>(
            `/api/incidents/${inc.id}`,
          ),
        ),
      );
      pairs = details
        .filter((d) => d.tickets.servicenow?.sys_id && d.tickets.jira?.key)
        .map((d) => ({ id: d.id, sysId: d.tickets.servicenow!.sys_id!, key: d.tickets.jira!.key! }));
      if (pairs.length < INCIDENTS) await sleep(100);
    }
    expect(pairs).toHaveLength(INCIDENTS);

    // People at work. A request that fails (the emulators have no faults here) would be a test bug.
    const snCall = snTable(() => snSrv.url);
    const asEngineer = async (path: string, body: unknown) => {
      const res = await fetch(`${jiraSrv.url}/rest/api/3/${path}`, {
        method: 'POST',
        headers: { authorization: ENGINEER, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    const status = (key: string) => {
      const issue = jira.state.issues.find((i) => i.key === key)!;
      return jira.state.statuses.find((s) => s.id === issue.statusId)!;
    };
    const snState = (sysId: string) => sn.state.incidents.find((r) => r.sys_id === sysId)!;
    const tokens = { jira: [] as string[], workNote: [] as string[], customer: [] as string[] };
    const pairOf = new Map<string, string>();
    const done = new Set<string>();
    let n = 0;
    let stop = false;
    const busy = new Set<string>();
    const act = async () => {
      const p = pairs[Math.floor(random() * pairs.length)]!;
      busy.add(p.key);
      try {
        await actOn(p);
      } finally {
        busy.delete(p.key);
      }
    };
    const actOn = async (p: Pair) => {
      const r = random();
      const token = `tok-${String(n++).padStart(4, '0')}.`;
      pairOf.set(token, p.key);
      if (r < 0.35) {
        tokens.jira.push(token);
        await asEngineer(`issue/${p.key}/comment`, { body: adf(`Checked the uplink ${token}`) });
      } else if (r < 0.6) {
        tokens.workNote.push(token);
        await snCall(
          'PATCH',
          `/api/now/table/incident/${p.sysId}`,
          { work_notes: `Line ${token}` },
          SN_PERSON,
        );
      } else if (r < 0.8) {
        tokens.customer.push(token);
        await snCall(
          'PATCH',
          `/api/now/table/incident/${p.sysId}`,
          { comments: `Any news ${token}` },
          SN_PERSON,
        );
      } else if (!done.has(p.key)) {
        // The service desk puts the incident on hold or takes it back into work.
        const onHold = snState(p.sysId).state === '3';
        await snCall(
          'PATCH',
          `/api/now/table/incident/${p.sysId}`,
          onHold ? { state: '2', hold_reason: '' } : { state: '3', hold_reason: '1' },
          SN_PERSON,
        );
      }
    };
    const people = (async () => {
      while (!stop) {
        await act();
        await sleep(60 + Math.floor(random() * 120));
      }
    })();
    // Half way, the engineers finish half of the incidents in Jira — each once its Jira status shows
    // the last ServiceNow state change (a person acts on what they see, not on a change still in flight).
    /** The bridge has nothing left to send (false while it is down). */
    const outboxEmpty = async () => {
      try {
        const r = (await (await fetch(`${base}/readyz`)).json()) as {
          checks: { outbox: { pending: number } };
        };
        return r.checks.outbox.pending === 0;
      } catch {
        return false;
      }
    };
    const finish = async () => {
      for (const p of pairs.slice(0, INCIDENTS / 2)) {
        done.add(p.key);
        // Only once the service desk's last change of it has reached Jira and nothing is queued: Jira
        // done racing an On Hold still on its way is a conflict between two people (the transition
        // queued for the hold then moves Jira out of Done), not what a crash does.
        for (let i = 0; i < 600; i++) {
          if (busy.has(p.key)) {
            await sleep(50);
            continue;
          }
          const held = snState(p.sysId).state === '3';
          const shown = held ? status(p.key).name === 'Waiting' : status(p.key).category === 'indeterminate';
          if (shown && (await outboxEmpty())) break;
          await sleep(100);
        }
        const transition = jira.state.transitions.find((t) => t.name === 'Done')!;
        await asEngineer(`issue/${p.key}/transitions`, { transition: { id: transition.id } });
      }
    };

    const restarts: number[] = [];
    let finishing: Promise<void> | null = null;
    for (let k = 0; k < KILLS; k++) {
      if (k === Math.floor(KILLS / 2)) finishing = finish();
      await sleep(200 + Math.floor(random() * 600));
      server.child.kill('SIGKILL');
      await waitExit(server.child);
      const t = Date.now();
      server = await startChild(env, dir);
      restarts.push(Date.now() - t);
    }
    stop = true;
    await people;
    await finishing;

    // Settle: every comment across, the outbox empty, Jira's deliveries finished, for 7.5 s in a row —
    // longer than the ServiceNow poll's 5 s, which is what brings over a change whose push was lost to
    // the last kill (with 3 s, CI once stopped before it: On Hold in ServiceNow, Jira still In Progress).
    const across = () => {
      const journal = sn.state.journal.map((j) => String(j.value));
      const comments = jira.state.issues.flatMap((i) => i.comments.map((c) => JSON.stringify(c.body)));
      return {
        toServiceNow: tokens.jira.filter((t) => !journal.some((v) => v.includes(t))).length,
        toJira: [...tokens.workNote, ...tokens.customer].filter((t) => !comments.some((c) => c.includes(t)))
          .length,
      };
    };
    let quiet = 0;
    for (let i = 0; i < 360 && quiet < 30; i++) {
      const ready = (await (await fetch(`${base}/readyz`)).json()) as {
        checks: { outbox: { pending: number }; correlation: { pending: number } };
      };
      const a = across();
      const settled =
        a.toServiceNow === 0 &&
        a.toJira === 0 &&
        ready.checks.outbox.pending === 0 &&
        ready.checks.correlation.pending === 0;
      quiet = settled ? quiet + 1 : 0;
      await sleep(250);
    }
    await jira.webhooks.idle();
    server.child.kill('SIGTERM');
    await waitExit(server.child);

    // 1. Every comment on the other side exactly once, and never back on its own side.
    const count = (texts: string[], token: string) => texts.filter((t) => t.includes(token)).length;
    const journal = sn.state.journal.map((j) => String(j.value));
    const jiraTexts = jira.state.issues.flatMap((i) => i.comments.map((c) => JSON.stringify(c.body)));
    const wrong: string[] = [];
    for (const t of tokens.jira)
      if (count(journal, t) !== 1 || count(jiraTexts, t) !== 1)
        wrong.push(
          `Jira comment ${t} (${pairOf.get(t)}${done.has(pairOf.get(t)!) ? ' done' : ''}): ${count(journal, t)} in ServiceNow, ${count(jiraTexts, t)} in Jira`,
        );
    for (const t of [...tokens.workNote, ...tokens.customer])
      if (count(jiraTexts, t) !== 1 || count(journal, t) !== 1)
        wrong.push(
          `ServiceNow entry ${t} (${pairOf.get(t)}${done.has(pairOf.get(t)!) ? ' done' : ''}): ${count(jiraTexts, t)} in Jira, ${count(journal, t)} in ServiceNow`,
        );
    if (wrong.length > 0) console.log(server.output().slice(-20000));
    expect(wrong).toEqual([]);
    // Work notes by their element, customer comments marked as the customer's.
    for (const t of tokens.jira)
      expect(sn.state.journal.find((j) => String(j.value).includes(t))).toMatchObject({
        element: 'work_notes',
      });
    for (const t of tokens.customer)
      expect(jiraTexts.find((c) => c.includes(t))).toContain("[Customer's comment by ");

    // 2. States by the mapping: Jira done resolved ServiceNow with the close code; On Hold is Waiting,
    //    In Progress is a Jira status in progress.
    const states = pairs.map((p) => {
      const inc = snState(p.sysId);
      return {
        key: p.key,
        sn: inc.state,
        closeCode: inc.close_code ?? '',
        jira: status(p.key).name,
        cat: status(p.key).category,
      };
    });
    for (const s of states) {
      if (done.has(s.key))
        expect(s).toMatchObject({ sn: '6', closeCode: 'Workaround provided', cat: 'done' });
      else if (s.sn === '3') expect(s).toMatchObject({ jira: 'Waiting' });
      else expect(s).toMatchObject({ sn: expect.stringMatching(/^[12]$/), cat: 'indeterminate' });
    }

    // 3. The drift check finds nothing.
    const check = await runCli(['sync', 'check', '--since', '2000-01-01'], env, dir);
    expect({ code: check.code, stderr: check.stderr }).toEqual({ code: 0, stderr: '' });
    expect(check.stdout).toContain(`${INCIDENTS} linked pair(s) checked, 0 drifted`);

    // 4. The audit chain verifies after all of it.
    const audit = await openSqliteStore(`sqlite:${dbPath}`);
    expect(await verifyAudit(audit)).toMatchObject({ ok: true });
    await audit.close();

    const deliveries = jira.webhooks.deliveries;
    console.log(
      `sync chaos figures ${JSON.stringify({
        kills: KILLS,
        seed: SEED,
        seconds: Math.round((Date.now() - started) / 1000),
        jiraComments: tokens.jira.length,
        workNotes: tokens.workNote.length,
        customerComments: tokens.customer.length,
        jiraDeliveries: deliveries.length,
        jiraDeliveriesFailed: deliveries.filter((d) => d.status !== 200).length,
        pushesDelivered: sn.pushes.delivered,
        pushesFailed: sn.pushes.failed,
        restartMsMedian: restarts.sort((a, b) => a - b)[Math.floor(restarts.length / 2)] ?? 0,
        states,
      })}`,
    );
  });
});
