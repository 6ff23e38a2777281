import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertmanagerPayload, alertmanagerAlerts } from '../handlers/webhooks/alertmanager';
import { systemClock } from '../integrations/clock/system-clock';
import { correlateBatch, type CorrelateDeps } from '../src/app/correlate-batch';
import { loadConfig } from '../src/config/load-config';
import { correlationBatchSize, openStore, type OpenedStore } from '../src/composition/open-store';
import type { Logger } from '../src/ports/logger';
import { benchPostgres, sqliteBenchDatabase, type BenchDatabase } from './lib/bench-database';
import { bodies, INGEST_YAML } from './ingest';
import { round } from './lib/load';
import { writeBenchSection } from './lib/report';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Stores `n` deliveries of the ingest benchmark's payloads (round robin from `from`) through the inbox. */
async function store(s: OpenedStore, payloads: string[], from: number, n: number) {
  for (let i = from; i < from + n; i++) {
    const p = AlertmanagerPayload.parse(JSON.parse(payloads[i % payloads.length]!));
    await s.inbox.accept(
      alertmanagerAlerts(p, { keyMode: 'fingerprint', receivedAt: new Date().toISOString() }),
    );
  }
}

interface Run {
  alerts: number;
  ms: number;
  cpuUs: number;
}

/** Correlates everything pending, batch after batch, as the server's loop does without ingest. */
async function drain(deps: CorrelateDeps, batch: number): Promise<Run> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let alerts = 0;
  for (let n; (n = await correlateBatch(deps, batch)) > 0;) alerts += n;
  const cpu = process.cpuUsage(cpu0);
  return { alerts, ms: performance.now() - t0, cpuUs: cpu.user + cpu.system };
}

/** New groups (the first deliveries of a fresh database), then repeats of known alerts (the steady state). */
async function measure(db: BenchDatabase, deliveries: number) {
  const dir = mkdtempSync(join(tmpdir(), 'itsm-bench-corr-'));
  writeFileSync(join(dir, 'itsm-bridge.yaml'), INGEST_YAML);
  const loaded = loadConfig({ file: join(dir, 'itsm-bridge.yaml'), cwd: dir, env: { DATABASE_URL: db.url } });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const { config } = loaded.value;
  const s = await openStore(db.url);
  try {
    const deps: CorrelateDeps = {
      store: s,
      clock: systemClock,
      logger: quiet,
      routing: config.routing,
      correlation: config.correlation,
      maintenance: config.maintenance,
      ticketing: { lanes: [], chatLanes: [], groupWait: 0, noteInterval: 0 },
    };
    const batch = correlationBatchSize(db.url);
    const payloads = bodies();
    await store(s, payloads, 0, payloads.length);
    const fresh = await drain(deps, batch);
    await store(s, payloads, payloads.length, deliveries);
    const repeats = await drain(deps, batch);
    return { batch, fresh, repeats };
  } finally {
    await s.close();
  }
}

const row = (name: string, r: Run) =>
  `| ${name} | ${r.alerts} | ${round((r.alerts / r.ms) * 1000)} | ${round(r.cpuUs / Math.max(1, r.alerts))} |`;

/**
 * `npm run bench -- correlation [--deliveries 500]`: correlation alone, in this process, on SQLite and
 * on PostgreSQL (BENCH_DATABASE_URL or a throwaway cluster): the 500 deliveries of the ingest benchmark
 * (every alert opens a group or folds into the storm incident), then `--deliveries` more that repeat known
 * alerts. No HTTP and no ingest at the same time: what the correlation unit of work itself costs.
 */
export async function main(argv: string[]): Promise<void> {
  const deliveries = Number(argv[argv.indexOf('--deliveries') + 1] || 500) || 500;
  const sqlite = sqliteBenchDatabase(mkdtempSync(join(tmpdir(), 'itsm-bench-corr-')));
  process.stdout.write('correlation: SQLite\n');
  const onSqlite = await measure(sqlite, deliveries);
  const postgres = await benchPostgres();
  let onPostgres;
  try {
    const db = await postgres.fresh();
    process.stdout.write('correlation: PostgreSQL\n');
    onPostgres = await measure(db, deliveries).finally(() => db.close());
  } finally {
    await postgres.stop();
  }
  const md = `## Correlation alone (\`npm run bench -- correlation\`)

\`correlateBatch\` in the benchmark process until the inbox is empty, after the alerts were stored through
the inbox (no HTTP, no ingest meanwhile; ticket lanes off): first the ingest benchmark's 500 deliveries
on a fresh database (5,000 alerts of 500 groups: openings and storm folds), then ${deliveries} more deliveries
that repeat known alerts (the ingest benchmark's steady state). PostgreSQL on the same machine
(\`BENCH_DATABASE_URL\` or a cluster the benchmark starts). Batches as the server runs them: ${onSqlite.batch} alerts
on SQLite, ${onPostgres.batch} on PostgreSQL.

| store, workload | alerts | alerts/s | CPU µs per alert (benchmark process) |
|---|---|---|---|
${row('SQLite, new groups', onSqlite.fresh)}
${row('SQLite, repeats', onSqlite.repeats)}
${row('PostgreSQL, new groups', onPostgres.fresh)}
${row('PostgreSQL, repeats', onPostgres.repeats)}

Target (issue 15): 2,000 alerts/s on one PostgreSQL (200 deliveries/s of 10 alerts) —
${(onPostgres.repeats.alerts / onPostgres.repeats.ms) * 1000 >= 2000 ? 'met' : 'NOT met'} by correlation alone in the steady state; the \`ha\` section measures it with ingest at the same time.`;
  writeBenchSection('correlation', md);
  process.stdout.write(`${md}\n`);
}
