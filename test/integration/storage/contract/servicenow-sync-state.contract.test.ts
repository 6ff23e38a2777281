import type { IncidentSnapshot } from '../../../../src/ports/store';
import { BACKENDS, freshStore } from './backends';

const INSTANCE = 'https://acme.service-now.com';

const snapshot = (
  sysId: string,
  modCount: number,
  extra: Partial<IncidentSnapshot> = {},
): IncidentSnapshot => ({
  sysId,
  modCount,
  updatedOn: `2026-11-02 08:00:0${modCount}`,
  fields: { state: String(modCount), assignment_group: 'DMS Infrastructure' },
  journalAfter: null,
  journal: [],
  ...extra,
});

describe.each(BACKENDS)('ServiceNow sync state contract: %s', (_name, open) => {
  const t = freshStore(open);

  it('has no cursor and no snapshots before the first save', async () => {
    expect(await t.store.servicenowSync.cursor(INSTANCE)).toBeNull();
    expect((await t.store.servicenowSync.snapshots(INSTANCE, ['a'.repeat(32)])).size).toBe(0);
  });

  it('keeps snapshots and the cursor per instance, and reads back what it saved', async () => {
    const sync = t.store.servicenowSync;
    const a = snapshot('a'.repeat(32), 2, {
      journalAfter: '2026-11-02 08:00:05',
      journal: [
        { sysId: 'j1', createdOn: '2026-11-02 08:00:04' },
        { sysId: 'j2', createdOn: '2026-11-02 08:00:05' },
      ],
    });
    await sync.save(INSTANCE, [a, snapshot('b'.repeat(32), 1)], {
      updatedOn: '2026-11-02 08:00:02',
      sysId: a.sysId,
    });
    const read = await sync.snapshots(INSTANCE, [a.sysId, 'b'.repeat(32), 'c'.repeat(32)]);
    expect(read.get(a.sysId)).toEqual(a);
    expect(read.get('b'.repeat(32))?.modCount).toBe(1);
    expect(read.has('c'.repeat(32))).toBe(false);
    expect(await sync.cursor(INSTANCE)).toEqual({ updatedOn: '2026-11-02 08:00:02', sysId: a.sysId });
    expect(await sync.cursor('https://other.service-now.com')).toBeNull();
    expect((await sync.snapshots('https://other.service-now.com', [a.sysId])).size).toBe(0);
  });

  it('never replaces a snapshot with an older sys_mod_count, and replaces it with a newer or equal one', async () => {
    const sync = t.store.servicenowSync;
    const id = 'a'.repeat(32);
    await sync.save(INSTANCE, [snapshot(id, 5)], null);
    await sync.save(INSTANCE, [snapshot(id, 3)], null);
    expect((await sync.snapshots(INSTANCE, [id])).get(id)?.modCount).toBe(5);
    await sync.save(
      INSTANCE,
      [snapshot(id, 5, { journal: [{ sysId: 'j9', createdOn: '2026-11-02 08:00:05' }] })],
      null,
    );
    expect((await sync.snapshots(INSTANCE, [id])).get(id)?.journal.map((j) => j.sysId)).toEqual(['j9']);
    await sync.save(INSTANCE, [snapshot(id, 6)], null);
    expect((await sync.snapshots(INSTANCE, [id])).get(id)?.modCount).toBe(6);
  });

  it('moves the cursor forward only, sys_id breaking ties of equal sys_updated_on', async () => {
    const sync = t.store.servicenowSync;
    await sync.save(INSTANCE, [], { updatedOn: '2026-11-02 08:00:10', sysId: 'b'.repeat(32) });
    await sync.save(INSTANCE, [], { updatedOn: '2026-11-02 08:00:09', sysId: 'f'.repeat(32) });
    await sync.save(INSTANCE, [], { updatedOn: '2026-11-02 08:00:10', sysId: 'a'.repeat(32) });
    expect(await sync.cursor(INSTANCE)).toEqual({ updatedOn: '2026-11-02 08:00:10', sysId: 'b'.repeat(32) });
    await sync.save(INSTANCE, [], { updatedOn: '2026-11-02 08:00:10', sysId: 'c'.repeat(32) });
    expect(await sync.cursor(INSTANCE)).toEqual({ updatedOn: '2026-11-02 08:00:10', sysId: 'c'.repeat(32) });
  });

  it('reads more snapshots than fit in one IN list', async () => {
    const sync = t.store.servicenowSync;
    const ids = Array.from({ length: 1200 }, (_, i) => i.toString(16).padStart(32, '0'));
    await sync.save(
      INSTANCE,
      ids.map((id) => snapshot(id, 1)),
      null,
    );
    expect((await sync.snapshots(INSTANCE, ids)).size).toBe(1200);
  });
});
