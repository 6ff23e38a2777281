import fc from 'fast-check';
import { createRedactor } from '../../../src/core/redact/redact';

const redactor = createRedactor({ patterns: [{ name: 'customer-no', pattern: 'KD-\\d{4,8}' }] });

// Pieces that look like the things we redact, so that random strings actually exercise the patterns.
const piece = fc.constantFrom(
  'WVWZZZ1JZXW000001',
  'DE89 3704 0044 0532 0130 00',
  'DE89370400440532013000',
  'anna@example.de',
  '+49 89 1234567',
  '089 1234567',
  '01711234567',
  'M-AB 1234',
  'HH AB 123H',
  'KD-1234',
  '[redacted:vin]',
  '2024-05-01T10:00:00Z',
  '10.0.0.1',
  ' ',
  '-',
  '.',
  '@',
  '+',
  '0',
  '1',
  'A',
  'Z',
  '(',
  ')',
  '/',
  '\n',
);
const text = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.array(fc.oneof(piece, fc.string({ maxLength: 5 })), { maxLength: 12 }).map((p) => p.join('')),
);

describe('redaction properties', () => {
  it('never throws and is idempotent on arbitrary strings', () => {
    fc.assert(
      fc.property(text, (input) => {
        const once = redactor.text(input);
        expect(redactor.text(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on arbitrary unicode, including lone surrogates', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (input) => {
        expect(typeof redactor.text(input)).toBe('string');
      }),
      { numRuns: 500 },
    );
  });

  it('stays fast on long adversarial input', () => {
    const long =
      'a'.repeat(20000) + '@' + 'b'.repeat(20000) + ' ' + '0'.repeat(20000) + ' +49' + ' 1'.repeat(5000);
    const started = performance.now();
    redactor.text(long);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
