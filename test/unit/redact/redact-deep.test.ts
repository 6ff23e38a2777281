import { createRedactor, redactDeep } from '../../../src/core/redact/redact';
import { Secret } from '../../../src/config/secret';

describe('deep redaction', () => {
  const input = {
    summary: 'Invoice print failed for WVWZZZ1JZXW000001',
    labels: { alertname: 'PrintQueueStuck', customer_email: 'anna@example.de' },
    count: 3,
    flags: [true, null, undefined],
    notes: [['call +49 89 1234567'], { text: 'plate M-AB 1234' }],
    when: new Date('2024-05-01T10:00:00Z'),
  };

  it('redacts strings at any depth and keeps everything else', () => {
    expect(redactDeep(input)).toEqual({
      summary: 'Invoice print failed for [redacted:vin]',
      labels: { alertname: 'PrintQueueStuck', customer_email: '[redacted:email]' },
      count: 3,
      flags: [true, null, undefined],
      notes: [['call [redacted:phone]'], { text: 'plate [redacted:plate]' }],
      when: input.when,
    });
  });

  it('never mutates its input, even when frozen', () => {
    const snapshot = structuredClone(input);
    const frozen = Object.freeze({ ...input, labels: Object.freeze({ ...input.labels }) });
    redactDeep(input);
    expect(() => redactDeep(frozen)).not.toThrow();
    expect(input).toEqual(snapshot);
  });

  it('redacts a bare string and leaves non-plain objects alone', () => {
    const secret = new Secret('anna@example.de');
    const redactor = createRedactor();
    expect(redactor.deep('anna@example.de')).toBe('[redacted:email]');
    expect(redactor.deep({ secret }).secret).toBe(secret);
    expect(redactor.deep(42)).toBe(42);
  });

  it('copes with cycles', () => {
    const node: { text: string; self?: unknown } = { text: 'anna@example.de' };
    node.self = node;
    const out = redactDeep(node) as { text: string; self: { text: string } };
    expect(out.text).toBe('[redacted:email]');
    expect(out.self).toBe(out);
    expect(node.text).toBe('anna@example.de');
  });
});
