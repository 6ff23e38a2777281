import { LeaderGate } from '../../../src/app/leader-gate';
import type { Clock } from '../../../src/ports/clock';
import { systemClock } from '../../../integrations/clock/system-clock';
import { ManualClock, silentLogger } from '../../helpers/test-app';
import { BACKENDS, freshStore } from './contract/backends';

const onPostgres = (name: string) => name.startsWith('PostgreSQL');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(BACKENDS)('leader gate (%s)', (name, open) => {
  const t = freshStore(open);
  const gate = (holder: string, clock: Clock, leaseMs: number) =>
    new LeaderGate({ lease: t.store.leaderLease('jobs', holder), clock, logger: silentLogger, leaseMs });

  // On SQLite the instances' clock judges the lease, so a test's clock can move it; on PostgreSQL the
  // database's clock does, and the next test covers the same hand-over in real time.
  if (!onPostgres(name))
    it('one instance leads; one that stops renewing stops leading after the lease, and the other takes over', async () => {
      const clock = new ManualClock();
      const a = gate('a', clock, 30_000);
      const b = gate('b', clock, 30_000);
      expect(await a.tryNow()).toBe(true);
      expect(await b.tryNow()).toBe(false);
      clock.advance(20);
      expect(a.isLeader()).toBe(true);
      expect(await b.tryNow()).toBe(false);
      // A stalls (no renewal): past its lease it no longer counts itself leader, and B takes over.
      clock.advance(10);
      expect(a.isLeader()).toBe(false);
      expect(await b.tryNow()).toBe(true);
      expect(await a.tryNow()).toBe(false);
      // A clean stop hands it over at the next try.
      await b.stop();
      expect(await a.tryNow()).toBe(true);
      await a.stop();
    });

  it('takes over from a dead leader right after its lease ends, never while it still counts itself leader', async () => {
    // A 6 s lease: the follower's regular try comes every 2 s; B starts 1 s after A's last hold, so a
    // follower trying only on that cadence would take over 1 s after A's end.
    const LEASE_MS = 6000;
    const a = gate('a', systemClock, LEASE_MS);
    const b = gate('b', systemClock, LEASE_MS);
    expect(await a.tryNow()).toBe(true);
    // A dies right after that hold (never renews; on PostgreSQL its session and advisory lock go too).
    if (onPostgres(name))
      await t.direct.run(
        "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND pid <> pg_backend_pid()",
      );
    const [held] = await t.direct.all('SELECT until FROM leases');
    const end = Date.parse(String(held?.until));
    await sleep(1000);
    b.start();
    try {
      const deadline = end + 3 * LEASE_MS;
      while (!b.isLeader() && systemClock.now().getTime() < deadline) {
        expect(a.isLeader() && b.isLeader()).toBe(false);
        await sleep(10);
      }
      expect(a.isLeader()).toBe(false);
      expect(b.isLeader()).toBe(true);
      // When B took it (its row ends a lease after its successful try, by the same referee clock).
      const [row] = await t.direct.all('SELECT holder, until FROM leases');
      expect(row?.holder).toBe('b');
      const takenAt = Date.parse(String(row?.until)) - LEASE_MS;
      expect(takenAt).toBeGreaterThanOrEqual(end);
      expect(takenAt - end).toBeLessThan(500);
    } finally {
      await b.stop();
      await a.stop();
    }
  }, 30_000);
});
