import { handoffFacts, type DatedTimelineEvent } from '../../../src/core/sla/handoff-facts';
import { OlaAccumulator, type HandoffFact } from '../../../src/core/sla/handoff-ola';
import { monthWindow } from '../../../src/core/sla/report-period';

// A fixed clock: the report of November 2026 (Europe/Berlin) evaluated at 20 November, 12:00 UTC.
const NOVEMBER = monthWindow('2026-11', 'Europe/Berlin');
const AS_OF = Date.parse('2026-11-20T12:00:00Z');
const t = (s: string) => Date.parse(`2026-11-${s}Z`);
const min = 60_000;

type Decision = HandoffFact['decision'];
const fact = (
  id: number,
  from: string,
  to: string,
  offered: string,
  deadlineMin: number,
  d: Decision = null,
) => ({
  id,
  from,
  to,
  offeredAt: t(offered),
  deadline: t(offered) + deadlineMin * min,
  ref: `timeline ${id * 10}`,
  decision: d,
});
const decided = (kind: 'accepted' | 'rejected' | 'cancelled', at: string, ref: number): Decision => ({
  kind,
  at: t(at),
  ref: `timeline ${ref}`,
});

function ola(tickets: { id: string; number: string; handoffs?: HandoffFact[] }[], pingPong = 3) {
  const acc = new OlaAccumulator(NOVEMBER, AS_OF, pingPong);
  for (const tk of tickets) acc.add(tk);
  return acc.finish();
}

describe('hand-off figures per provider (OLA)', () => {
  const cases: {
    name: string;
    handoffs: HandoffFact[];
    row: Partial<
      Record<
        | 'offered'
        | 'received'
        | 'accepted'
        | 'rejected'
        | 'expired'
        | 'open'
        | 'cancelled'
        | 'olaMet'
        | 'olaMeasured',
        number
      >
    >;
    provider: string;
    state: string;
    withinDeadline: boolean | null;
    expired: boolean;
  }[] = [
    {
      name: 'accepted within the deadline meets the OLA',
      handoffs: [fact(1, 'infra', 'app', '03T08:00:00', 5, decided('accepted', '03T08:04:00', 11))],
      provider: 'app',
      row: { received: 1, accepted: 1, expired: 0, olaMet: 1, olaMeasured: 1 },
      state: 'accepted',
      withinDeadline: true,
      expired: false,
    },
    {
      name: 'accepted exactly at the deadline still meets it',
      handoffs: [fact(1, 'infra', 'app', '03T08:00:00', 5, decided('accepted', '03T08:05:00', 11))],
      provider: 'app',
      row: { accepted: 1, expired: 1, olaMet: 1, olaMeasured: 1 },
      state: 'accepted',
      withinDeadline: true,
      expired: true,
    },
    {
      name: 'accepted after the deadline is expired and misses the OLA',
      handoffs: [fact(1, 'infra', 'app', '03T08:00:00', 15, decided('accepted', '03T08:40:00', 11))],
      provider: 'app',
      row: { accepted: 1, expired: 1, olaMet: 0, olaMeasured: 1 },
      state: 'accepted',
      withinDeadline: false,
      expired: true,
    },
    {
      name: 'rejected in time is neither met nor measured',
      handoffs: [fact(1, 'infra', 'app', '03T08:00:00', 60, decided('rejected', '03T08:10:00', 11))],
      provider: 'app',
      row: { received: 1, rejected: 1, olaMeasured: 0 },
      state: 'rejected',
      withinDeadline: null,
      expired: false,
    },
    {
      name: 'still open past the deadline at asOf counts as expired and open',
      handoffs: [fact(1, 'infra', 'app', '20T11:00:00', 15)],
      provider: 'app',
      row: { open: 1, expired: 1, olaMeasured: 1, olaMet: 0 },
      state: 'open',
      withinDeadline: null,
      expired: true,
    },
    {
      name: 'open before its deadline at asOf is not yet measured',
      handoffs: [fact(1, 'infra', 'app', '20T11:58:00', 5)],
      provider: 'app',
      row: { open: 1, expired: 0, olaMeasured: 0 },
      state: 'open',
      withinDeadline: null,
      expired: false,
    },
    {
      name: 'a decision after asOf is not seen yet',
      handoffs: [fact(1, 'infra', 'app', '20T11:58:00', 5, decided('accepted', '20T12:01:00', 11))],
      provider: 'app',
      row: { open: 1, accepted: 0 },
      state: 'open',
      withinDeadline: null,
      expired: false,
    },
    {
      name: 'a cancel counts for the offering provider',
      handoffs: [fact(1, 'infra', 'app', '03T08:00:00', 5, decided('cancelled', '03T08:01:00', 11))],
      provider: 'infra',
      row: { offered: 1, cancelled: 1, received: 0 },
      state: 'cancelled',
      withinDeadline: null,
      expired: false,
    },
  ];

  it.each(cases)('$name', (c) => {
    const report = ola([{ id: '1', number: 'INC1', handoffs: c.handoffs }])!;
    expect(report.providers.find((p) => p.provider === c.provider)).toMatchObject(c.row);
    expect(report.handoffs).toEqual([
      expect.objectContaining({ state: c.state, withinDeadline: c.withinDeadline, expired: c.expired }),
    ]);
  });

  it('counts a hand-off in the month it was offered, in the report time zone', () => {
    // 31 October 23:30 UTC is 1 November 00:30 in Berlin: November. 31 October 22:30 UTC is October.
    const report = ola([
      {
        id: '1',
        number: 'INC1',
        handoffs: [
          { ...fact(1, 'infra', 'app', '03T08:00:00', 5), offeredAt: Date.parse('2026-10-31T23:30:00Z') },
          { ...fact(2, 'infra', 'app', '03T08:00:00', 5), offeredAt: Date.parse('2026-10-31T22:30:00Z') },
        ],
      },
    ])!;
    expect(report.handoffs.map((h) => h.handoffId)).toEqual([1]);
  });

  it('summarises time to accept (median, p90 nearest rank) and the OLA percentage', () => {
    const accepted = [2, 3, 4, 6, 20].map((m, i) =>
      fact(
        i + 1,
        'infra',
        'app',
        `0${i + 1}T08:00:00`,
        5,
        decided('accepted', `0${i + 1}T08:${String(m).padStart(2, '0')}:00`, 100 + i),
      ),
    );
    const app = ola([{ id: '1', number: 'INC1', handoffs: accepted }])!.providers.find(
      (p) => p.provider === 'app',
    )!;
    expect(app.timeToAccept).toEqual({ count: 5, mean: 420, median: 240, p90: 1200 });
    expect(app).toMatchObject({ olaMet: 3, olaMeasured: 5, olaPercent: 60, expired: 2 });
  });

  it('marks an incident ping-pong in the month of its third provider change, for every owner', () => {
    const chain = [
      fact(1, 'infra', 'app', '02T08:00:00', 5, decided('accepted', '02T08:01:00', 11)),
      fact(2, 'app', 'infra', '02T09:00:00', 5, decided('accepted', '02T09:01:00', 21)),
      fact(3, 'infra', 'app', '02T10:00:00', 5, decided('rejected', '02T10:01:00', 31)),
      fact(4, 'infra', 'dms', '02T11:00:00', 5, decided('accepted', '02T11:01:00', 41)),
    ];
    const report = ola([
      { id: '1', number: 'INC1', handoffs: chain },
      { id: '2', number: 'INC2', handoffs: chain.slice(0, 2) },
    ])!;
    expect(report.pingPong).toEqual([
      {
        number: 'INC1',
        ticketId: '1',
        changes: 3,
        owners: ['infra', 'app', 'infra', 'dms'],
        at: '2026-11-02T11:01:00.000Z',
        ref: 'timeline 41',
      },
    ]);
    expect(report.providers.map((p) => [p.provider, p.pingPongIncidents])).toEqual([
      ['app', 1],
      ['dms', 1],
      ['infra', 1],
    ]);
    expect(ola([{ id: '1', number: 'INC1', handoffs: chain }], 4)!.pingPong).toEqual([]);
  });

  it('has no section for a source without hand-offs, and an empty one for a store without any', () => {
    expect(ola([{ id: '1', number: 'INC1' }])).toBeNull();
    expect(ola([{ id: '1', number: 'INC1', handoffs: [] }])).toEqual({
      pingPongChanges: 3,
      providers: [],
      pingPong: [],
      handoffs: [],
    });
  });
});

describe('hand-offs read from the timeline', () => {
  const e = (id: number, at: string, ev: Omit<DatedTimelineEvent, 'id' | 'at'>): DatedTimelineEvent =>
    ({ id, at: `2026-11-${at}Z`, ...ev }) as DatedTimelineEvent;

  it('pairs each offer with its first decision and names both rows', () => {
    const facts = handoffFacts([
      e(5, '02T08:00:00', {
        type: 'handoff_offered',
        data: { handoffId: 1, from: 'infra', to: 'app', deadline: '2026-11-02T08:05:00Z' },
      }),
      e(6, '02T08:02:30', {
        type: 'handoff_expired',
        data: { handoffId: 1, from: 'infra', to: 'app', deadline: '2026-11-02T08:05:00Z' },
      }),
      e(7, '02T08:03:00', { type: 'handoff_accepted', data: { handoffId: 1, from: 'infra', to: 'app' } }),
      e(8, '02T08:04:00', { type: 'handoff_cancelled', data: { handoffId: 1, from: 'infra', to: 'app' } }),
      e(9, '02T09:00:00', {
        type: 'handoff_rejected',
        data: { handoffId: 2, from: 'app', to: 'dms', reason: 'x' },
      }),
    ]);
    expect(facts).toEqual([
      {
        id: 1,
        from: 'infra',
        to: 'app',
        offeredAt: t('02T08:00:00'),
        deadline: t('02T08:05:00'),
        ref: 'timeline 5',
        decision: { kind: 'accepted', at: t('02T08:03:00'), ref: 'timeline 7' },
      },
    ]);
  });
});
