import type { DatedTimelineEvent } from '../../../src/core/sla/handoff-facts';
import { monthWindow } from '../../../src/core/sla/report-period';
import { ShadowAccumulator, shadowFact } from '../../../src/core/sla/shadow-comparison';

const NOVEMBER = monthWindow('2026-11', 'Europe/Berlin');
const AS_OF = Date.parse('2026-11-20T12:00:00Z');
const OPENED = '2026-11-02T08:00:00.000Z';
const at = (m: number) => new Date(Date.parse(OPENED) + m * 60_000).toISOString();
const person = { name: 'Nina', platform: 'slack' as const };
const e = (id: number, m: number, ev: Omit<DatedTimelineEvent, 'id' | 'at'>): DatedTimelineEvent =>
  ({ id, at: at(m), ...ev }) as DatedTimelineEvent;
const opened = e(1, 0, {
  type: 'opened',
  data: { dedupKey: 'k', groupKey: 'g', provider: 'old', priority: 1, previousIncidentId: null },
});
const shadowAck = (id: number, m: number) =>
  e(id, m, { type: 'shadow_action', data: { ...person, provider: 'new', action: 'acknowledged' } });
const ownerAck = (id: number, m: number) =>
  e(id, m, { type: 'acknowledged', data: { name: 'Olga', platform: 'slack' } });
const incident = { shadow: 'new', provider: 'old', openedAt: OPENED };

function compare(entries: DatedTimelineEvent[][]) {
  const acc = new ShadowAccumulator(NOVEMBER, AS_OF);
  entries.forEach((list, i) =>
    acc.add({ id: String(i + 1), number: `INC${i + 1}`, shadow: shadowFact(incident, list) }),
  );
  return acc.finish();
}

describe('transition mode in the report: owner and shadow compared', () => {
  it.each([
    {
      name: 'the shadow acknowledges first',
      entries: [opened, shadowAck(2, 3), ownerAck(3, 7)],
      first: 'shadow',
      owner: 420,
      shadow: 180,
    },
    {
      name: 'the owner acknowledges first',
      entries: [opened, ownerAck(2, 2), shadowAck(3, 9)],
      first: 'owner',
      owner: 120,
      shadow: 540,
    },
    {
      name: 'only the shadow acknowledged',
      entries: [opened, shadowAck(2, 4)],
      first: 'shadow',
      owner: null,
      shadow: 240,
    },
    {
      name: 'both at the same instant',
      entries: [opened, ownerAck(2, 5), shadowAck(3, 5)],
      first: 'tie',
      owner: 300,
      shadow: 300,
    },
    { name: 'nobody yet', entries: [opened], first: null, owner: null, shadow: null },
  ])('$name', ({ entries, first, owner, shadow }) => {
    expect(compare([entries])!.incidents[0]).toMatchObject({
      first,
      ownerAckSeconds: owner,
      shadowAckSeconds: shadow,
    });
  });

  it('counts distinct steps and notes per side, the first acknowledgement of each, and names the rows', () => {
    const entries = [
      opened,
      shadowAck(2, 1),
      shadowAck(3, 2),
      e(4, 3, {
        type: 'shadow_action',
        data: { ...person, provider: 'new', action: 'runbook_step_done', step: 0 },
      }),
      e(5, 3, {
        type: 'shadow_action',
        data: { ...person, provider: 'new', action: 'runbook_step_done', step: 0 },
      }),
      e(6, 4, { type: 'shadow_action', data: { ...person, provider: 'new', action: 'note', note: 'x' } }),
      ownerAck(7, 6),
      e(8, 8, { type: 'runbook_step_done', data: { name: 'Olga', platform: 'slack', step: 0 } }),
      e(9, 9, { type: 'runbook_step_done', data: { name: 'Olga', platform: 'slack', step: 1 } }),
      e(10, 9, { type: 'note', data: { name: 'Olga', platform: 'slack', note: 'y' } }),
    ];
    const report = compare([entries, [opened, ownerAck(2, 10)]])!;
    expect(report.incidents[0]).toMatchObject({
      ownerSteps: 2,
      shadowSteps: 1,
      ownerNotes: 1,
      shadowNotes: 1,
      refs: 'timeline 7; timeline 2',
    });
    expect(report.pairs).toEqual([
      {
        owner: 'old',
        shadow: 'new',
        incidents: 2,
        ownerFirst: 1,
        shadowFirst: 1,
        ties: 0,
        ownerMtta: { count: 2, mean: 480, median: 480, p90: 600 },
        shadowMtta: { count: 1, mean: 60, median: 60, p90: 60 },
        ownerSteps: 2,
        shadowSteps: 1,
        ownerNotes: 1,
        shadowNotes: 1,
      },
    ]);
  });

  it('counts incidents in the month they opened, sees nothing after asOf, and is absent without shadows', () => {
    const acc = new ShadowAccumulator(NOVEMBER, AS_OF);
    acc.add({
      id: '1',
      number: 'OCT',
      shadow: shadowFact({ ...incident, openedAt: '2026-10-31T22:30:00Z' }, []),
    });
    acc.add({
      id: '2',
      number: 'LATE',
      shadow: shadowFact({ ...incident, openedAt: '2026-11-20T12:00:01Z' }, []),
    });
    acc.add({ id: '3', number: 'NONE', shadow: shadowFact({ ...incident, shadow: null }, [opened]) });
    expect(acc.finish()).toBeNull();
    const late = compare([[opened, e(2, 60 * 24 * 30, { type: 'acknowledged', data: person })]])!;
    expect(late.incidents[0]!.ownerAckSeconds).toBeNull();
  });
});
