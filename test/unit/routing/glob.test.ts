import fc from 'fast-check';
import { globMatch, globScan } from '../../../src/core/routing/glob';

/** Textbook dynamic programme over (pattern prefix, value prefix): obviously right, quadratic time. */
function reference(pattern: string, value: string, ignoreCase = false): boolean {
  // Code units, like the matcher (a `?` is one UTF-16 unit, as `.` was in the old RegExp).
  const units = (s: string) => (ignoreCase ? s.toLowerCase() : s).split('');
  const pc = units(pattern);
  const vc = units(value);
  let row = Array.from({ length: vc.length + 1 }, (_, j) => j === 0);
  for (const c of pc) {
    const next = Array.from({ length: vc.length + 1 }, () => false);
    next[0] = c === '*' && row[0]!;
    for (let j = 1; j <= vc.length; j += 1) {
      next[j] = c === '*' ? row[j]! || next[j - 1]! : row[j - 1]! && (c === '?' || c === vc[j - 1]);
    }
    row = next;
  }
  return row[vc.length]!;
}

describe('globMatch', () => {
  it.each([
    ['*', '', true],
    ['*', 'anything', true],
    ['db-*', 'db-01', true],
    ['db-*', 'web-01', false],
    ['db-??', 'db-01', true],
    ['db-??', 'db-001', false],
    ['*.example.com', 'a.b.example.com', true],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acb', false],
    ['a.b', 'aXb', false],
    ['[x]', '[x]', true],
    ['', '', true],
    ['', 'x', false],
  ])('%j vs %j -> %s', (pattern, value, want) => {
    expect(globMatch(pattern, value)).toBe(want);
  });

  it('never matches a missing value, not even with *', () => {
    expect(globMatch('*', null)).toBe(false);
    expect(globMatch('*', undefined)).toBe(false);
  });

  it('folds case only when asked', () => {
    expect(globMatch('PRINT *', 'print spooler')).toBe(false);
    expect(globMatch('PRINT *', 'print spooler', { ignoreCase: true })).toBe(true);
  });

  it('agrees with a reference matcher on random patterns and values', () => {
    const alphabet = fc.constantFrom('a', 'b', 'A', '*', '?', '.');
    const text = (max: number) => fc.array(alphabet, { maxLength: max }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(text(8), text(14), fc.boolean(), (pattern, value, ignoreCase) => {
        expect(globMatch(pattern, value, { ignoreCase })).toBe(reference(pattern, value, ignoreCase));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    // The example: polynomial in the stars with `*` → `.*`.
    ['*a*a*a*b', 'a'.repeat(2000)],
    ['*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(8192)],
    ['*?*?*?*?*?*?*?*x', 'y'.repeat(8192)],
    ['*' + 'ab'.repeat(100) + 'c', 'ab'.repeat(4096)],
  ])('does at most (value + 1) × (pattern + 1) steps: %s', (pattern, value) => {
    const { matched, steps } = globScan(pattern, value);
    expect(matched).toBe(false);
    expect(steps).toBeLessThanOrEqual((value.length + 1) * (pattern.length + 1));
  });

  it('stays linear in the value for a fixed pattern of stars', () => {
    // Greedy-with-one-backtrack-point: each extra character costs the same, whatever the number of stars.
    const cost = (n: number) => globScan('*a*a*a*a*a*b', 'a'.repeat(n)).steps;
    expect(cost(20_000) / cost(10_000)).toBeLessThan(2.2);
  });
});
