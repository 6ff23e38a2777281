import { BACKENDS, freshStore, minute } from './backends';

const echo = (over: Partial<{ item: string; contentHash: string; commandId: number | null }> = {}) => ({
  system: 'jira' as const,
  record: 'OPS-1',
  item: 'comment',
  contentHash: 'a'.repeat(64),
  commandId: 7,
  createdAt: minute(0),
  ...over,
});

describe.each(BACKENDS)('sync ledger contract: %s', (_name, open) => {
  const t = freshStore(open);

  it('marks a change handled once per system and change id', async () => {
    const mark = (system: 'jira' | 'servicenow', changeId: string) =>
      t.store.unitOfWork((uow) =>
        uow.sync.markProcessed({ system, changeId, record: 'OPS-1', at: minute(1) }),
      );
    expect(await mark('jira', 'wh-1')).toBe(true);
    expect(await mark('jira', 'wh-1')).toBe(false);
    expect(await mark('servicenow', 'wh-1')).toBe(true);
    expect(await t.store.sync.isProcessed('jira', 'wh-1')).toBe(true);
    expect(await t.store.sync.isProcessed('jira', 'wh-2')).toBe(false);
  });

  it('forgets a processed mark when its transaction rolls back', async () => {
    await expect(
      t.store.unitOfWork(async (uow) => {
        await uow.sync.markProcessed({ system: 'jira', changeId: 'wh-9', record: 'OPS-1', at: minute(1) });
        throw new Error('effect failed');
      }),
    ).rejects.toThrow('effect failed');
    expect(await t.store.sync.isProcessed('jira', 'wh-9')).toBe(false);
  });

  it('matches each ledger entry once, and again only for the same remote id', async () => {
    await t.store.unitOfWork(async (uow) => {
      await uow.sync.recordEcho(echo());
      await uow.sync.recordEcho(echo({ commandId: 8 }));
    });
    const match = (remoteId: string | null, contentHash = 'a'.repeat(64)) =>
      t.store.unitOfWork((uow) =>
        uow.sync.matchEcho({
          system: 'jira',
          record: 'OPS-1',
          item: 'comment',
          contentHash,
          remoteId,
          at: minute(2),
        }),
      );
    expect(await match('c1')).toBe(true);
    expect(await match('c1')).toBe(true);
    expect(await match('c2')).toBe(true);
    expect(await match('c3')).toBe(false);
    expect(await match('c4', 'b'.repeat(64))).toBe(false);
    const ledger = await t.store.sync.ledgerOf('jira', 'OPS-1');
    expect(ledger.map((e) => [e.commandId, e.remoteId, e.matchedAt])).toEqual([
      [7, 'c1', minute(2)],
      [8, 'c2', minute(2)],
    ]);
    expect(await t.store.sync.ledgerOf('servicenow', 'OPS-1')).toEqual([]);
  });

  it('keeps one version per record and field, replaced on write', async () => {
    const v = { value: 'Waiting', updatedAt: minute(3), version: 4 };
    await t.store.unitOfWork((uow) => uow.sync.setFieldVersion('jira', 'OPS-1', 'status', v));
    expect(await t.store.sync.fieldVersion('jira', 'OPS-1', 'status')).toEqual(v);
    const w = { value: null, updatedAt: minute(5), version: null };
    await t.store.unitOfWork((uow) => uow.sync.setFieldVersion('jira', 'OPS-1', 'status', w));
    expect(await t.store.unitOfWork((uow) => uow.sync.fieldVersion('jira', 'OPS-1', 'status'))).toEqual(w);
    expect(await t.store.sync.fieldVersion('jira', 'OPS-1', 'priority')).toBeNull();
  });
});
