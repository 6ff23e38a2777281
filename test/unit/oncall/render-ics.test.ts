import { parseIcs } from '../../helpers/parse-ics';
import { escapeIcsText, foldIcsLine, icsUtc, renderIcs } from '../../../src/core/oncall/render-ics';

describe('renderIcs', () => {
  it.each([
    ['commas, semicolons and backslashes', 'a,b;c\\d', 'a\\,b\\;c\\\\d'],
    ['line breaks', 'one\r\ntwo\nthree', 'one\\ntwo\\nthree'],
    ['plain text', 'On call: Anna (infra)', 'On call: Anna (infra)'],
  ])('escapes %s', (_name, text, escaped) => {
    expect(escapeIcsText(text)).toBe(escaped);
  });

  it.each([
    ['ASCII', 'SUMMARY:' + 'x'.repeat(200)],
    ['multi-byte characters, never split', 'SUMMARY:' + 'ü€😀'.repeat(40)],
  ])('folds %s at 75 octets', (_name, line) => {
    const folded = foldIcsLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(75);
    for (const p of parts.slice(1)) expect(p.startsWith(' ')).toBe(true);
    expect(folded.replace(/\r\n /g, '')).toBe(line);
    expect(Buffer.from(folded).toString('utf8')).not.toContain('\uFFFD');
  });

  it('writes a calendar with CRLF line ends and UTC times that reads back', () => {
    const text = renderIcs({
      prodId: '-//itsm-bridge//on call//EN',
      name: 'On call: infra',
      stamp: Date.parse('2026-03-01T10:00:00Z'),
      events: [
        {
          uid: 'a@x',
          start: Date.parse('2026-03-23T08:00:00Z'),
          end: Date.parse('2026-03-30T07:00:00Z'),
          summary: 'On call: Müller, Jörg (infra)',
        },
      ],
    });
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(parseIcs(text)).toEqual([
      ['BEGIN', 'VCALENDAR'],
      ['VERSION', '2.0'],
      ['PRODID', '-//itsm-bridge//on call//EN'],
      ['CALSCALE', 'GREGORIAN'],
      ['METHOD', 'PUBLISH'],
      ['X-WR-CALNAME', 'On call: infra'],
      ['BEGIN', 'VEVENT'],
      ['UID', 'a@x'],
      ['DTSTAMP', '20260301T100000Z'],
      ['DTSTART', '20260323T080000Z'],
      ['DTEND', '20260330T070000Z'],
      ['SUMMARY', 'On call: Müller\\, Jörg (infra)'],
      ['TRANSP', 'TRANSPARENT'],
      ['END', 'VEVENT'],
      ['END', 'VCALENDAR'],
    ]);
    expect(icsUtc(Date.parse('2026-10-26T08:00:00.250Z'))).toBe('20261026T080000Z');
  });
});
