import fc from 'fast-check';
import { CalendarTimeline } from '../../../src/core/sla/calendar-timeline';
import { calendar, t } from './sla-fixtures';

const MIN = 60_000;
const FROM = t('2026-01-01T00:00:00Z');
const SPAN_MIN = 366 * 24 * 60; // all of 2026: both DST changes are inside

const cal = () =>
  calendar(
    'c',
    'Europe/Berlin',
    { 1: ['08:00-12:00', '13:00-17:00'], 3: ['00:00-24:00'], 0: ['01:00-04:00'], 5: ['09:00-16:00'] },
    ['2026-05-01', '2026-12-25'],
  );

describe('CalendarTimeline', () => {
  it('is additive and consistent whatever order the days are materialised in', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: SPAN_MIN }), { minLength: 3, maxLength: 12 }),
        (mins) => {
          const tl = new CalendarTimeline(cal());
          // Queries in random order force the lazy day cache to grow both ways.
          const [a, b, c] = mins
            .slice(0, 3)
            .map((m) => FROM + m * MIN)
            .sort((x, y) => x - y) as [number, number, number];
          for (const m of mins) tl.cumulative(FROM + m * MIN);
          expect(tl.between(a, b) + tl.between(b, c)).toBe(tl.between(a, c));
          expect(tl.between(a, c)).toBeLessThanOrEqual(c - a);
          const fresh = new CalendarTimeline(cal());
          expect(fresh.between(a, c)).toBe(tl.between(a, c));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('instantAt inverts cumulative onto working time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: SPAN_MIN }), fc.integer({ min: 1, max: 200 * 60 }), (m, add) => {
        const tl = new CalendarTimeline(cal());
        const start = FROM + m * MIN;
        const end = tl.addBusiness(start, add * MIN) as number;
        expect(end).toBeGreaterThan(start);
        expect(tl.between(start, end)).toBe(add * MIN);
        // The instant is the first one reaching the amount: one minute earlier is short by that minute at most.
        expect(tl.between(start, end - MIN)).toBeLessThan(add * MIN);
      }),
      { numRuns: 60 },
    );
  });

  it('skips closure days and counts real hours on DST Sundays', () => {
    const tl = new CalendarTimeline(cal());
    expect(tl.between(t('2026-05-01T00:00:00+02:00'), t('2026-05-02T00:00:00+02:00'))).toBe(0); // Friday, closed
    expect(tl.between(t('2026-03-29T00:00:00+01:00'), t('2026-03-30T00:00:00+02:00'))).toBe(2 * 60 * MIN); // 01–04 minus the gap
    expect(tl.between(t('2026-10-25T00:00:00+02:00'), t('2026-10-26T00:00:00+01:00'))).toBe(4 * 60 * MIN); // 01–04 plus the repeat
  });
});
