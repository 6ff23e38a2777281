import { createJiraEmulator } from '../../integrations/sandbox/jira/emulator';
import { createServiceNowEmulator } from '../../integrations/sandbox/servicenow/emulator';
import { createSlackEmulator } from '../../integrations/sandbox/slack/emulator';
import type { AlertSpec } from './payloads';
import { ALERTNAMES } from './payloads';

export const HOSTS = 500;

/** Deterministic pseudo-random numbers so every run replays the same storm. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/**
 * 10,000 alert notifications: 5,000 first firings (each of 500 hosts in 21 branches gets 10 of 20 alert
 * names), 3,000 repeats and 2,000 resolves, interleaved, grouped 10 per Alertmanager payload by alert name.
 */
export function stormPayloads(total: number): AlertSpec[][] {
  const rand = rng(42);
  const fired: AlertSpec[] = [];
  for (let h = 0; h < HOSTS; h++)
    for (let k = 0; k < 10; k++)
      fired.push({ host: h, alertname: ALERTNAMES[(h + k * 2) % ALERTNAMES.length]!, status: 'firing' });
  const firstCount = Math.round(total / 2);
  const events: AlertSpec[] = [];
  let next = 0;
  while (events.length < total) {
    const r = rand();
    if (next < firstCount && (r < 0.5 || next < 200)) events.push(fired[next++]!);
    else if (next > 0 && r < 0.8) events.push({ ...fired[Math.floor(rand() * next)]!, status: 'firing' });
    else if (next > 0) events.push({ ...fired[Math.floor(rand() * next)]!, status: 'resolved' });
  }
  // Group consecutive events by alert name into payloads of up to 10, as Alertmanager would.
  const payloads: AlertSpec[][] = [];
  const open = new Map<string, AlertSpec[]>();
  for (const e of events) {
    const batch = open.get(e.alertname) ?? [];
    batch.push(e);
    open.set(e.alertname, batch);
    if (batch.length === 10) {
      payloads.push(batch);
      open.delete(e.alertname);
    }
  }
  payloads.push(...open.values());
  return payloads;
}

/** The p-th percentile of sorted numbers (0 for none). */
export const pct = (xs: number[], p: number) =>
  xs.length ? xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! : 0;

/**
 * The storm's remote systems, in the benchmark process and shared by every instance under test, with
 * realistic limits; `yaml` and `env` configure a server for them.
 */
export async function startStormRemotes() {
  // ServiceNow and Jira emulators in this process with realistic limits: ServiceNow 4 concurrent
  // (semaphores) and 100 ms per call, Jira's per-issue write limit (20 per 2 s) and 50 ms per call.
  const sn = createServiceNowEmulator({ faults: { latencyMs: 100, maxConcurrent: 4 } });
  const jira = createJiraEmulator({
    projects: [{ key: 'OPS', issueTypes: ['Task'] }],
    faults: { latencyMs: 50 },
  });
  // Slack with its real limits (about 1 message per second per channel, short bursts): every incident
  // goes to one channel, the worst case for the per-channel limit.
  const slack = createSlackEmulator({ channels: [{ id: 'C0STORM01', name: 'dms-oncall' }] });
  const [snSrv, jiraSrv, slackSrv] = await Promise.all([sn.listen(), jira.listen(), slack.listen()]);
  const yaml =
    'routing:\n  defaults: { groupBy: [alertname] }\ncorrelation: { groupWait: 0 }\n' +
    'providers:\n  - name: infra\n    chat: { slackChannel: "#dms-oncall" }\n  - name: app\n' +
    `slack: { apiUrl: "${slackSrv.url}/" }\nteams: { enabled: false }\n` +
    `servicenow:\n  instanceUrl: ${snSrv.url}\n  auth: { type: basic, username: itsm.bridge, password: "\${SN_PASSWORD}" }\n` +
    `jira:\n  baseUrl: ${jiraSrv.url}\n  auth: { type: basic, email: itsm-bridge@example.com, apiToken: "\${JIRA_TOKEN}" }\n`;
  const env = {
    SN_PASSWORD: 'sandbox',
    JIRA_TOKEN: 'sandbox',
    SLACK_BOT_TOKEN: 'xoxb-sandbox',
    SLACK_SIGNING_SECRET: 'bench-signing-secret',
  };
  return {
    sn,
    jira,
    slack,
    yaml,
    env,
    close: () => Promise.all([snSrv.close(), jiraSrv.close(), slackSrv.close()]),
  };
}
