import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { retryAfterViolations } from '../integrations/sandbox/faults';
import {
  benchPostgres,
  sqliteBenchDatabase,
  type BenchDatabase,
  type BenchPostgres,
} from './lib/bench-database';
import { load, round, type LoadResult } from './lib/load';
import { alertmanagerPayload } from './lib/payloads';
import { startBridge, type Proc } from './lib/processes';
import { writeBenchSection } from './lib/report';
import { bodies as ingestBodies, INGEST_YAML } from './ingest';
import { pct, startStormRemotes, stormPayloads } from './lib/storm-load';

const TOKEN = 'bench-token-0123456789abcdef';
/** Seconds at 200 req/s on a fresh database before the paced run is measured (as `bench -- ingest`). */
const WARM_UP = 10;

interface Setup {
  name: string;
  store: 'sqlite' | 'postgres';
  instances: number;
}

const SETUPS: Setup[] = [
  { name: '1 × SQLite', store: 'sqlite', instances: 1 },
  { name: '1 × PostgreSQL', store: 'postgres', instances: 1 },
  { name: '2 × PostgreSQL', store: 'postgres', instances: 2 },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const num = (v: unknown) => Number(v ?? 0);

/** Runs `fn` against the setup's servers on a fresh database; everything is stopped afterwards. */
async function withServers<T>(
  setup: Setup,
  postgres: BenchPostgres | null,
  server: { yaml: string; env?: Record<string, string> },
  fn: (servers: Proc[], db: BenchDatabase) => Promise<T>,
): Promise<T> {
  const db =
    setup.store === 'sqlite'
      ? sqliteBenchDatabase(mkdtempSync(join(tmpdir(), 'itsm-bench-ha-')))
      : await postgres!.fresh();
  const servers: Proc[] = [];
  try {
    // One after the other: the first one migrates the database.
    for (let i = 0; i < setup.instances; i++)
      servers.push(await startBridge(server.yaml, TOKEN, server.env ?? {}, { databaseUrl: db.url }));
    return await fn(servers, db);
  } finally {
    const running = (s: Proc) => s.child.exitCode === null && s.child.signalCode === null;
    await Promise.all(servers.map((s) => (running(s) ? s.stop() : Promise.resolve())));
    await db.close();
  }
}

/** One autocannon per instance at the same time, the connections and the rate split between them. */
async function loadAll(
  servers: Proc[],
  bodies: string[],
  o: { seconds: number; connections: number; rate?: number },
): Promise<{ perSecond: number; p99: number; ok: number; failed: number }> {
  const results: LoadResult[] = await Promise.all(
    servers.map((s) =>
      load({
        url: `${s.url}/webhooks/alertmanager`,
        token: TOKEN,
        bodies,
        seconds: o.seconds,
        connections: Math.max(1, Math.round(o.connections / servers.length)),
        ...(o.rate ? { rate: o.rate / servers.length } : {}),
      }),
    ),
  );
  return {
    perSecond: results.reduce((a, r) => a + r.requests.average, 0),
    // The worst instance's p99 (autocannon reports percentiles per run, not merged).
    p99: Math.max(...results.map((r) => r.latency.p99)),
    ok: results.reduce((a, r) => a + r['2xx'], 0),
    failed: results.reduce((a, r) => a + r.non2xx + r.errors + r.timeouts, 0),
  };
}

const pending = async (db: BenchDatabase) =>
  num((await db.all('select count(*) n from alerts where processed_at is null'))[0]?.n);

/** Waits until correlation has processed every stored alert (at most `seconds`). */
async function drained(db: BenchDatabase, seconds: number): Promise<boolean> {
  for (let i = 0; i < seconds * 10; i++) {
    if ((await pending(db)) === 0) return true;
    await sleep(100);
  }
  return false;
}

/** Milliseconds from acceptance to correlation of the alerts received at or after `since`, sorted. */
async function lags(db: BenchDatabase, since = ''): Promise<number[]> {
  const rows = await db.all('select received_at, processed_at from alerts where processed_at is not null');
  return rows
    .filter((r) => String(r.received_at) >= since)
    .map((r) => Date.parse(String(r.processed_at)) - Date.parse(String(r.received_at)))
    .sort((a, b) => a - b);
}

interface IngestRow {
  full: Awaited<ReturnType<typeof loadAll>>;
  warmUp: Awaited<ReturnType<typeof loadAll>>;
  paced: Awaited<ReturnType<typeof loadAll>>;
  correlatedPerSecond: number;
  backlog: number;
  lag: number[];
  drained: boolean;
}

async function ingest(setup: Setup, postgres: BenchPostgres | null, seconds: number): Promise<IngestRow> {
  const bodies = ingestBodies();
  const full = await withServers(setup, postgres, { yaml: INGEST_YAML }, (servers) =>
    loadAll(servers, bodies, { seconds, connections: 32 }),
  );
  return withServers(setup, postgres, { yaml: INGEST_YAML }, async (servers, db) => {
    const warmUp = await loadAll(servers, bodies, { seconds: WARM_UP, connections: 16, rate: 200 });
    const since = new Date().toISOString();
    const before = (await lags(db)).length;
    const paced = await loadAll(servers, bodies, { seconds, connections: 16, rate: 200 });
    const backlog = await pending(db);
    const correlatedPerSecond = ((await lags(db)).length - before) / seconds;
    const ok = await drained(db, 120);
    return { full, warmUp, paced, correlatedPerSecond, backlog, lag: await lags(db, since), drained: ok };
  });
}

interface StormRow {
  stored: number;
  refused: number;
  incidents: number;
  lag: number[];
  servicenow: number;
  jira: number;
  requests: { servicenow: number; jira: number };
  violations: number;
  inFlightPeak: number;
  drainMs: number;
  failover?: { leaseMs: number | null; holderBefore: string; holderAfter: string };
}

/** The storm of `bench -- storm`, sent to the instances alternately; on two instances a leader kill after it. */
async function storm(
  setup: Setup,
  postgres: BenchPostgres | null,
  o: { total: number; seconds: number; leaseSeconds?: number },
): Promise<StormRow> {
  const payloads = stormPayloads(o.total);
  const remotes = await startStormRemotes();
  const env = { ...remotes.env, ...(o.leaseSeconds ? { LEADER_LEASE_SECONDS: String(o.leaseSeconds) } : {}) };
  try {
    return await withServers(setup, postgres, { yaml: remotes.yaml, env }, async (servers, db) => {
      const started = Date.now();
      let refused = 0;
      for (let i = 0; i < payloads.length; i++) {
        const wait = started + (i / payloads.length) * o.seconds * 1000 - Date.now();
        if (wait > 0) await sleep(wait);
        const batch = payloads[i]!;
        const res = await fetch(`${servers[i % servers.length]!.url}/webhooks/alertmanager`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
          body: alertmanagerPayload(batch, `{}:{alertname="${batch[0]!.alertname}"}`),
        });
        if (res.status !== 202) refused++;
        await res.arrayBuffer();
      }
      const sent = Date.now();
      await drained(db, 60);
      for (let i = 0; i < 600; i++) {
        const rows = await db.all("select count(*) n from outbox where state = 'pending'");
        if (num(rows[0]?.n) === 0) break;
        await sleep(100);
      }
      const drainMs = Date.now() - sent;
      const lag = await lags(db);
      const stored = num((await db.all('select count(*) n from alerts'))[0]?.n);
      const incidents = num((await db.all('select count(*) n from incidents'))[0]?.n);
      const row: StormRow = {
        stored,
        refused,
        incidents,
        lag,
        servicenow: remotes.sn.state.incidents.length,
        jira: remotes.jira.state.issues.length,
        requests: { servicenow: remotes.sn.state.callLog.length, jira: remotes.jira.state.callLog.length },
        violations:
          retryAfterViolations(remotes.sn.state.callLog).length +
          retryAfterViolations(remotes.jira.state.callLog).length,
        inFlightPeak: remotes.sn.inFlightPeak(),
        drainMs,
      };
      if (servers.length > 1) row.failover = await failover(servers, db);
      return row;
    });
  } finally {
    await remotes.close();
  }
}

/**
 * SIGKILLs the instance holding the `jobs` lease and measures the milliseconds until another instance
 * holds it (in a later term): from then on its leader-only jobs run at their next tick (at most 1 s).
 */
async function failover(servers: Proc[], db: BenchDatabase) {
  const lease = async () =>
    (await db.all("select holder, term from leases where name = 'jobs'"))[0] as
      { holder: string; term: number } | undefined;
  let before = await lease();
  for (let i = 0; i < 100 && !before; i++) {
    await sleep(100);
    before = await lease();
  }
  const leader = servers.find((s) => before?.holder.includes(`-${s.child.pid}-`));
  if (!before || !leader) return { leaseMs: null, holderBefore: before?.holder ?? '-', holderAfter: '-' };
  const killedAt = performance.now();
  leader.child.kill('SIGKILL');
  for (;;) {
    const now = await lease();
    if (now && now.holder !== before.holder)
      return {
        leaseMs: Math.round(performance.now() - killedAt),
        holderBefore: before.holder,
        holderAfter: now.holder,
      };
    if (performance.now() - killedAt > 120_000)
      return { leaseMs: null, holderBefore: before.holder, holderAfter: '-' };
    await sleep(100);
  }
}

const ms = (xs: number[]) => `${pct(xs, 50)} / ${pct(xs, 99)} / ${xs[xs.length - 1] ?? 0}`;

/**
 * `npm run bench -- ha [--seconds 30] [--storm-alerts 10000] [--storm-seconds 60] [--only sqlite,postgres,postgres-2]
 * [--lease-seconds 10]`: ingest and the storm on one instance on SQLite, one on PostgreSQL and two on one
 * PostgreSQL (alternating deliveries), and the leader failover of the two. PostgreSQL is
 * BENCH_DATABASE_URL or a throwaway cluster the benchmark starts (Debian's `postgresql` package).
 */
export async function main(argv: string[]): Promise<void> {
  const arg = (name: string, d: number) => Number(argv[argv.indexOf(name) + 1] || d) || d;
  const seconds = arg('--seconds', 30);
  const total = arg('--storm-alerts', 10_000);
  const stormSeconds = arg('--storm-seconds', 60);
  const leaseSeconds = argv.includes('--lease-seconds') ? arg('--lease-seconds', 30) : undefined;
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1]!.split(',') : null;
  const key = (s: Setup) => (s.store === 'sqlite' ? 'sqlite' : s.instances > 1 ? 'postgres-2' : 'postgres');
  const setups = SETUPS.filter((s) => !only || only.includes(key(s)));
  const postgres = setups.some((s) => s.store === 'postgres') ? await benchPostgres() : null;
  const rows: { setup: Setup; ingest: IngestRow; storm: StormRow }[] = [];
  try {
    for (const setup of setups) {
      process.stdout.write(
        `ha: ${setup.name}: ingest ${seconds}s full speed, ${WARM_UP}+${seconds}s at 200/s\n`,
      );
      const i = await ingest(setup, postgres, seconds);
      process.stdout.write(`ha: ${setup.name}: storm of ${total} alerts over ${stormSeconds}s\n`);
      const s = await storm(setup, postgres, { total, seconds: stormSeconds, leaseSeconds });
      rows.push({ setup, ingest: i, storm: s });
    }
  } finally {
    await postgres?.stop();
  }
  const two = rows.find((r) => r.storm.failover);
  const md = `## One SQLite, one PostgreSQL, two PostgreSQL instances (\`npm run bench -- ha\`)

The workloads of \`bench -- ingest\` and \`bench -- storm\` against each setup, every run on a fresh database:
one server on its SQLite file, one server on PostgreSQL, and two servers (two processes, one PostgreSQL
schema) with the deliveries split between them — one autocannon per instance with half the connections and
half the rate, the storm's payloads sent to the instances alternately. PostgreSQL is \`BENCH_DATABASE_URL\`
or a cluster the benchmark starts for itself (on the same machine). The storm's ServiceNow, Jira and Slack
emulators run in the benchmark process and are shared by both instances.

**Ingest** (payloads of 10 alerts; full speed ${seconds} s with 32 connections; paced: ${WARM_UP} s warm-up,
then ${seconds} s at 200 deliveries/s = 2,000 alerts/s, measured; lag = accepted → correlated):

| setup | full speed deliveries/s (alerts/s) | full speed p99 ms | 200/s p99 ms | correlated alerts/s while paced | backlog at the end | lag p50 / p99 / max ms | 2xx / failed |
|---|---|---|---|---|---|---|---|
${rows
  .map(
    ({ setup, ingest: i }) =>
      `| ${setup.name} | ${round(i.full.perSecond)} (${round(i.full.perSecond * 10)}) | ${i.full.p99} | ${i.paced.p99} | ${round(i.correlatedPerSecond)} | ${i.backlog}${i.drained ? '' : ' (not drained in 120 s)'} | ${ms(i.lag)} | ${i.full.ok + i.warmUp.ok + i.paced.ok} / ${i.full.failed + i.warmUp.failed + i.paced.failed} |`,
  )
  .join('\n')}

Target (issue 15): correlation keeps up with 200 deliveries/s on one PostgreSQL, lag p99 < 1 s —
${(() => {
  const p = rows.find((r) => r.setup.store === 'postgres' && r.setup.instances === 1);
  return p
    ? pct(p.ingest.lag, 99) < 1000
      ? `met (${pct(p.ingest.lag, 99)} ms)`
      : `NOT met (${pct(p.ingest.lag, 99)} ms)`
    : 'not run';
})()}.

**Storm** (${total} alerts in ${stormSeconds} s as in \`bench -- storm\`; ServiceNow 100 ms per call and 4 concurrent, Jira 50 ms):

| setup | stored / refused | incidents | ServiceNow incidents / Jira issues | ServiceNow / Jira requests | ServiceNow in flight, peak | requests inside a Retry-After | lag p50 / p99 / max ms | storm sent → outbox empty |
|---|---|---|---|---|---|---|---|---|
${rows
  .map(
    ({ setup, storm: s }) =>
      `| ${setup.name} | ${s.stored} / ${s.refused} | ${s.incidents} | ${s.servicenow} / ${s.jira} | ${s.requests.servicenow} / ${s.requests.jira} | ${s.inFlightPeak} | ${s.violations} | ${ms(s.lag)} | ${round(s.drainMs / 1000, 1)} s |`,
  )
  .join('\n')}

**Leader failover** (two instances, right after the storm: the instance holding the \`jobs\` lease is
SIGKILLed; time until the other one holds it, after which its leader-only jobs run at their next tick,
at most a second later): ${
    two?.storm.failover?.leaseMs != null
      ? `**${round(two.storm.failover.leaseMs / 1000, 1)} s** with a lease of ${leaseSeconds ?? 30} s`
      : two
        ? 'no takeover within 120 s'
        : 'not run'
  }. The takeover waits for the dead leader's lease row to run out (the lease, minus the time since its last
renewal), then comes within tens of milliseconds (the survivor tries again right after the row's end), so
it lies between ⅔ of the lease and the lease (\`LEADER_LEASE_SECONDS\`; \`bench -- failover\` measures it
alone; docs/high-availability.md).`;
  writeBenchSection('ha', md);
  process.stdout.write(`${md}\n`);
}
