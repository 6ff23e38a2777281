import { onCallAt } from '../../../src/core/oncall/on-call-at';
import type { OnCallOverride, OnCallSchedule, RotationLayer } from '../../../src/core/oncall/schedule';
import { currentAndNext, shiftsBetween } from '../../../src/core/oncall/shifts-between';

const ANNA = { name: 'Anna', slackUser: 'U0ANNA0001' };
const BEN = { name: 'Ben', phone: '+49 89 1' };
const CEM = { name: 'Cem' };
const DORA = { name: 'Dora' };

const t = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

/** Weekly, Monday 09:00 Europe/Berlin, Anna → Ben → Cem from the given Monday. */
const weekly = (startDate: string, people = [ANNA, BEN, CEM]): RotationLayer => ({
  name: 'primary',
  people,
  lengthSeconds: 7 * 86400,
  startDate,
  handoverTime: '09:00',
  handoverDay: 1,
});

const schedule = (layers: RotationLayer[], overrides: OnCallOverride[] = []): OnCallSchedule => ({
  timeZone: 'Europe/Berlin',
  layers,
  overrides,
});

// 2026 in Berlin: CET → CEST on Sunday 29 March, CEST → CET on Sunday 25 October.
const MARCH = schedule([weekly('2026-03-16')]); // Anna 16 Mar, Ben 23 Mar, Cem 30 Mar, Anna 6 Apr
const OCTOBER = schedule([weekly('2026-10-12')]); // Anna 12 Oct, Ben 19 Oct, Cem 26 Oct

describe('onCallAt', () => {
  it.each([
    ['a plain week, just before the handover (08:59 CET)', MARCH, '2026-03-23T07:59:59Z', 'Anna'],
    ['a plain week, at the handover (09:00 CET)', MARCH, '2026-03-23T08:00:00Z', 'Ben'],
    ['a plain week, mid-shift', MARCH, '2026-03-26T15:00:00Z', 'Ben'],
    ['the March DST week, 08:59 CEST', MARCH, '2026-03-30T06:59:59Z', 'Ben'],
    ['the March DST week, 09:00 CEST', MARCH, '2026-03-30T07:00:00Z', 'Cem'],
    ['the rotation wraps around to the first person', MARCH, '2026-04-06T07:00:00Z', 'Anna'],
    ['the October DST week, 08:00 CET is still the old shift', OCTOBER, '2026-10-26T07:00:00Z', 'Ben'],
    ['the October DST week, 09:00 CET', OCTOBER, '2026-10-26T08:00:00Z', 'Cem'],
    [
      'the handover day is found from a start date mid-week',
      schedule([weekly('2026-03-18')]),
      '2026-03-24T12:00:00Z',
      'Anna',
    ],
  ])('%s', (_name, s, at, who) => {
    expect(onCallAt(s, t(at))?.name).toBe(who);
  });

  it('nobody is on call before a rotation starts (a start date in the future)', () => {
    expect(onCallAt(schedule([weekly('2026-06-01')]), t('2026-05-01T00:00:00Z'))).toBeNull();
    expect(onCallAt(schedule([weekly('2026-06-01')]), t('2026-06-01T07:00:00Z'))?.name).toBe('Anna');
  });

  it('the highest layer with someone on call wins', () => {
    const s = schedule([weekly('2026-03-16'), weekly('2026-04-06', [DORA])]);
    expect(onCallAt(s, t('2026-04-01T12:00:00Z'))?.name).toBe('Cem'); // upper layer not started yet
    expect(onCallAt(s, t('2026-04-06T07:00:00Z'))?.name).toBe('Dora');
  });

  it('an override wins over the layers, and a later override over an earlier one', () => {
    const s = schedule(
      [weekly('2026-03-16')],
      [
        { person: DORA, from: t('2026-03-25T10:00:00Z'), to: t('2026-03-26T10:00:00Z') },
        { person: CEM, from: t('2026-03-25T12:00:00Z'), to: t('2026-03-25T13:00:00Z') },
      ],
    );
    expect(onCallAt(s, t('2026-03-25T09:59:59Z'))?.name).toBe('Ben');
    expect(onCallAt(s, t('2026-03-25T10:00:00Z'))?.name).toBe('Dora');
    expect(onCallAt(s, t('2026-03-25T12:30:00Z'))?.name).toBe('Cem');
    expect(onCallAt(s, t('2026-03-26T10:00:00Z'))?.name).toBe('Ben');
  });
});

const shifts = (s: OnCallSchedule, from: string, to: string) =>
  shiftsBetween(s, t(from), t(to)).map((x) => [x.person.name, iso(x.from), iso(x.to)]);

describe('shiftsBetween', () => {
  it.each([
    [
      'weekly shifts keep 09:00 local across the March change (a 167-hour week)',
      MARCH,
      ['2026-03-24T00:00:00Z', '2026-04-07T00:00:00Z'],
      [
        ['Ben', '2026-03-23T08:00:00.000Z', '2026-03-30T07:00:00.000Z'],
        ['Cem', '2026-03-30T07:00:00.000Z', '2026-04-06T07:00:00.000Z'],
        ['Anna', '2026-04-06T07:00:00.000Z', '2026-04-13T07:00:00.000Z'],
      ],
    ],
    [
      'and across the October change (a 169-hour week)',
      OCTOBER,
      ['2026-10-20T00:00:00Z', '2026-10-27T00:00:00Z'],
      [
        ['Ben', '2026-10-19T07:00:00.000Z', '2026-10-26T08:00:00.000Z'],
        ['Cem', '2026-10-26T08:00:00.000Z', '2026-11-02T08:00:00.000Z'],
      ],
    ],
    [
      'an override starting and ending mid-shift splits it',
      schedule(
        [weekly('2026-03-16')],
        [{ person: DORA, from: t('2026-03-25T10:00:00Z'), to: t('2026-03-26T10:00:00Z') }],
      ),
      ['2026-03-24T00:00:00Z', '2026-03-29T00:00:00Z'],
      [
        ['Ben', '2026-03-23T08:00:00.000Z', '2026-03-25T10:00:00.000Z'],
        ['Dora', '2026-03-25T10:00:00.000Z', '2026-03-26T10:00:00.000Z'],
        ['Ben', '2026-03-26T10:00:00.000Z', '2026-03-30T07:00:00.000Z'],
      ],
    ],
    [
      'an override extending a shift into the next one is one shift',
      schedule(
        [weekly('2026-03-16')],
        [{ person: BEN, from: t('2026-03-29T00:00:00Z'), to: t('2026-03-31T12:00:00Z') }],
      ),
      ['2026-03-24T00:00:00Z', '2026-04-01T00:00:00Z'],
      [
        ['Ben', '2026-03-23T08:00:00.000Z', '2026-03-31T12:00:00.000Z'],
        ['Cem', '2026-03-31T12:00:00.000Z', '2026-04-06T07:00:00.000Z'],
      ],
    ],
    [
      'a rotation of one person is one shift from its start, cut a year after the window',
      schedule([weekly('2026-03-16', [ANNA])]),
      ['2026-03-20T00:00:00Z', '2026-04-20T00:00:00Z'],
      [['Anna', '2026-03-16T08:00:00.000Z', '2027-04-21T00:00:00.000Z']],
    ],
    [
      'a 12-hour rotation hands over at 09:00 and 21:00 local on the 23-hour day',
      schedule([
        {
          name: 'day',
          people: [ANNA, BEN],
          lengthSeconds: 12 * 3600,
          startDate: '2026-03-01',
          handoverTime: '09:00',
        },
      ]),
      ['2026-03-28T21:00:00Z', '2026-03-29T20:00:00Z'],
      [
        ['Ben', '2026-03-28T20:00:00.000Z', '2026-03-29T07:00:00.000Z'],
        ['Anna', '2026-03-29T07:00:00.000Z', '2026-03-29T19:00:00.000Z'],
        ['Ben', '2026-03-29T19:00:00.000Z', '2026-03-30T07:00:00.000Z'],
      ],
    ],
  ])('%s', (_name, s, [from, to], expected) => {
    expect(shifts(s, from!, to!)).toEqual(expected);
  });

  it('agrees with onCallAt at every shift start and just before every shift end', () => {
    const s = schedule(
      [weekly('2026-01-05'), weekly('2026-09-07', [DORA, CEM])],
      [{ person: ANNA, from: t('2026-10-24T22:00:00Z'), to: t('2026-10-27T06:00:00Z') }],
    );
    for (const x of shiftsBetween(s, t('2026-01-01T00:00:00Z'), t('2026-12-31T00:00:00Z'))) {
      expect(onCallAt(s, x.from)).toEqual(x.person);
      expect(onCallAt(s, x.to - 1)).toEqual(x.person);
    }
  });
});

describe('currentAndNext', () => {
  const show = (r: ReturnType<typeof currentAndNext>) => ({
    now: r.now && [r.now.person.name, iso(r.now.from), Number.isFinite(r.now.to) ? iso(r.now.to) : 'open'],
    next: r.next && [r.next.person.name, iso(r.next.from)],
  });

  it.each([
    [
      'a plain week',
      MARCH,
      '2026-03-25T12:00:00Z',
      {
        now: ['Ben', '2026-03-23T08:00:00.000Z', '2026-03-30T07:00:00.000Z'],
        next: ['Cem', '2026-03-30T07:00:00.000Z'],
      },
    ],
    [
      'a start date in the future: nobody now, the first person next',
      schedule([weekly('2026-06-01')]),
      '2026-05-01T00:00:00Z',
      { now: null, next: ['Anna', '2026-06-01T07:00:00.000Z'] },
    ],
    [
      'a rotation of one person has no handover in sight',
      schedule([weekly('2026-03-16', [ANNA])]),
      '2026-05-01T00:00:00Z',
      { now: ['Anna', '2026-03-16T08:00:00.000Z', 'open'], next: null },
    ],
    [
      'an override ending mid-shift is the next handover',
      schedule(
        [weekly('2026-03-16')],
        [{ person: DORA, from: t('2026-03-25T10:00:00Z'), to: t('2026-03-26T10:00:00Z') }],
      ),
      '2026-03-25T12:00:00Z',
      {
        now: ['Dora', '2026-03-25T10:00:00.000Z', '2026-03-26T10:00:00.000Z'],
        next: ['Ben', '2026-03-26T10:00:00.000Z'],
      },
    ],
  ])('%s', (_name, s, at, expected) => {
    expect(show(currentAndNext(s, t(at)))).toEqual(expected);
  });
});
