/**
 * IBAN lengths per country (ISO 13616 registry, SWIFT). Knowing the length lets us cut a candidate that ran
 * into a following group of digits ("BE68 5390 0754 7034 2024") back to the real IBAN.
 */
// Kept as a table (prettier would put one country per line, 70 lines of noise).
// prettier-ignore
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BR: 29, CH: 21, CR: 22, CY: 28,
  CZ: 24, DE: 22, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23,
  GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28,
  LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MD: 24, ME: 22, MK: 19, MR: 27, MT: 31, MU: 30, NL: 18,
  NO: 15, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, SA: 24, SC: 31, SE: 24, SI: 19, SK: 24,
  SM: 27, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20,
};

/** ISO 7064 mod 97-10 as used by IBANs: move the first four characters to the end, letters A=10…Z=35. */
export function ibanChecksumValid(compact: string): boolean {
  const rearranged = (compact.slice(4) + compact.slice(0, 4)).toUpperCase();
  let remainder = 0;
  for (const char of rearranged) {
    const value = Number.parseInt(char, 36);
    if (Number.isNaN(value)) return false;
    // Digit by digit keeps the number small; letters contribute two digits.
    remainder = value > 9 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

/**
 * How many characters of `candidate` (spaces allowed between groups) form a valid IBAN from its start, or 0.
 * Countries we know must have their exact length; others need the whole candidate to pass mod 97.
 */
export function ibanPrefixLength(candidate: string): number {
  const compact = candidate.replace(/ /g, '');
  const expected = IBAN_LENGTHS[compact.slice(0, 2).toUpperCase()];
  const length = expected ?? compact.length;
  if (length < 15 || length > 34 || compact.length < length) return 0;
  if (!ibanChecksumValid(compact.slice(0, length))) return 0;
  // Map the compact length back onto the original, which may contain spaces.
  let seen = 0;
  for (let i = 0; i < candidate.length; i += 1) {
    if (candidate[i] !== ' ') seen += 1;
    if (seen === length) return i + 1;
  }
  return 0;
}
