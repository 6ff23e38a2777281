import type { TimelineEvent, TimelineEventType } from '../../../../src/core/incident/timeline-event';
import type { IncidentHistory, IncidentRecord, NewIncident, Store } from '../../../../src/ports/store';
import { BACKENDS, freshStore, incident, insertIncidents, minute } from './backends';

/** The period asked for: minutes 100 to 200. */
const FROM = minute(100);
const TO = minute(200);

/** An incident opened at minute `opened` and resolved at minute `resolved` (or still open). */
const spanning = (groupKey: string, opened: number, resolved: number | null): NewIncident => ({
  ...incident(groupKey),
  openedAt: minute(opened),
  state: resolved === null ? 'open' : 'resolved',
  resolvedAt: resolved === null ? null : minute(resolved),
});

const INCIDENTS = [
  spanning('1-resolved-before-from', 10, 50),
  spanning('2-resolved-inside', 20, 150),
  spanning('3-opened-inside-still-open', 120, null),
  spanning('4-opened-at-to', 200, null),
  spanning('5-resolved-at-from', 30, 100),
  spanning('6-inside', 110, 190),
  spanning('7-opened-before-still-open', 50, null),
  spanning('8-opened-after-to', 250, null),
];

const opened = (groupKey: string): TimelineEvent => ({
  type: 'opened',
  data: { dedupKey: 'k1', groupKey, provider: 'infra', priority: 4, previousIncidentId: null },
});
const acked: TimelineEvent = { type: 'acknowledged', data: { name: 'Ann', platform: 'slack' } };
const note: TimelineEvent = { type: 'note', data: { name: 'Ann', platform: 'slack', note: 'looking' } };
const resolved: TimelineEvent = { type: 'resolved', data: {} };

/** Timeline entries, interleaved across incidents as they happen; on a fresh store ids 1, 2, … */
const TIMELINE: [incidentId: number, TimelineEvent][] = [
  [1, opened('1')],
  [2, opened('2')],
  [2, acked],
  [3, opened('3')],
  [2, note],
  [1, resolved],
  [6, opened('6')],
  [2, resolved],
  [6, note],
  [6, resolved],
  [3, acked],
];

const seed = async (store: Store) => {
  const incidents = await insertIncidents(store, ...INCIDENTS);
  await store.unitOfWork(async (uow) => {
    for (const [i, [incidentId, event]] of TIMELINE.entries())
      await uow.timeline.add({
        incidentId,
        at: minute(i),
        actor: 'test',
        reason: `r${i}`,
        alertId: null,
        ...event,
      });
  });
  return incidents;
};

const collect = async (pages: AsyncIterable<IncidentHistory[]>) => {
  const all: IncidentHistory[][] = [];
  for await (const page of pages) all.push(page);
  return all;
};

/** Each page as `[incident id, [timeline id, type]…]`. */
const summary = (pages: IncidentHistory[][]) =>
  pages.map((page) => page.map((h) => [h.incident.id, h.entries.map((e) => [e.id, e.type])]));

describe.each(BACKENDS)('incident histories contract: %s', (_name, open) => {
  const t = freshStore(open);
  const pages = (types: readonly TimelineEventType[], pageSize: number) =>
    collect(t.store.histories.pages({ from: FROM, to: TO, types, pageSize }));

  it('pages the incidents overlapping the period, in id order, pageSize at a time', async () => {
    const incidents = await seed(t.store);
    expect(summary(await pages(['opened', 'resolved'], 2))).toEqual([
      [
        [
          2,
          [
            [2, 'opened'],
            [8, 'resolved'],
          ],
        ],
        [3, [[4, 'opened']]],
      ],
      [
        [5, []],
        [
          6,
          [
            [7, 'opened'],
            [10, 'resolved'],
          ],
        ],
      ],
      [[7, []]],
    ]);
    const [first] = await pages(['opened'], 10);
    const byId = (id: number): IncidentRecord => incidents[id - 1]!;
    expect(first!.map((h) => h.incident)).toEqual([2, 3, 5, 6, 7].map(byId));
    expect(first![0]!.entries).toEqual([
      { id: 2, incidentId: 2, at: minute(1), actor: 'test', reason: 'r1', alertId: null, ...opened('2') },
    ]);
  });

  it('returns only the timeline entries of the asked types, oldest first', async () => {
    await seed(t.store);
    expect(summary(await pages(['acknowledged', 'note'], 10))).toEqual([
      [
        [
          2,
          [
            [3, 'acknowledged'],
            [5, 'note'],
          ],
        ],
        [3, [[11, 'acknowledged']]],
        [5, []],
        [6, [[9, 'note']]],
        [7, []],
      ],
    ]);
  });

  it('returns the incidents without entries when no types are asked for', async () => {
    await seed(t.store);
    expect(summary(await pages([], 3))).toEqual([
      [
        [2, []],
        [3, []],
        [5, []],
      ],
      [
        [6, []],
        [7, []],
      ],
    ]);
  });

  it('yields no page when no incident overlaps the period', async () => {
    await insertIncidents(t.store, INCIDENTS[0]!, INCIDENTS[3]!, INCIDENTS[7]!);
    expect(await pages(['opened'], 2)).toEqual([]);
  });
});
