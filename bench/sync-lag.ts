import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load-config';
import { startApp } from '../src/main';
import type { Logger } from '../src/ports/logger';
import { SANDBOX_IDENTITIES } from '../integrations/sandbox/sandbox-identities';
import { alertmanagerPayload } from './lib/payloads';
import { round } from './lib/load';
import { writeBenchSection } from './lib/report';

const TOKEN = 'bench-token-0123456789abcdef';
const API = 'bench-api-token-0123456789abcdef';
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : 0;
};
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `npm run bench -- sync-lag [--samples 50] [--latency 100] [--poll-samples 20] [--poll-interval 5]
 * [--no-write]`: the real server with sync enabled and the ServiceNow and Jira sandboxes answering every
 * request after `--latency` ms. Measures, one change at a time, the time from a person's change being
 * accepted by one system to the copy being readable in the other: a Jira comment → ServiceNow work note
 * (through the signed Jira webhook), a ServiceNow customer comment → Jira comment through the
 * business-rule push, and then the same with the push off, found by the poll every `--poll-interval`
 * seconds (the configuration's minimum is 5). The emulators run in the server's process (as in the
 * quick start), so their work is billed to it. `--no-write` prints without touching docs/benchmarks.md.
 */
export async function main(argv: string[]): Promise<void> {
  const arg = (name: string, d: number) =>
    argv.includes(name) ? Number(argv[argv.indexOf(name) + 1] || d) || d : d;
  const samples = arg('--samples', 50);
  const latency = arg('--latency', 100);
  const pollSamples = arg('--poll-samples', 20);
  const pollInterval = Math.max(5, arg('--poll-interval', 5));
  const write = !argv.includes('--no-write');

  const dir = mkdtempSync(join(tmpdir(), 'itsm-bench-sync-'));
  const file = join(dir, 'itsm-bridge.yaml');
  writeFileSync(
    file,
    `correlation: { groupWait: 0 }
slack: { enabled: false }
teams: { enabled: false }
sync: { enabled: true, checkInterval: 0, jira: { sweepInterval: 0 } }
servicenow: { sync: { pollInterval: ${pollInterval}, overlap: 5 } }
`,
  );
  const loaded = loadConfig({
    file,
    cwd: dir,
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${join(dir, 'bench.sqlite')}`,
      WEBHOOK_TOKEN: TOKEN,
      API_TOKEN: API,
    },
  });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const app = await startApp({ loaded: loaded.value, logger: quiet });
  const sn = app.sandboxes.servicenow!;
  const jira = app.sandboxes.jira!;
  const api = async (path: string) =>
    (await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${API}` } })).json() as Promise<{
      incidents: { tickets: { servicenow: { sys_id: string } | null; jira: { key: string } | null } }[];
    }>;
  const until = async (ok: () => boolean | Promise<boolean>, ms = 30_000) => {
    for (const end = Date.now() + ms; Date.now() < end; await sleep(10)) if (await ok()) return true;
    return false;
  };
  const load = loadavg()[0]!.toFixed(1);
  try {
    await fetch(`${app.url}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: alertmanagerPayload([{ host: 1, alertname: 'DmsBranchDown', status: 'firing' }], '{}:{g="sync"}'),
    });
    let sysId = '';
    let key = '';
    if (
      !(await until(async () => {
        const t = (await api('/api/incidents')).incidents[0]?.tickets;
        sysId = t?.servicenow?.sys_id ?? '';
        key = t?.jira?.key ?? '';
        return sysId !== '' && key !== '';
      }))
    )
      throw new Error('the tickets were not created');
    sn.faults.latencyMs = latency;
    jira.faults.latencyMs = latency;

    const jiraToSn: number[] = [];
    const snToJira: number[] = [];
    const engineer = basic('engineer@example.com', 'sandbox');
    const desk = basic(
      SANDBOX_IDENTITIES.servicenow.human.userName,
      SANDBOX_IDENTITIES.servicenow.human.password,
    );
    const issue = () => jira.state.issues.find((x) => x.key === key)!;
    /** A customer comment written in ServiceNow by the person; the time until Jira has its copy. */
    const customerComment = async (text: string): Promise<number> => {
      const patched = await fetch(`${app.url}/sandbox/servicenow/api/now/table/incident/${sysId}`, {
        method: 'PATCH',
        headers: { authorization: desk, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ comments: text }),
      });
      if (patched.status !== 200) throw new Error(`ServiceNow comment: ${patched.status}`);
      const t = performance.now();
      const arrived = () => issue().comments.some((c) => JSON.stringify(c.body).includes(text));
      if (!(await until(arrived, 30_000 + pollInterval * 2000)))
        throw new Error(`Jira comment ${text} did not arrive`);
      return performance.now() - t;
    };
    for (let i = 0; i < samples; i++) {
      const token = `jira-${i}-${Date.now()}`;
      const res = await fetch(`${app.url}/sandbox/jira/rest/api/3/issue/${key}/comment`, {
        method: 'POST',
        headers: { authorization: engineer, 'content-type': 'application/json' },
        body: JSON.stringify({
          body: {
            type: 'doc',
            version: 1,
            content: [{ type: 'paragraph', content: [{ type: 'text', text: token }] }],
          },
        }),
      });
      if (res.status !== 201) throw new Error(`Jira comment: ${res.status}`);
      const t1 = performance.now();
      if (!(await until(() => sn.state.journal.some((j) => String(j.value).includes(token)))))
        throw new Error(`work note ${token} did not arrive`);
      jiraToSn.push(performance.now() - t1);

      snToJira.push(await customerComment(`servicenow-${i}-${Date.now()}`));
    }
    // Push off (the business rule not installed): only the poll finds the change. Each sample starts at
    // a random point of the poll's cycle, as a person's edit would.
    sn.push = null;
    const pushed = () => sn.pushes.delivered + sn.pushes.failed + sn.pushes.pending;
    const pushedBefore = pushed();
    const polled: number[] = [];
    for (let i = 0; i < pollSamples; i++) {
      await sleep(Math.random() * pollInterval * 1000);
      polled.push(await customerComment(`polled-${i}-${Date.now()}`));
    }
    if (pushed() !== pushedBefore) throw new Error('a change was pushed while the push was off');
    const row = (name: string, xs: number[]) =>
      `| ${name} | ${xs.length} | ${round(pct(xs, 50))} | ${round(pct(xs, 95))} | ${round(Math.max(...xs))} |`;
    const md = `## Sync lag (\`npm run bench -- sync-lag\`)

\`npm run bench -- sync-lag --samples ${samples} --latency ${latency} --poll-samples ${pollSamples} --poll-interval ${pollInterval}\`: the real server with \`sync.enabled\`, the
ServiceNow and Jira sandboxes in its process answering every request after ${latency} ms. One change at a
time: the time from the remote's answer to a person's change until the copy is readable in the other
system (Jira → ServiceNow through the signed Jira webhook; ServiceNow → Jira through the business-rule
push, then by the poll alone); each copy is one outbox command, i.e. at least one ${latency} ms request plus the webhook or push.
Load average at the start: ${load}. Target (issue 11): Jira comment → ServiceNow work note p95 < 2 s.

| direction | samples | p50 ms | p95 ms | max ms |
|---|---:|---:|---:|---:|
${row('Jira comment → ServiceNow work note (webhook)', jiraToSn)}
${row('ServiceNow customer comment → Jira comment (push)', snToJira)}
${row(`ServiceNow customer comment → Jira comment (poll every ${pollInterval} s, push off)`, polled)}

- Target p95 < 2 s: ${pct(jiraToSn, 95) < 2000 ? 'met' : 'NOT met'} (${round(pct(jiraToSn, 95))} ms).
- Via polling the lag is where in the poll's cycle the change falls (up to \`servicenow.sync.pollInterval\`,
  30 s by default, ${pollInterval} s here; the poller wakes every second) plus one cycle; the push is
  what makes it seconds.`;
    if (write) writeBenchSection('sync-lag', md);
    process.stdout.write(`${md}\n`);
  } finally {
    await app.close();
  }
}
