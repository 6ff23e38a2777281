import { contentHash, GENESIS_HASH, linkHash } from '../../../../src/core/audit/audit-hash';
import type { AuditEntry, NewAuditEntry, Store } from '../../../../src/ports/store';
import { BACKENDS, freshStore, minute } from './backends';

const action = (i: number): NewAuditEntry => ({
  at: minute(i),
  actor: i % 2 ? 'slack:U123' : 'teams:29:abc',
  action: 'incident.acknowledged',
  subject: `incident:${i}`,
  data: { i, note: `step ${i}` },
});

const collect = async (entries: AsyncIterable<AuditEntry>) => {
  const all: AuditEntry[] = [];
  for await (const e of entries) all.push(e);
  return all;
};

/** Appends in one unit of work. */
const append = (store: Store, ...entries: NewAuditEntry[]) =>
  store.unitOfWork(async (uow) => {
    for (const e of entries) await uow.audit.append(e);
  });

/** Each entry carries the previous entry's hash, and its own hash is over exactly what it stores. */
function expectOneChain(entries: AuditEntry[]) {
  entries.forEach((e, i) => {
    expect([e.seq, e.prevHash]).toEqual([i + 1, i === 0 ? GENESIS_HASH : entries[i - 1]!.hash]);
    expect(e.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(e.contentHash).toBe(contentHash({ salt: e.salt!, actor: e.actor, data: JSON.stringify(e.data) }));
    expect(e.hash).toBe(linkHash(e));
    expect([e.purgedAt, e.legacyHash]).toEqual([null, null]);
  });
}

describe.each(BACKENDS)('audit log contract: %s', (_name, open) => {
  const t = freshStore(open);

  it('appends in a unit of work and streams the entries in order, each linked to the one before', async () => {
    await append(t.store, action(1), action(2), action(3));
    const entries = await collect(t.store.audit.entries());
    expect(
      entries.map(({ seq, at, actor, action, subject, data }) => ({ seq, at, actor, action, subject, data })),
    ).toEqual([1, 2, 3].map((seq) => ({ seq, ...action(seq) })));
    expect(entries[0]!.prevHash).toBe('0'.repeat(64));
    expect(new Set(entries.map((e) => e.hash)).size).toBe(3);
    expectOneChain(entries);
  });

  it('continues the chain across units of work, also when they run at the same time', async () => {
    await append(t.store, action(1), action(2));
    await append(t.store, action(3));
    await Promise.all([append(t.store, action(4), action(5)), append(t.store, action(6))]);
    const entries = await collect(t.store.audit.entries());
    expect(entries.map((e) => e.subject).sort()).toEqual([1, 2, 3, 4, 5, 6].map((i) => `incident:${i}`));
    expect(entries.slice(0, 3).map((e) => e.subject)).toEqual(['incident:1', 'incident:2', 'incident:3']);
    // Units of work do not interleave: the two appends of one stay next to each other.
    const seqOf = (i: number) => entries.find((e) => e.subject === `incident:${i}`)?.seq;
    expect(seqOf(5)).toBe(seqOf(4)! + 1);
    expectOneChain(entries);
  });

  it('leaves no trace of appends rolled back with their unit of work', async () => {
    await append(t.store, action(1), action(2));
    await expect(
      t.store.unitOfWork(async (uow) => {
        await uow.audit.append(action(3));
        await uow.audit.append(action(4));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await append(t.store, action(5));
    const entries = await collect(t.store.audit.entries());
    expect(entries.map((e) => [e.seq, e.subject])).toEqual([
      [1, 'incident:1'],
      [2, 'incident:2'],
      [3, 'incident:5'],
    ]);
    expectOneChain(entries);
  });

  it('streams more than one page of entries, from the start or from a given seq', async () => {
    await append(t.store, ...Array.from({ length: 1005 }, (_, i) => action(i + 1)));
    const entries = await collect(t.store.audit.entries());
    expect(entries).toHaveLength(1005);
    expect(entries.map((e) => e.subject)).toEqual(
      Array.from({ length: 1005 }, (_, i) => `incident:${i + 1}`),
    );
    expectOneChain(entries);
    expect((await collect(t.store.audit.entries(1000))).map((e) => e.seq)).toEqual([
      1000, 1001, 1002, 1003, 1004, 1005,
    ]);
    expect(await collect(t.store.audit.entries(1006))).toEqual([]);
  });

  it('names the head of the chain: genesis when empty, else the last entry', async () => {
    expect(await t.store.audit.head()).toEqual({ seq: 0, hash: GENESIS_HASH });
    await append(t.store, action(1), action(2));
    const entries = await collect(t.store.audit.entries());
    expect(await t.store.audit.head()).toEqual({ seq: 2, hash: entries[1]!.hash });
  });

  it('salts every entry anew, so equal content gives different content hashes', async () => {
    await append(t.store, action(1), action(1));
    const [a, b] = await collect(t.store.audit.entries());
    expect(a!.salt).not.toBe(b!.salt);
    expect(a!.contentHash).not.toBe(b!.contentHash);
  });

  it('finds the newest entry of an action, of one actor when asked', async () => {
    expect(await t.store.audit.lastOf('privacy.purged')).toBeNull();
    const purge = (i: number, actor: string): NewAuditEntry => ({
      ...action(i),
      actor,
      action: 'privacy.purged',
      subject: 'retention',
    });
    await append(t.store, purge(1, 'job:retention'), purge(2, 'cli:purge'), action(3));
    expect((await t.store.audit.lastOf('privacy.purged'))?.seq).toBe(2);
    expect(await t.store.audit.lastOf('privacy.purged', 'job:retention')).toMatchObject({
      seq: 1,
      at: minute(1),
      actor: 'job:retention',
    });
    expect(await t.store.audit.lastOf('privacy.purged', 'someone')).toBeNull();
  });
});
