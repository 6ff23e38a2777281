import { RedactionConfig } from '../../../src/config/redaction';
import { createRedactor } from '../../../src/core/redact/redact';

describe('RedactionConfig', () => {
  it('gives working defaults for an empty section', () => {
    const config = RedactionConfig.parse({});
    expect(config).toEqual({
      enabled: true,
      builtIns: { email: true, phone: true, iban: true, vin: true, plate: true },
      patterns: [],
    });
    expect(createRedactor(config).text('WVWZZZ1JZXW000001')).toBe('[redacted:vin]');
  });

  it('keeps the other built-ins on when one is switched off', () => {
    expect(RedactionConfig.parse({ builtIns: { plate: false } }).builtIns).toEqual({
      email: true,
      phone: true,
      iban: true,
      vin: true,
      plate: false,
    });
  });

  it('accepts custom patterns with flags', () => {
    const config = RedactionConfig.parse({
      patterns: [{ name: 'customer-no', pattern: 'kd-\\d{8}', flags: 'i' }],
    });
    expect(createRedactor(config).text('KD-00123456')).toBe('[redacted:customer-no]');
  });

  const issues = (input: unknown) =>
    RedactionConfig.safeParse(input).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

  it.each([
    [
      { patterns: [{ name: 'customer-no', pattern: 'KD-(\\d+' }] },
      /^patterns\.0\.pattern: pattern "customer-no": not a valid regular expression/,
    ],
    [
      { patterns: [{ name: 'anything', pattern: '.*' }] },
      /^patterns\.0\.pattern: pattern "anything": matches the empty string/,
    ],
    [{ patterns: [{ name: 'x', pattern: 'a', flags: 'gy' }] }, /^patterns\.0\.flags: only the flags/],
    [{ patterns: [{ name: 'Customer No', pattern: 'a' }] }, /^patterns\.0\.name: lower-case/],
    [{ patterns: [{ name: 'vin', pattern: 'a' }] }, /^patterns\.0\.name: pattern name "vin" is already used/],
    [
      {
        patterns: [
          { name: 'a', pattern: 'x' },
          { name: 'a', pattern: 'y' },
        ],
      },
      /^patterns\.1\.name: pattern name "a" is already used/,
    ],
    [{ enable: false }, /unrecognized key/i],
    [{ builtIns: { licensePlate: false } }, /^builtIns: .*licensePlate/i],
  ])('rejects %j', (input, message) => {
    expect(issues(input)).toEqual([expect.stringMatching(message)]);
  });
});
