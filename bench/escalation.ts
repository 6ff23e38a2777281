import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import BetterSqlite3 from 'better-sqlite3';
import { round } from './lib/load';
import { startBridge } from './lib/processes';
import { writeBenchSection } from './lib/report';

const TOKEN = 'bench-token-0123456789abcdef';

const pct = (xs: number[], p: number) =>
  xs.length ? xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! : 0;

/**
 * `npm run bench -- escalation [--incidents 1000] [--after 60]`: opens N incidents on the real server
 * (one per branch group), each with a P1 policy whose step pages a webhook `--after` seconds after the
 * incident opened, and measures for every incident the time from that deadline to the paging request
 * arriving at a gateway in this process. Chat is off: Slack's one message per second per channel, not
 * the bridge, would decide how fast 1,000 messages to one channel go out.
 */
export async function main(argv: string[]): Promise<void> {
  const arg = (name: string, d: number) => Number(argv[argv.indexOf(name) + 1] || d) || d;
  const incidents = arg('--incidents', 1000);
  const after = arg('--after', 60);

  const arrived = new Map<string, number>();
  const gateway = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += String(c)));
    req.on('end', () => {
      const e = JSON.parse(body) as { event: string; dedupKey: string };
      if (e.event === 'trigger' && !arrived.has(e.dedupKey)) arrived.set(e.dedupKey, Date.now());
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
  const gatewayUrl = `http://127.0.0.1:${(gateway.address() as { port: number }).port}/page`;
  // The storm guard would fold most of the 1,000 groups into one storm incident; this measures escalation.
  const yaml = `correlation: { groupWait: 0, storm: { maxNewIncidents: ${incidents + 1} } }
slack: { enabled: false }
teams: { enabled: false }
tickets: { systems: [] }
providers: [{ name: infra }]
routing:
  defaults: { provider: infra, groupBy: [branch], impact: 1, urgency: 1 }
paging:
  gateway: { kind: webhook, url: "${gatewayUrl}" }
escalation:
  infra:
    policies:
      - priorities: [1]
        steps:
          - { after: ${after}s, page: gateway }
`;
  const load = loadavg()[0]!.toFixed(1);
  const bridge = await startBridge(yaml, TOKEN);
  process.stdout.write(`escalation: ${incidents} incidents, page due ${after}s after each opened\n`);
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < incidents) {
        const n = next++;
        const res = await fetch(`${bridge.url}/webhooks/generic`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
          body: JSON.stringify({
            dedupKey: `bench-${n}`,
            status: 'firing',
            severity: 'critical',
            summary: `branch ${n} down`,
            branch: `b${n}`,
          }),
        });
        await res.arrayBuffer();
      }
    }),
  );
  const openedIn = (Date.now() - started) / 1000;
  for (const end = Date.now() + (after + 120) * 1000; Date.now() < end && arrived.size < incidents;)
    await new Promise((r) => setTimeout(r, 200));
  await bridge.stop();
  gateway.close();

  const db = new BetterSqlite3(bridge.dbPath, { readonly: true });
  const rows = db.prepare('select key, opened_at from incidents').all() as {
    key: string;
    opened_at: string;
  }[];
  const stepLags = (
    db
      .prepare(
        `select (julianday(t.at) - julianday(i.opened_at)) * 86400000 ms from timeline t
         join incidents i on i.id = t.incident_id where t.type = 'escalation_step'`,
      )
      .all() as { ms: number }[]
  )
    .map((r) => r.ms - after * 1000)
    .sort((a, b) => a - b);
  db.close();
  const lags = rows
    .map((r) => {
      const at = arrived.get(`itsm-bridge:${r.key}`);
      return at === undefined ? null : at - (Date.parse(r.opened_at) + after * 1000);
    })
    .filter((x): x is number => x !== null)
    .sort((a, b) => a - b);

  const md = `## Escalation (\`npm run bench -- escalation\`)

${rows.length} incidents opened on the real server in ${round(openedIn, 1)} s (one per branch group, P1), each with a policy
whose one step pages a webhook ${after} s after the incident opened; the paging gateway runs in the benchmark
process. The escalation timer runs at most once per clock second after a correlation pass (the loop polls
every second), so up to ${rows.length} runs fall due within the same few seconds. Lag = the page arriving at the gateway
minus the step's deadline; the step lag is the step's timeline entry minus the deadline (inside the server).
Load average (1 min) when the run started: ${load}.

| figure | value |
|---|---|
| incidents opened / pages received | ${rows.length} / ${arrived.size} |
| deadline → page received p50 / p99 / max | ${round(pct(lags, 50))} / ${round(pct(lags, 99))} / ${round(lags.at(-1) ?? 0)} ms |
| deadline → step recorded p50 / p99 / max | ${round(pct(stepLags, 50))} / ${round(pct(stepLags, 99))} / ${round(stepLags.at(-1) ?? 0)} ms |
`;
  process.stdout.write(md);
  writeBenchSection('escalation', md);
}
