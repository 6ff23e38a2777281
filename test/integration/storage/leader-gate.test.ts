import { LeaderGate } from '../../../src/app/leader-gate';
import { ManualClock, silentLogger } from '../../helpers/test-app';
import { BACKENDS, freshStore } from './contract/backends';

describe.each(BACKENDS)('leader gate (%s)', (_name, open) => {
  const t = freshStore(open);

  it('one instance leads; one that stops renewing stops leading after the lease, and the other takes over', async () => {
    const clock = new ManualClock();
    const gate = (holder: string) =>
      new LeaderGate({
        lease: t.store.leaderLease('jobs', holder),
        clock,
        logger: silentLogger,
        leaseMs: 30_000,
      });
    const a = gate('a');
    const b = gate('b');
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
});
