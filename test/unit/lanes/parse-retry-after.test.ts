import { parseRetryAfter } from '../../../integrations/http/retry-after';

const NOW = Date.parse('2026-11-02T08:00:00Z');

describe('parseRetryAfter (delta-seconds or HTTP date, against the caller’s now)', () => {
  it.each([
    ['delta-seconds', '7', 7],
    ['delta-seconds with blanks', ' 120 ', 120],
    ['zero', '0', 0],
    ['IMF-fixdate 90 s ahead', 'Mon, 02 Nov 2026 08:01:30 GMT', 90],
    ['IMF-fixdate with milliseconds to spare, rounded up', 'Mon, 02 Nov 2026 08:00:01 GMT', 1],
    ['obsolete RFC 850 date', 'Monday, 02-Nov-26 08:00:30 GMT', 30],
    ['obsolete asctime date (UTC)', 'Mon Nov  2 08:00:45 2026', 45],
    ['a date in the past', 'Sun, 01 Nov 2026 08:00:00 GMT', 0],
  ])('reads %s', (_what, header, seconds) => {
    expect(parseRetryAfter(header, NOW)).toBe(seconds);
  });

  it.each([
    ['absent', null],
    ['undefined', undefined],
    ['empty', ''],
    ['negative', '-5'],
    ['fractional', '1.5'],
    ['garbage', 'soon'],
    ['a number inside words', 'foo 1'],
    ['an ISO timestamp (not an HTTP date)', '2026-11-02T08:01:00Z'],
    ['an impossible date', 'Mon, 99 Nov 2026 08:00:00 GMT'],
  ])('returns null for %s', (_what, header) => {
    expect(parseRetryAfter(header, NOW)).toBeNull();
  });

  it('measures an HTTP date against the now it is given, not the wall clock', () => {
    const header = 'Mon, 02 Nov 2026 08:01:00 GMT';
    expect(parseRetryAfter(header, NOW)).toBe(60);
    expect(parseRetryAfter(header, NOW + 30_000)).toBe(30);
  });
});
