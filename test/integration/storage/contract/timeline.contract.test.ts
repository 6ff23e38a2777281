import type { TimelineEvent } from '../../../../src/core/incident/timeline-event';
import type { NewTimelineEntry, Store, TimelineEntryOf } from '../../../../src/ports/store';
import { BACKENDS, freshStore, minute } from './backends';

const entry = (incidentId: number, n: number, event: TimelineEvent): NewTimelineEntry => ({
  incidentId,
  at: minute(n),
  actor: n % 2 ? 'slack:U123' : 'monitoring',
  reason: `reason ${n}`,
  alertId: n % 2 ? null : n,
  ...event,
});

const opened: TimelineEvent = {
  type: 'opened',
  data: { dedupKey: 'k1', groupKey: 'g1', provider: 'infra', priority: 2, previousIncidentId: null },
};
const joined: TimelineEvent = { type: 'alert_joined', data: { dedupKey: 'k2' } };
const acked: TimelineEvent = { type: 'acknowledged', data: { name: 'Ann', platform: 'slack' } };
const note = (text: string): TimelineEvent => ({
  type: 'note',
  data: { name: 'Ann', platform: 'teams', note: text },
});
const resolved: TimelineEvent = { type: 'resolved', data: {} };

/** Adds the entries in one unit of work; on a fresh store they get ids 1, 2, … in this order. */
const add = (store: Store, ...entries: NewTimelineEntry[]) =>
  store.unitOfWork(async (uow) => {
    for (const e of entries) await uow.timeline.add(e);
  });

describe.each(BACKENDS)('timeline contract: %s', (_name, open) => {
  const t = freshStore(open);

  it('returns the newest entries of an incident, oldest first', async () => {
    const mine = [entry(1, 0, opened), entry(1, 1, joined), entry(1, 2, acked), entry(1, 4, note('x'))];
    const another = entry(2, 3, opened);
    await add(t.store, mine[0]!, mine[1]!, mine[2]!, another, mine[3]!, entry(1, 5, resolved));
    expect(await t.store.timeline.of(1, 3)).toEqual([
      { id: 3, ...mine[2] },
      { id: 5, ...mine[3] },
      { id: 6, ...entry(1, 5, resolved) },
    ]);
    expect((await t.store.timeline.of(1, 10)).map((e) => [e.id, e.type])).toEqual([
      [1, 'opened'],
      [2, 'alert_joined'],
      [3, 'acknowledged'],
      [5, 'note'],
      [6, 'resolved'],
    ]);
    expect(await t.store.timeline.of(2, 10)).toEqual([{ id: 4, ...another }]);
    expect(await t.store.timeline.of(3, 10)).toEqual([]);
  });

  it('reads the entries of one type inside the unit of work, oldest first, with their data', async () => {
    await add(t.store, entry(1, 0, opened), entry(1, 1, note('first')), entry(2, 2, note('elsewhere')));
    const [notes, tickets] = await t.store.unitOfWork(async (uow) => {
      await uow.timeline.add(entry(1, 3, acked));
      await uow.timeline.add(entry(1, 4, note('second')));
      return [await uow.timeline.ofType(1, 'note'), await uow.timeline.ofType(1, 'ticket_create')] as const;
    });
    // The data is typed by the type asked for: no cast needed to read a note's text.
    const texts: string[] = notes.map((n: TimelineEntryOf<'note'>) => n.data.note);
    expect(texts).toEqual(['first', 'second']);
    expect(notes).toEqual([
      { id: 2, ...entry(1, 1, note('first')) },
      { id: 5, ...entry(1, 4, note('second')) },
    ]);
    expect(tickets).toEqual([]);
  });

  it('reads a row of an unknown type or with bad data as unreadable, and leaves it out of ofType', async () => {
    await add(t.store, entry(1, 0, note('fine')));
    const plant = (type: string, data: string) =>
      t.direct.run(
        'INSERT INTO timeline (incident_id, at, type, actor, reason, alert_id, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
        1,
        minute(1),
        type,
        'old-version',
        'planted',
        null,
        data,
      );
    await plant('mystery', '{}');
    await plant('note', '{"name":"Ann"}');
    await plant('note', 'not json');
    const meta = { incidentId: 1, at: minute(1), actor: 'old-version', reason: 'planted', alertId: null };
    expect(await t.store.timeline.of(1, 10)).toEqual([
      { id: 1, ...entry(1, 0, note('fine')) },
      {
        id: 2,
        ...meta,
        type: 'unreadable',
        data: { storedType: 'mystery', error: 'unknown type "mystery"' },
      },
      {
        id: 3,
        ...meta,
        type: 'unreadable',
        data: {
          storedType: 'note',
          error: 'data.platform: Invalid option: expected one of "slack"|"teams"',
        },
      },
      { id: 4, ...meta, type: 'unreadable', data: { storedType: 'note', error: 'data is not JSON' } },
    ]);
    expect(await t.store.unitOfWork((uow) => uow.timeline.ofType(1, 'note'))).toEqual([
      { id: 1, ...entry(1, 0, note('fine')) },
    ]);
  });
});
