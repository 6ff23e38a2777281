import { benchPostgres, type BenchDatabase } from './lib/bench-database';
import { startBridge, type Proc } from './lib/processes';
import { INGEST_YAML } from './ingest';

const TOKEN = 'bench-token-0123456789abcdef';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Lease {
  holder: string;
  until: string;
  term: number;
}

/** One failover: the kill's place in the renewal period, and what it cost. */
interface Round {
  /** Milliseconds from the SIGKILL until another instance held the `jobs` lease. */
  takeoverMs: number;
  /** Milliseconds from the dead leader's lease end (its row) to the survivor's successful try. */
  afterEndMs: number;
  /** Milliseconds of the dead leader's lease left at the kill. */
  leftAtKillMs: number;
}

const jobsLease = async (db: BenchDatabase) =>
  (await db.all("select holder, until, term from leases where name = 'jobs'"))[0] as Lease | undefined;

/**
 * Two instances on a fresh PostgreSQL schema; after a random part of a renewal period the leader is
 * SIGKILLed. The survivor's row says when it took the lease: it ends a lease after its successful try,
 * by the clock that judged the dead leader's row (the database's; in this benchmark on the same host).
 */
async function round(db: BenchDatabase, leaseSeconds: number): Promise<Round | null> {
  const servers: Proc[] = [];
  try {
    const env = { LEADER_LEASE_SECONDS: String(leaseSeconds) };
    // One after the other: the first one migrates the database (and leads).
    for (let i = 0; i < 2; i++)
      servers.push(await startBridge(INGEST_YAML, TOKEN, env, { databaseUrl: db.url }));
    let before = await jobsLease(db);
    for (let i = 0; i < 100 && !before; i++) before = (await sleep(100), await jobsLease(db));
    await sleep(Math.random() * (leaseSeconds / 3) * 1000);
    before = await jobsLease(db);
    const leader = servers.find((s) => before?.holder.includes(`-${s.child.pid}-`));
    if (!before || !leader) return null;
    const killedAt = performance.now();
    const killedAtWall = Date.now();
    leader.child.kill('SIGKILL');
    // A renewal already sent when the process died may still be committed: read its row a moment later.
    await sleep(500);
    const dead = await jobsLease(db);
    if (!dead || dead.holder !== before.holder) return null;
    for (;;) {
      const now = await jobsLease(db);
      if (now && now.holder !== dead.holder) {
        const takenAt = Date.parse(now.until) - leaseSeconds * 1000;
        return {
          takeoverMs: Math.round(performance.now() - killedAt),
          afterEndMs: takenAt - Date.parse(dead.until),
          leftAtKillMs: Date.parse(dead.until) - killedAtWall,
        };
      }
      if (performance.now() - killedAt > 4 * leaseSeconds * 1000) return null;
      await sleep(50);
    }
  } finally {
    const running = (s: Proc) => s.child.exitCode === null && s.child.signalCode === null;
    await Promise.all(servers.map((s) => (running(s) ? s.stop() : Promise.resolve())));
  }
}

/**
 * `npm run bench -- failover [--rounds 3] [--lease-seconds 30]`: the leader
 * failover of `bench -- ha` on its own, without the ingest and storm around it, repeated with the kill
 * at a random point of the renewal period. Prints its figures and writes no docs. PostgreSQL is
 * BENCH_DATABASE_URL or a throwaway cluster, as in `bench -- ha`.
 */
export async function main(argv: string[]): Promise<void> {
  const arg = (name: string, d: number) => Number(argv[argv.indexOf(name) + 1] || d) || d;
  const rounds = arg('--rounds', 3);
  const leaseSeconds = arg('--lease-seconds', 30);
  const postgres = await benchPostgres();
  const results: Round[] = [];
  try {
    for (let i = 1; i <= rounds; i++) {
      const db = await postgres.fresh();
      try {
        const r = await round(db, leaseSeconds);
        process.stdout.write(
          r
            ? `failover ${i}/${rounds}: ${(r.takeoverMs / 1000).toFixed(1)} s after the SIGKILL (the dead leader's lease had ${(r.leftAtKillMs / 1000).toFixed(1)} s left; taken ${r.afterEndMs} ms after it ended)\n`
            : `failover ${i}/${rounds}: no takeover measured\n`,
        );
        if (r) results.push(r);
      } finally {
        await db.close();
      }
    }
  } finally {
    await postgres.stop();
  }
  if (results.length === 0) return;
  const takeover = results.map((r) => r.takeoverMs / 1000);
  const after = results.map((r) => r.afterEndMs);
  process.stdout.write(
    `failover with a ${leaseSeconds} s lease: ${Math.min(...takeover).toFixed(1)}–${Math.max(...takeover).toFixed(1)} s after the SIGKILL, ` +
      `${Math.min(...after)}–${Math.max(...after)} ms after the dead leader's lease ended\n`,
  );
}
