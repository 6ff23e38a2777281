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
 * `npm run bench -- sync-lag [--samples 50] [--latency 100]`: the real server with sync enabled and the
 * ServiceNow and Jira sandboxes answering every request after `--latency` ms. Measures, one change at a
 * time, the time from a person's change being accepted by one system to the copy being readable in the
 * other: a Jira comment → ServiceNow work note (through the signed Jira webhook), and a ServiceNow
 * customer comment → Jira comment (through the business-rule push). The emulators run in the server's
 * process (as in the quick start), so their work is billed to it.
 */
export async function main(argv: string[]): Promise<void> {
  const arg = (name: string, d: number) => Number(argv[argv.indexOf(name) + 1] || d) || d;
  const samples = arg('--samples', 50);
  const latency = arg('--latency', 100);

  const dir = mkdtempSync(join(tmpdir(), 'itsm-bench-sync-'));
  const file = join(dir, 'itsm-bridge.yaml');
  writeFileSync(
    file,
    `correlation: { groupWait: 0 }
slack: { enabled: false }
teams: { enabled: false }
sync: { enabled: true, checkInterval: 0, jira: { sweepInterval: 0 } }
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

      const back = `servicenow-${i}-${Date.now()}`;
      const patched = await fetch(`${app.url}/sandbox/servicenow/api/now/table/incident/${sysId}`, {
        method: 'PATCH',
        headers: { authorization: desk, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ comments: back }),
      });
      if (patched.status !== 200) throw new Error(`ServiceNow comment: ${patched.status}`);
      const t2 = performance.now();
      const issue = () => jira.state.issues.find((x) => x.key === key)!;
      if (!(await until(() => issue().comments.some((c) => JSON.stringify(c.body).includes(back)))))
        throw new Error(`Jira comment ${back} did not arrive`);
      snToJira.push(performance.now() - t2);
    }
    const row = (name: string, xs: number[]) =>
      `| ${name} | ${xs.length} | ${round(pct(xs, 50))} | ${round(pct(xs, 95))} | ${round(Math.max(...xs))} |`;
    const md = `## Sync lag (\`npm run bench -- sync-lag\`)

\`npm run bench -- sync-lag --samples ${samples} --latency ${latency}\`: the real server with \`sync.enabled\`, the
ServiceNow and Jira sandboxes in its process answering every request after ${latency} ms. One change at a
time: the time from the remote's answer to a person's change until the copy is readable in the other
system (Jira → ServiceNow through the signed Jira webhook; ServiceNow → Jira through the business-rule
push); each copy is one outbox command, i.e. at least one ${latency} ms request plus the webhook or push.
Load average at the start: ${load}. Target (issue 11): Jira comment → ServiceNow work note p95 < 2 s.

| direction | samples | p50 ms | p95 ms | max ms |
|---|---:|---:|---:|---:|
${row('Jira comment → ServiceNow work note (webhook)', jiraToSn)}
${row('ServiceNow customer comment → Jira comment (push)', snToJira)}

- Target p95 < 2 s: ${pct(jiraToSn, 95) < 2000 ? 'met' : 'NOT met'} (${round(pct(jiraToSn, 95))} ms).
- Not measured here: ServiceNow → Jira by polling only (that lag is the poll interval, 30 s by default, plus
  one cycle; see the poll-cycle section).`;
    writeBenchSection('sync-lag', md);
    process.stdout.write(`${md}\n`);
  } finally {
    await app.close();
  }
}
