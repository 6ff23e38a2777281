import { BACKENDS, freshStore, minute } from './backends';

describe.each(BACKENDS)('request log contract: %s', (_name, open) => {
  const t = freshStore(open);

  it('answers true the first time a key is seen and false every time after', async () => {
    const { requests } = t.store;
    expect(await requests.firstSeen('slack:event:Ev1', minute(1), minute(0))).toBe(true);
    expect(await requests.firstSeen('slack:event:Ev1', minute(2), minute(0))).toBe(false);
    expect(await requests.firstSeen('slack:event:Ev1', minute(3), minute(0))).toBe(false);
    expect(await requests.firstSeen('slack:event:Ev2', minute(3), minute(0))).toBe(true);
  });

  it('tells whether a key has been seen', async () => {
    const { requests } = t.store;
    expect(await requests.hasSeen('report:2026-10')).toBe(false);
    await requests.firstSeen('report:2026-10', minute(1), minute(0));
    expect(await requests.hasSeen('report:2026-10')).toBe(true);
    expect(await requests.hasSeen('report:2026-11')).toBe(false);
  });

  // The Kysely request log sweeps old keys on a random one of about a hundred inserts, so only what
  // holds whether or not an insert sweeps is asserted here; the next test waits for a sweep.
  it('never forgets a key recorded at or after forgetBefore, and answers new keys as first seen', async () => {
    const { requests } = t.store;
    await requests.firstSeen('kept', minute(10), minute(0));
    for (let i = 0; i < 300; i++)
      expect(await requests.firstSeen(`new-${i}`, minute(20), minute(10))).toBe(true);
    expect(await requests.hasSeen('kept')).toBe(true);
    expect(await requests.firstSeen('kept', minute(30), minute(10))).toBe(false);
  });

  it('drops keys older than forgetBefore on a later insert, after which they count as new', async () => {
    const { requests } = t.store;
    await requests.firstSeen('old', minute(0), minute(0));
    await requests.firstSeen('edge', minute(10), minute(0));
    // About 1 in 100 inserts sweeps: 5000 inserts without one would happen with odds of about 1e-22.
    let inserts = 0;
    while ((await requests.hasSeen('old')) && inserts < 5000)
      expect(await requests.firstSeen(`new-${inserts++}`, minute(20), minute(10))).toBe(true);
    expect(await requests.hasSeen('old')).toBe(false);
    expect(await requests.hasSeen('edge')).toBe(true);
    expect(await requests.hasSeen('new-0')).toBe(true);
    expect(await requests.firstSeen('old', minute(21), minute(10))).toBe(true);
  });
});
