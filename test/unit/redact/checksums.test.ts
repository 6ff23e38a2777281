import { ibanChecksumValid, ibanPrefixLength } from '../../../src/core/redact/iban';
import { isLikelyVin, vinCheckDigitValid } from '../../../src/core/redact/vin';

describe('IBAN mod 97', () => {
  it.each([
    ['DE89370400440532013000', true],
    ['DE89370400440532013001', false],
    ['GB82WEST12345698765432', true],
    ['AT611904300234573201', true],
    ['NO9386011117947', true],
  ])('%s -> %s', (iban, valid) => {
    expect(ibanChecksumValid(iban)).toBe(valid);
  });

  it('measures the valid prefix of a spaced candidate', () => {
    expect(ibanPrefixLength('DE89 3704 0044 0532 0130 00')).toBe(27);
    expect(ibanPrefixLength('BE68 5390 0754 7034 2024')).toBe(19);
    expect(ibanPrefixLength('DE89 3704')).toBe(0);
  });
});

describe('VIN', () => {
  it.each([
    ['1M8GDM9AXKP042788', true],
    ['WBA3A5C53CF256985', true],
    ['WBA3A5C55CF256985', false],
  ])('check digit of %s valid: %s', (vin, valid) => {
    expect(vinCheckDigitValid(vin)).toBe(valid);
  });

  it.each([
    ['WVWZZZ1JZXW000001', true], // European: Z instead of a check digit, numeric tail
    ['WBA3A5C55CF256985', true], // wrong check digit, numeric tail
    ['SCA1S68454UX07A4B', true], // valid check digit, no numeric tail
    ['SCA1S68494UX07A4B', false], // neither
    ['12345678901234567', false], // no letter in the manufacturer code
    ['WVWZZZ1JZXW00000I', false], // I is not in the VIN alphabet
  ])('%s is likely a VIN: %s', (token, likely) => {
    expect(isLikelyVin(token)).toBe(likely);
  });
});
