import BetterSqlite3 from 'better-sqlite3';
import { alertmanagerPayload, BRANCHES } from './lib/payloads';
import { round } from './lib/load';
import { startBridge } from './lib/processes';
import { retryAfterViolations } from '../integrations/sandbox/faults';
import { writeBenchSection } from './lib/report';
import { HOSTS, pct, startStormRemotes, stormPayloads } from './lib/storm-load';

const TOKEN = 'bench-token-0123456789abcdef';

/** `npm run bench -- storm [--alerts 10000] [--seconds 60]` */
export async function main(argv: string[]): Promise<void> {
  const arg = (name: string, d: number) => Number(argv[argv.indexOf(name) + 1] || d) || d;
  const total = arg('--alerts', 10_000);
  const seconds = arg('--seconds', 60);
  const payloads = stormPayloads(total);
  const remotes = await startStormRemotes();
  const { sn, jira, slack, yaml } = remotes;
  const bridge = await startBridge(yaml, TOKEN, remotes.env);
  const url = `${bridge.url}/webhooks/alertmanager`;
  process.stdout.write(`storm: ${total} alerts in ${payloads.length} payloads over ${seconds}s to ${url}\n`);
  const started = Date.now();
  let refused = 0;
  for (let i = 0; i < payloads.length; i++) {
    const due = started + (i / payloads.length) * seconds * 1000;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const batch = payloads[i]!;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: alertmanagerPayload(batch, `{}:{alertname="${batch[0]!.alertname}"}`),
    });
    if (res.status !== 202) refused++;
    await res.arrayBuffer();
  }
  const db = new BetterSqlite3(bridge.dbPath, { readonly: true });
  for (let i = 0; i < 600; i++) {
    const { n } = db.prepare('select count(*) n from alerts where processed_at is null').get() as {
      n: number;
    };
    if (n === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  for (let i = 0; i < 600; i++) {
    const { n } = db.prepare("select count(*) n from outbox where state = 'pending'").get() as { n: number };
    if (n === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await bridge.stop();
  await remotes.close();
  const slackMessages = slack.messages('dms-oncall');
  const slackCalls = slack.calls.filter((c) => c.path.startsWith('/chat.'));
  // Per-second windows of chat calls to the one channel: the busiest second shows the burst.
  const perSecond = new Map<number, number>();
  for (const c of slackCalls)
    perSecond.set(Math.floor(c.at / 1000), (perSecond.get(Math.floor(c.at / 1000)) ?? 0) + 1);
  const busiest = Math.max(0, ...perSecond.values());
  const created = db
    .prepare(
      `select (julianday(t.at) - julianday(i.opened_at)) * 86400000 ms from timeline t join incidents i on i.id = t.incident_id
       where t.type = 'ticket_create' and t.reason like 'servicenow:%'`,
    )
    .all()
    .map((r) => (r as { ms: number }).ms)
    .sort((a, b) => a - b);
  const commands = db
    .prepare(
      "select lane, kind, count(*) n from outbox where state = 'done' group by lane, kind order by lane, kind",
    )
    .all() as { lane: string; kind: string; n: number }[];
  const lags = (
    db.prepare('select received_at, processed_at from alerts').all() as {
      received_at: string;
      processed_at: string;
    }[]
  )
    .map((r) => Date.parse(r.processed_at) - Date.parse(r.received_at))
    .sort((a, b) => a - b);
  const incidents = (db.prepare('select count(*) n from incidents').get() as { n: number }).n;
  const groups = (
    db.prepare("select count(distinct json_extract(labels, '$.alertname')) n from alerts").get() as {
      n: number;
    }
  ).n;
  const stored = lags.length;
  const decisions = db
    .prepare(
      "select substr(decision, 1, instr(decision, ':') - 1) kind, count(*) n from alerts group by kind order by n desc",
    )
    .all() as { kind: string; n: number }[];
  db.close();

  const md = `## Storm (\`npm run bench -- storm\`)

${total} alert notifications from ${HOSTS} hosts in ${BRANCHES.length} branches (20 alert names; 50 % first firings, 30 % repeats,
20 % resolves, replayed deterministically) sent as ${payloads.length} Alertmanager payloads evenly over ${seconds} s to the
real server; routing groups by \`alertname\` (a landscape-wide problem is one incident per alert name). Tickets go
to ServiceNow and Jira emulators in the benchmark process (ServiceNow: 100 ms per call, 4 concurrent; Jira: 50 ms
per call, 20 writes per issue per 2 s); notes are coalesced per incident per 60 s; \`groupWait\` is 0 here (default 30 s).

| figure | value |
|---|---|
| alerts stored / refused | ${stored} / ${refused} |
| distinct group keys | ${groups} |
| incidents opened | ${incidents} (target ≤ ${groups}: ${incidents <= groups ? 'met' : 'NOT met'}) |
| alerts per incident | ${round(stored / Math.max(1, incidents))} (target ≥ 500: ${stored / Math.max(1, incidents) >= 500 ? 'met' : 'NOT met'}) |
| correlation lag p50 / p99 / max | ${pct(lags, 50)} / ${pct(lags, 99)} / ${lags[lags.length - 1] ?? 0} ms |
| decisions | ${decisions.map((d) => `${d.kind} ${d.n}`).join(', ')} |
| alert accepted → ServiceNow incident created, p50 / max (groupWait 0) | ${round(pct(created, 50))} / ${round(created[created.length - 1] ?? 0)} ms (target p50 < 1 s: ${pct(created, 50) < 1000 ? 'met' : 'NOT met'}) |
| ServiceNow incidents / Jira issues | ${sn.state.incidents.length} / ${jira.state.issues.length} |
| outbox operations executed | ${commands.map((c) => `${c.lane} ${c.kind} ${c.n}`).join(', ')} |
| operations bound: incidents × (create + link + ⌈${seconds} s / 60 s⌉ notes) per system | ${incidents * (2 + Math.ceil(seconds / 60))} per system (${commands.filter((c) => c.lane === 'servicenow').reduce((a, c) => a + c.n, 0)} ServiceNow, ${commands.filter((c) => c.lane === 'jira').reduce((a, c) => a + c.n, 0)} Jira) |
| HTTP requests ServiceNow / Jira (incl. look-ups, 429s) | ${sn.state.callLog.length} / ${jira.state.callLog.length} (429: ${sn.state.callLog.filter((c) => c.status === 429).length} / ${jira.state.callLog.filter((c) => c.status === 429).length}) |
| requests sent before a Retry-After had passed | ${retryAfterViolations(sn.state.callLog).length + retryAfterViolations(jira.state.callLog).length} (target 0) |
| Slack: incident messages / in-place updates / thread replies (one channel) | ${slackMessages.length} / ${slackMessages.reduce((a, m) => a + m.updates.length, 0)} / ${slackMessages.reduce((a, m) => a + m.replies.length, 0)} (target: one message per incident; updates coalesced per 2 s) |
| Slack \`chat.*\` calls, 429s, busiest second, Retry-After violations | ${slackCalls.length}, ${slackCalls.filter((c) => c.status === 429).length}, ${busiest} calls, ${retryAfterViolations(slack.calls).length} (target: 1 per second per channel with a burst of 3, so ≤ 4 in any calendar second; 0 violations) |`;
  writeBenchSection('storm', md);
  process.stdout.write(`${md}\n`);
}
