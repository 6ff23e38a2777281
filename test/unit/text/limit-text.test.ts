import { limitText, TRUNCATED_MARKER } from '../../../src/core/text/limit-text';

const utf8 = (c: string) => Buffer.byteLength(c);

describe('limitText', () => {
  it.each([
    ['short text unchanged', 'abc', 10, undefined, 'abc'],
    ['exactly at the limit unchanged', 'abcde', 5, undefined, 'abcde'],
    ['cut with the marker, marker counted', 'abcdefghij', 6, undefined, 'abc[…]'],
    ['an emoji is never split', 'ab😀cdefgh', 6, undefined, 'ab[…]'],
    ['bytes: a 3-byte character that does not fit is left out', 'aé€€€€', 8, utf8, 'aé[…]'],
  ])('%s', (_name, text, max, cost, expected) => {
    expect(limitText(text, max, cost, '[…]')).toBe(expected);
  });

  it('keeps the result within the limit for long text, ending with the default marker', () => {
    const out = limitText('x'.repeat(50_000), 40_000);
    expect(out.length).toBe(40_000);
    expect(out.endsWith(TRUNCATED_MARKER)).toBe(true);
  });

  it('counts the cost the caller gives (escaped length for markup)', () => {
    const escaped = (c: string) => (c === '&' ? 5 : c.length);
    const out = limitText('&'.repeat(100), 20, escaped, '…');
    expect(out).toBe(`${'&'.repeat(3)}…`);
  });
});
