import { BACKENDS, freshStore, minute } from './backends';

describe.each(BACKENDS)('leader lease contract: %s', (_name, open) => {
  const t = freshStore(open);

  it('is held by one holder until it runs out, renewed by its holder, then taken over', async () => {
    const a = t.store.leaderLease('jobs', 'a');
    const b = t.store.leaderLease('jobs', 'b');
    expect(await a.hold(minute(0), minute(1))).toBe(true);
    expect(await b.hold(minute(0.5), minute(1.5))).toBe(false);
    expect(await a.hold(minute(0.9), minute(1.9))).toBe(true);
    expect(await b.hold(minute(1.5), minute(2.5))).toBe(false);
    expect(await b.hold(minute(1.9), minute(2.9))).toBe(true);
    expect(await a.hold(minute(2), minute(3))).toBe(false);
    const [row] = await t.direct.all('SELECT holder, term FROM leases');
    expect(row).toEqual({ holder: 'b', term: 2 });
  });

  it('is free at once after its holder releases it; leases of other names are independent', async () => {
    const a = t.store.leaderLease('jobs', 'a');
    expect(await a.hold(minute(0), minute(1))).toBe(true);
    expect(await t.store.leaderLease('poller', 'b').hold(minute(0), minute(1))).toBe(true);
    await a.release();
    expect(await t.store.leaderLease('jobs', 'b').hold(minute(0), minute(1))).toBe(true);
  });
});
