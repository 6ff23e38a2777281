/** ISO 3779 transliteration for the check digit (I, O, Q never occur in a VIN). */
// prettier-ignore
const VALUES: Readonly<Record<string, number>> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9, S: 2, T: 3,
  U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** True when position 9 carries the correct ISO 3779 / FMVSS 115 check digit (`X` for 10). */
export function vinCheckDigitValid(vin: string): boolean {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    const char = vin[i] ?? '';
    const value = /\d/.test(char) ? Number(char) : VALUES[char];
    if (value === undefined) return false;
    sum += value * (WEIGHTS[i] ?? 0);
  }
  const check = sum % 11;
  return vin[8] === (check === 10 ? 'X' : String(check));
}

/**
 * Whether a 17-character token from the VIN alphabet is likely a VIN. Decision (documented in
 * docs/runbooks.md): European makers mostly do not use the check digit (VW writes `Z` there), so we accept
 * a token when its world manufacturer identifier (first 3) contains a letter AND either the check digit is
 * valid (North American style) or the last four positions are digits (ISO 3779 serial part for makers of
 * 500+ vehicles a year — every car maker). Requiring the WMI letter rules out plain numbers; requiring the
 * numeric tail rules out most hex ids and base32 tokens.
 */
export function isLikelyVin(token: string): boolean {
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(token)) return false;
  if (!/[A-Z]/.test(token.slice(0, 3))) return false;
  return /^\d{4}$/.test(token.slice(13)) || vinCheckDigitValid(token);
}
