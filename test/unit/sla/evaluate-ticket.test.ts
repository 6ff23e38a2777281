import { createSlaEngine, evaluateTicket } from '../../../src/core/sla/evaluate-ticket';
import type { SlaRecord } from '../../../src/core/sla/types';
import { calendar, H, resolution, response, t, ticket } from './sla-fixtures';

const JSM = calendar('jsm', 'Europe/Berlin', { 1: ['09:00-17:00'], 2: ['09:00-16:00'], 4: ['08:00-17:00'] });
const BUSINESS = calendar('business', 'Europe/Berlin', {
  1: ['08:00-18:00'],
  2: ['08:00-18:00'],
  3: ['08:00-18:00'],
  4: ['08:00-18:00'],
  5: ['08:00-18:00'],
});
const ALL_DAY = [0, 1, 2, 3, 4, 5, 6].reduce<Record<number, string[]>>(
  (o, d) => ({ ...o, [d]: ['00:00-24:00'] }),
  {},
);
const BERLIN_DAYS = calendar('days', 'Europe/Berlin', ALL_DAY);
const SUNDAY_NIGHT = calendar('sunday-night', 'Europe/Berlin', { 0: ['01:00-05:00'] });
const H24 = calendar('24x7', 'Europe/Berlin', null);
const CALENDARS = [JSM, BUSINESS, BERLIN_DAYS, SUNDAY_NIGHT, H24];

function resolutionRecords(
  def: ReturnType<typeof resolution>,
  rows: Parameters<typeof ticket>[0],
  asOf: string,
): SlaRecord[] {
  return evaluateTicket(ticket(rows), createSlaEngine([def], CALENDARS), t(asOf));
}

describe('evaluateTicket: breach times on business calendars', () => {
  const cases: {
    name: string;
    calendar: string;
    target: number;
    opened: string;
    asOf: string;
    breachedAt: string;
    elapsedAtAsOf: number;
  }[] = [
    {
      name: 'JSM documentation example: 16 h from Monday 11:00 breaches Thursday 11:00',
      calendar: 'jsm',
      target: 16 * H,
      opened: '2026-11-02T11:00:00+01:00',
      asOf: '2026-11-06T12:00:00+01:00',
      breachedAt: '2026-11-05T11:00:00+01:00',
      elapsedAtAsOf: 6 * H + 7 * H + 9 * H,
    },
    {
      name: 'spring DST day (Europe/Berlin 2026-03-29) has 23 hours: 4 h from midnight end at 05:00 CEST',
      calendar: 'days',
      target: 4 * H,
      opened: '2026-03-29T00:00:00+01:00',
      asOf: '2026-03-30T00:00:00+02:00',
      breachedAt: '2026-03-29T05:00:00+02:00',
      elapsedAtAsOf: 23 * H,
    },
    {
      name: 'autumn DST day (Europe/Berlin 2026-10-25) has 25 hours: 24 h from midnight end at 23:00 CET',
      calendar: 'days',
      target: 24 * H,
      opened: '2026-10-25T00:00:00+02:00',
      asOf: '2026-10-26T00:00:00+01:00',
      breachedAt: '2026-10-25T23:00:00+01:00',
      elapsedAtAsOf: 25 * H,
    },
    {
      name: 'window 01:00–05:00 on the spring DST Sunday holds only 3 real hours',
      calendar: 'sunday-night',
      target: 3.5 * H,
      opened: '2026-03-29T00:00:00+01:00',
      asOf: '2026-04-06T00:00:00+02:00',
      breachedAt: '2026-04-05T01:30:00+02:00',
      elapsedAtAsOf: 3 * H + 4 * H,
    },
    {
      name: 'business hours across a weekend: Friday 17:00 + 2 h ends Monday 09:00',
      calendar: 'business',
      target: 2 * H,
      opened: '2026-10-09T17:00:00+02:00',
      asOf: '2026-10-12T12:00:00+02:00',
      breachedAt: '2026-10-12T09:00:00+02:00',
      elapsedAtAsOf: 1 * H + 4 * H,
    },
    {
      name: 'business hours across the autumn DST weekend keep local 08:00',
      calendar: 'business',
      target: 3 * H,
      opened: '2026-10-23T16:00:00+02:00',
      asOf: '2026-10-26T10:00:00+01:00',
      breachedAt: '2026-10-26T09:00:00+01:00',
      elapsedAtAsOf: 2 * H + 2 * H,
    },
  ];
  it.each(cases)('$name', (c) => {
    const [rec] = resolutionRecords(resolution(c.calendar, { 3: c.target }), [[c.opened, 'New', 3]], c.asOf);
    expect(rec?.breached).toBe(true);
    expect(rec?.breachedAt).toBe(t(c.breachedAt));
    expect(rec?.elapsedBusinessSeconds).toBe(c.elapsedAtAsOf);
    expect(rec?.stage).toBe('running');
  });

  it('a holiday (closed date) carries the clock to the next working day', () => {
    const withHoliday = calendar(
      'business',
      'Europe/Berlin',
      { 1: ['08:00-18:00'], 3: ['08:00-18:00'], 4: ['08:00-18:00'], 5: ['08:00-18:00'] },
      ['2026-06-04'],
    );
    const engine = createSlaEngine([resolution('business', { 3: 4 * H })], [withHoliday]);
    const [rec] = evaluateTicket(
      ticket([['2026-06-03T16:00:00+02:00', 'New', 3]]),
      engine,
      t('2026-06-08T00:00:00+02:00'),
    );
    expect(rec?.breachedAt).toBe(t('2026-06-05T10:00:00+02:00'));
    const engineNoHoliday = createSlaEngine(
      [resolution('business', { 3: 4 * H })],
      [{ ...withHoliday, closedDates: new Set() }],
    );
    const [plain] = evaluateTicket(
      ticket([['2026-06-03T16:00:00+02:00', 'New', 3]]),
      engineNoHoliday,
      t('2026-06-08T00:00:00+02:00'),
    );
    expect(plain?.breachedAt).toBe(t('2026-06-04T10:00:00+02:00'));
  });

  it('projects the due time of a running clock that has not breached yet', () => {
    const [rec] = resolutionRecords(
      resolution('jsm', { 3: 16 * H }),
      [['2026-11-02T11:00:00+01:00', 'New', 3]],
      '2026-11-03T10:00:00+01:00',
    );
    expect(rec).toMatchObject({
      breached: false,
      breachedAt: null,
      dueAt: t('2026-11-05T11:00:00+01:00'),
      timeLeftBusinessSeconds: 9 * H,
    });
  });
});

describe('evaluateTicket: pauses, stops and attribution', () => {
  it('a pause spanning a night and a weekend counts neither as elapsed nor as running time', () => {
    const [rec] = resolutionRecords(
      resolution('business', { 3: 8 * H }),
      [
        ['2026-10-09T17:00:00+02:00', 'Active', 3, 'Provider A'],
        ['2026-10-09T17:30:00+02:00', 'Awaiting User Info', 3, 'Provider A'],
        ['2026-10-12T09:00:00+02:00', 'Active', 3, 'Provider B'],
        ['2026-10-12T10:00:00+02:00', 'Resolved', 3, 'Provider B'],
      ],
      '2026-10-31T00:00:00+01:00',
    );
    expect(rec).toMatchObject({
      stage: 'completed',
      stoppedAt: t('2026-10-12T10:00:00+02:00'),
      elapsedBusinessSeconds: 1.5 * H,
      pausedBusinessSeconds: 1.5 * H,
      elapsedWallSeconds: 1.5 * H,
      pausedWallSeconds: 63.5 * H,
      breached: false,
      heldBy: { 'Provider A': 0.5 * H, 'Provider B': 1 * H },
    });
  });

  it('attributes a breach to the assignee holding the ticket at the breach instant', () => {
    const [rec] = resolutionRecords(
      resolution('24x7', { 2: 4 * H }),
      [
        ['2026-10-12T08:00:00+02:00', 'Active', 2, 'Provider A'],
        ['2026-10-12T11:00:00+02:00', 'Active', 2, 'Provider B'],
        ['2026-10-12T15:00:00+02:00', 'Resolved', 2, 'Provider B'],
      ],
      '2026-10-31T00:00:00+01:00',
    );
    expect(rec).toMatchObject({
      breached: true,
      breachedAt: t('2026-10-12T12:00:00+02:00'),
      breachHolder: 'Provider B',
    });
    expect(rec?.heldBy).toEqual({ 'Provider A': 3 * H, 'Provider B': 4 * H });
  });

  it('meeting the target exactly is not a breach', () => {
    const [rec] = resolutionRecords(
      resolution('24x7', { 1: 1 * H }),
      [
        ['2026-10-12T08:00:00+02:00', 'Active', 1],
        ['2026-10-12T09:00:00+02:00', 'Resolved', 1],
      ],
      '2026-10-31T00:00:00+01:00',
    );
    expect(rec).toMatchObject({ breached: false, timeLeftBusinessSeconds: 0 });
  });

  it('reports a paused stage and no due time while waiting', () => {
    const [rec] = resolutionRecords(
      resolution('24x7', { 3: 8 * H }),
      [
        ['2026-10-12T08:00:00+02:00', 'Active', 3],
        ['2026-10-12T09:00:00+02:00', 'On Hold', 3],
      ],
      '2026-10-12T12:00:00+02:00',
    );
    expect(rec).toMatchObject({
      stage: 'paused',
      dueAt: null,
      elapsedBusinessSeconds: H,
      pausedWallSeconds: 3 * H,
    });
  });

  it('a cancel state ends the cycle as cancelled', () => {
    const [rec] = resolutionRecords(
      resolution('24x7', { 3: 8 * H }),
      [
        ['2026-10-12T08:00:00+02:00', 'New', 3],
        ['2026-10-12T09:00:00+02:00', 'Canceled', 3],
      ],
      '2026-10-31T00:00:00+01:00',
    );
    expect(rec).toMatchObject({ stage: 'cancelled', elapsedBusinessSeconds: H });
  });

  it('a priority without target gives a record without verdict', () => {
    const [rec] = resolutionRecords(
      resolution('24x7', { 1: H }),
      [['2026-10-12T08:00:00+02:00', 'New', 4]],
      '2026-10-12T10:00:00+02:00',
    );
    expect(rec).toMatchObject({ breached: null, targetSeconds: null, elapsedBusinessSeconds: 2 * H });
  });
});

describe('evaluateTicket: retroactive start and cycles', () => {
  const rows: Parameters<typeof ticket>[0] = [
    ['2026-10-12T09:00:00+02:00', 'Active', 3],
    ['2026-10-12T09:30:00+02:00', 'On Hold', 3],
    ['2026-10-12T11:30:00+02:00', 'Active', 3],
    ['2026-10-12T12:00:00+02:00', 'Active', 1],
    ['2026-10-12T12:45:00+02:00', 'Resolved', 1],
  ];
  const targets = { 1: 1 * H, 3: 8 * H };

  it('retroactive start counts the new priority from the opening, minus earlier pauses', () => {
    const [rec] = resolutionRecords(resolution('24x7', targets), rows, '2026-10-31T00:00:00+01:00');
    expect(rec).toMatchObject({
      priority: 1,
      targetSeconds: H,
      startedAt: t('2026-10-12T09:00:00+02:00'),
      elapsedBusinessSeconds: 1.75 * H,
      pausedBusinessSeconds: 2 * H,
      breached: true,
      breachedAt: t('2026-10-12T12:00:00+02:00'),
    });
  });

  it('without retroactive start the clock of the new priority attaches at the change', () => {
    const [rec] = resolutionRecords(
      resolution('24x7', targets, { retroactiveStart: false }),
      rows,
      '2026-10-31T00:00:00+01:00',
    );
    expect(rec).toMatchObject({
      startedAt: t('2026-10-12T12:00:00+02:00'),
      elapsedBusinessSeconds: 0.75 * H,
      breached: false,
    });
  });

  it('a reopen starts a new resolution cycle while the response SLA keeps one cycle', () => {
    const engine = createSlaEngine([response('24x7', { 3: H }), resolution('24x7', { 3: 2 * H })], CALENDARS);
    const records = evaluateTicket(
      ticket([
        ['2026-10-12T09:00:00+02:00', 'New', 3],
        ['2026-10-12T09:20:00+02:00', 'Active', 3],
        ['2026-10-12T10:00:00+02:00', 'Resolved', 3],
        ['2026-10-12T12:00:00+02:00', 'Active', 3],
        ['2026-10-12T15:00:00+02:00', 'Resolved', 3],
        ['2026-10-13T15:00:00+02:00', 'Closed', 3],
      ]),
      engine,
      t('2026-10-31T00:00:00+01:00'),
    );
    expect(
      records.map((r) => [r.kind, r.cycle, r.startedAt, r.stoppedAt, r.elapsedBusinessSeconds, r.breached]),
    ).toEqual([
      ['response', 1, t('2026-10-12T09:00:00+02:00'), t('2026-10-12T09:20:00+02:00'), 1200, false],
      ['resolution', 1, t('2026-10-12T09:00:00+02:00'), t('2026-10-12T10:00:00+02:00'), H, false],
      ['resolution', 2, t('2026-10-12T12:00:00+02:00'), t('2026-10-12T15:00:00+02:00'), 3 * H, true],
    ]);
  });

  it('an acknowledgement stops the response clock before any state change', () => {
    const engine = createSlaEngine([response('24x7', { 3: H })], CALENDARS);
    const tk = ticket([['2026-10-12T09:00:00+02:00', 'New', 3]]);
    tk.events.push({ at: t('2026-10-12T09:05:00+02:00'), acknowledged: true });
    const [rec] = evaluateTicket(tk, engine, t('2026-10-12T12:00:00+02:00'));
    expect(rec).toMatchObject({ stage: 'completed', elapsedBusinessSeconds: 300 });
  });

  it('ignores history after asOf so past months stay reproducible', () => {
    const [rec] = resolutionRecords(resolution('24x7', targets), rows, '2026-10-12T10:00:00+02:00');
    expect(rec).toMatchObject({
      priority: 3,
      stage: 'paused',
      stoppedAt: null,
      elapsedBusinessSeconds: 0.5 * H,
    });
  });
});
