import { systemClock } from '../../../../integrations/clock/system-clock';
import { BACKENDS, freshStore } from './backends';

/** Leases are short and real: on PostgreSQL the database's clock judges them, which no test can move. */
const LEASE_MS = 2000;

/** The `now` and `until` of a hold of `ms` from now, by the wall clock (the referee on SQLite). */
const span = (ms = LEASE_MS): [string, string] => {
  const at = systemClock.now().getTime();
  return [new Date(at).toISOString(), new Date(at + ms).toISOString()];
};
const now = () => systemClock.now().toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(BACKENDS)('leader lease contract: %s', (_name, open) => {
  const t = freshStore(open);
  const until = async () => String((await t.direct.all('SELECT until FROM leases'))[0]?.until);

  it('is held by one holder until it runs out, renewed by its holder, then taken over', async () => {
    const a = t.store.leaderLease('jobs', 'a');
    const b = t.store.leaderLease('jobs', 'b');
    expect(await a.hold(...span())).toBe(true);
    expect(await b.hold(...span())).toBe(false);
    const first = await until();
    await sleep(50);
    expect(await a.hold(...span())).toBe(true);
    expect((await until()) > first).toBe(true);
    expect(await b.hold(...span())).toBe(false);
    // B tries again when the lease says A's has run out, as the leader gate does.
    await sleep((await b.endsIn(now())) + 20);
    expect(await b.hold(...span())).toBe(true);
    expect(await a.hold(...span())).toBe(false);
    const [row] = await t.direct.all('SELECT holder, term FROM leases');
    expect(row).toEqual({ holder: 'b', term: 2 });
  });

  it("says when the holder's lease runs out: 0 when free, about the lease while held, 0 once released", async () => {
    const a = t.store.leaderLease('jobs', 'a');
    const b = t.store.leaderLease('jobs', 'b');
    expect(await b.endsIn(now())).toBe(0);
    expect(await a.hold(...span(60_000))).toBe(true);
    const left = await b.endsIn(now());
    expect(left).toBeGreaterThan(50_000);
    expect(left).toBeLessThanOrEqual(60_002);
    await a.release();
    expect(await b.endsIn(now())).toBe(0);
  });

  it('is free at once after its holder releases it; leases of other names are independent', async () => {
    const a = t.store.leaderLease('jobs', 'a');
    expect(await a.hold(...span())).toBe(true);
    expect(await t.store.leaderLease('poller', 'b').hold(...span())).toBe(true);
    await a.release();
    expect(await t.store.leaderLease('jobs', 'b').hold(...span())).toBe(true);
  });
});
