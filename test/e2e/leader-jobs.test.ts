import type { Logger } from '../../src/ports/logger';
import { postgresWanted } from '../helpers/postgres';
import { postgresTestDatabase } from '../helpers/test-database';
import { startTestApp, type TestApp } from '../helpers/test-app';

const KEY = 'leader-jobs-audit-signing-key-0123456789';
// Every periodic leader job due each second: the duplicate checks, the Jira sweep, the daily sync check.
const YAML = `
correlation: { groupWait: 0 }
slack: { enabled: false }
teams: { enabled: false }
tickets: { reconcileInterval: 1s }
sync: { enabled: true, checkInterval: 1s, jira: { sweepInterval: 1s } }
`;
const JOBS = ['servicenow duplicate check', 'jira duplicate check', 'jira sweep', 'sync check'] as const;

/** A logger that keeps which leader-only jobs ran on this instance (their debug line). */
function jobLog(): Logger & { runs: string[] } {
  const runs: string[] = [];
  const keep = (m: string, f?: Record<string, unknown>) => {
    if (m === 'leader-only job runs') runs.push(String(f?.job));
  };
  return { runs, debug: keep, info: keep, warn: keep, error: keep };
}

const count = (runs: string[], job: string) => runs.filter((r) => r === job).length;

/** Waits (real time, at most `ms`) until every job has run `n` times in `runs`. */
async function ranEach(runs: string[], n: number, ms = 15_000) {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100)))
    if (JOBS.every((j) => count(runs, j) >= n)) return;
}

(postgresWanted() ? describe : describe.skip)('leader-only jobs with two instances on one PostgreSQL', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close().catch(() => {});
  });

  it('the duplicate checks, Jira sweep, sync check and audit anchoring run on the leader only, and move when it stops', async () => {
    const database = await postgresTestDatabase();
    const logA = jobLog();
    const logB = jobLog();
    const env = { AUDIT_SIGNING_KEY: KEY };
    const a = await startTestApp({ yaml: YAML, env, logger: logA, database });
    apps.push(a);
    const b = await startTestApp({ yaml: YAML, env, logger: logB, database });
    apps.push(b);
    expect(a.leader.isLeader()).toBe(true);
    expect(b.leader.isLeader()).toBe(false);

    // Each job runs about once a second across the pair, all of it on A.
    await ranEach(logA.runs, 3);
    for (const job of JOBS)
      expect([job, count(logA.runs, job) >= 3, count(logB.runs, job)]).toEqual([job, true, 0]);
    // Audit anchoring checks at start (then every minute): on the leader only.
    expect(count(logA.runs, 'audit anchor')).toBe(1);
    expect(count(logB.runs, 'audit anchor')).toBe(0);

    // The leader stops (its lease given up): B's next check of each job takes the lease and runs it.
    await a.stop();
    apps.splice(apps.indexOf(a), 1);
    const before = logA.runs.length;
    await ranEach(logB.runs, 2);
    for (const job of JOBS) expect([job, count(logB.runs, job) >= 2]).toEqual([job, true]);
    expect(b.leader.isLeader()).toBe(true);
    expect(logA.runs.length).toBe(before);
    await b.close();
    apps.splice(0);
  }, 60_000);
});
