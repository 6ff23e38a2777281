import { createRedactor, redact } from '../../../src/core/redact/redact';

const positives: [string, string, string][] = [
  // [pattern, input, expected]
  ['email', 'Kontakt: max.mustermann@autohaus-beispiel.de, bitte', 'Kontakt: [redacted:email], bitte'],
  ['email', '<Anna.Schmidt+dms@Example.co.uk>', '<[redacted:email]>'],
  ['phone', 'Rückruf +49 89 1234567 erbeten', 'Rückruf [redacted:phone] erbeten'],
  ['phone', '+49 (0)89 1234-567', '[redacted:phone]'],
  ['phone', '+4917112345678', '[redacted:phone]'],
  ['phone', 'call +44 20 7946 0958 now', 'call [redacted:phone] now'],
  ['phone', '+1 415-555-0100', '[redacted:phone]'],
  ['phone', '0049 89 1234567', '[redacted:phone]'],
  ['phone', 'Tel. 089 1234567', 'Tel. [redacted:phone]'],
  ['phone', 'Tel.: 089 / 123 456', 'Tel.: [redacted:phone]'],
  ['phone', '089/1234567', '[redacted:phone]'],
  ['phone', '(089) 123 4567', '[redacted:phone]'],
  ['phone', '+49 (89) 1234567', '[redacted:phone]'],
  ['phone', 'Zentrale 030 12345-678.', 'Zentrale [redacted:phone].'],
  ['phone', 'Handy 0171 1234567', 'Handy [redacted:phone]'],
  ['phone', 'mobil 01711234567', 'mobil [redacted:phone]'],
  ['iban', 'IBAN DE89370400440532013000', 'IBAN [redacted:iban]'],
  ['iban', 'IBAN DE89 3704 0044 0532 0130 00.', 'IBAN [redacted:iban].'],
  ['iban', 'de89370400440532013000', '[redacted:iban]'],
  ['iban', 'AT61 1904 3002 3457 3201', '[redacted:iban]'],
  ['iban', 'GB82 WEST 1234 5698 7654 32', '[redacted:iban]'],
  // A Belgian IBAN is 16 characters: the following year is not part of it and stays.
  ['iban', 'BE68 5390 0754 7034 2024', '[redacted:iban] 2024'],
  ['vin', 'Fahrzeug WVWZZZ1JZXW000001 nicht gefunden', 'Fahrzeug [redacted:vin] nicht gefunden'],
  ['vin', 'VIN=WBA3A5C55CF256985;', 'VIN=[redacted:vin];'],
  ['vin', 'WDD2050461F123456', '[redacted:vin]'],
  ['vin', '1M8GDM9AXKP042788', '[redacted:vin]'], // check digit X, the classic NHTSA example
  ['vin', 'SCA1S68454UX07A4B', '[redacted:vin]'], // no numeric tail, but a valid check digit
  ['plate', 'Kennzeichen M-AB 1234 abgemeldet', 'Kennzeichen [redacted:plate] abgemeldet'],
  ['plate', 'B-XY 12E', '[redacted:plate]'],
  ['plate', 'HH AB 123H', '[redacted:plate]'],
  ['plate', 'ÖHR-K 77', '[redacted:plate]'],
  ['plate', '(S-DM 4711)', '([redacted:plate])'],
];

const negatives: [string, string][] = [
  ['ISO timestamp', '2024-05-01T10:00:00Z'],
  ['timestamp with offset', '2024-05-01T10:00:00.123+02:00'],
  ['log timestamp', '2024-05-01 10:00:00,123 ERROR'],
  ['German date', '01.05.2024 08:15'],
  ['IPv4', '10.20.30.40'],
  ['IPv4 with port', '192.168.1.10:8080'],
  ['port', 'listen :0815 and :8443'],
  ['hostname', 'dms-app01.branch12.dms.example.com'],
  ['hostname with user', 'root@dms01 and ssh dmsif@iface02'],
  ['UUID', '550e8400-e29b-41d4-a716-446655440000'],
  ['UUID leading zeros', '01234567-0123-4567-8901-012345678901'],
  ['Prometheus fingerprint', 'fingerprint 3f2a9c1b7d4e5a60'],
  ['SHA-1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
  ['SHA-256', 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855'],
  ['order number', 'order ORD-2024-000123 / SO-4711-2024'],
  ['document number', 'Beleg 0012345678 archiviert'],
  ['version strings', 'v1.2.3, 2.14.0-rc1, 10.0.17763.1234'],
  ['durations', 'took 1500 ms, 1h30m, PT15M, 300s'],
  ['counts', '30000 documents, 4000 queues, 120 interfaces'],
  ['timezone offset', '+0100 +01:00 +1030'],
  ['17 digits', '12345678901234567'],
  ['VIN-like with bad check digit and no numeric tail', 'SCA1S68494UX07A4B'],
  ['lower-case 17-char hostname', 'dmsappserver01234'],
  ['IBAN with a wrong checksum', 'DE00370400440532013000'],
  ['tech acronyms shaped like a plate', 'VM ID 42, DB IO 5'],
  ['too long for a plate', 'ABC-XY 12345'],
  ['Windows service', 'MSSQL$SQLEXPRESS stopped'],
];

describe('redact with the defaults', () => {
  it.each(positives)('%s: %s', (_name, input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it.each(negatives)('leaves %s alone: %s', (_name, input) => {
    expect(redact(input)).toBe(input);
  });

  it('redacts several kinds in one text', () => {
    const text =
      'Kunde anna@example.de (+49 171 1234567) Fahrzeug WVWZZZ1JZXW000001 / M-AB 1234, IBAN DE89 3704 0044 0532 0130 00, host dms01 at 2024-05-01T10:00:00Z';
    expect(redact(text)).toBe(
      'Kunde [redacted:email] ([redacted:phone]) Fahrzeug [redacted:vin] / [redacted:plate], IBAN [redacted:iban], host dms01 at 2024-05-01T10:00:00Z',
    );
  });

  it('does not touch tokens that are already there', () => {
    expect(redact('[redacted:vin] [redacted:customer-no]')).toBe('[redacted:vin] [redacted:customer-no]');
  });
});

describe('createRedactor options', () => {
  const text = 'WVWZZZ1JZXW000001 anna@example.de KD-00123456';

  it('switches built-ins off one by one', () => {
    expect(createRedactor({ builtIns: { vin: false } }).text(text)).toBe(
      'WVWZZZ1JZXW000001 [redacted:email] KD-00123456',
    );
  });

  it('applies custom patterns after the built-ins, with their name in the token', () => {
    const redactor = createRedactor({ patterns: [{ name: 'customer-no', pattern: 'KD-\\d{8}' }] });
    expect(redactor.text(text)).toBe('[redacted:vin] [redacted:email] [redacted:customer-no]');
  });

  it('honours custom flags', () => {
    const redactor = createRedactor({
      patterns: [{ name: 'customer-no', pattern: 'kd-\\d{8}', flags: 'i' }],
    });
    expect(redactor.text('KD-00123456')).toBe('[redacted:customer-no]');
  });

  it('does nothing when disabled', () => {
    expect(createRedactor({ enabled: false }).text(text)).toBe(text);
  });

  it('refuses a custom pattern that matches the empty string', () => {
    expect(() => createRedactor({ patterns: [{ name: 'bad', pattern: 'x*' }] })).toThrow(
      /matches the empty string/,
    );
  });
});
