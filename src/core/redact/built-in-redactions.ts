import { ibanPrefixLength } from './iban';
import { isLikelyVin } from './vin';

/** Names of the patterns we ship; each can be switched off in the `redaction.builtIns` config. */
export const BUILT_IN_REDACTIONS = ['email', 'phone', 'iban', 'vin', 'plate'] as const;
export type BuiltInRedaction = (typeof BUILT_IN_REDACTIONS)[number];

/**
 * One compiled pattern. `redactMatch` decides about a regex match: the replacement text (usually the
 * token), or `null` to leave the match alone (checksum failed, looks like a timestamp, …).
 */
export interface RedactionRule {
  name: string;
  regex: RegExp;
  redactMatch?: (match: string, token: string) => string | null;
}

/** Count of digits, for plausibility checks on phone numbers. */
const digits = (text: string): number => text.replace(/\D/g, '').length;

/**
 * Left and right edges for number-like patterns: not glued to a word, and not part of a dotted/coloned
 * number (IPv4 `10.0.0.1`, times `10:00:00`, versions `1.2.3`, ports `:8080`, dates `2024-05-01`).
 */
const NUM_START = String.raw`(?<![\w.:/+\-])`;
const NUM_END = String.raw`(?![\w]|[.:/,\-]\d)`;

const EMAIL =
  /(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])/g;

// "+49 89 1234567", "+49 (0)89 1234-567", "+44 20 7946 0958", "+4917112345678". Parentheses only
// in balanced pairs, so "(call +49 171 1234567)" keeps its closing bracket.
//
// Written without ambiguous repetition (issue 12: "+1" and 30 digits cost 175 ms per KB): a run of digits
// is taken whole by one `\d*`/`\d+`, and every further group starts with a separator or "(" — never
// with a digit — so there is exactly one way to read a number and a failed match gives up in linear time.
// The digit count (7–15) is checked afterwards by `phoneMatch`. test/unit/redact/redaction-redos.test.ts
// runs recheck over every pattern here, with bounded quantifiers widened so a bound cannot hide ambiguity.
const PHONE_SEP = '[ .\\-/]';
const PHONE_PLUS = new RegExp(
  String.raw`(?<![\w+])\+[1-9]\d*(?:${PHONE_SEP}?\(\d+\)\d*|${PHONE_SEP}\d+)*` + NUM_END,
  'g',
);
// "0049 89 1234567": the 00 form needs a separator after the country code, so that numbers with leading
// zeros (order and document numbers) are not taken for phone numbers.
const PHONE_00 = new RegExp(
  NUM_START + String.raw`00[1-9]\d{0,2}[ /\-](?:\(0\) ?)?\d+(?:${PHONE_SEP}\d+)*` + NUM_END,
  'g',
);
// German national: "089 1234567", "089/1234567", "(089) 123 4567", "030 12345-678", "0171-1234567". The
// separator after the area code is required; only mobile numbers are recognised without one. Each further
// group starts with a separator (unambiguous, see PHONE_PLUS); `phoneMatch` limits the digits to 7–13.
// "(089) …" is a pattern of its own: one alternation of both forms is too big for recheck's automaton.
const PHONE_DE_AREA = new RegExp(
  NUM_START + String.raw`\(0[1-9]\d{1,4}\) ?\d{2,}(?:[ \-]\d+)*` + NUM_END,
  'g',
);
const PHONE_DE = new RegExp(
  NUM_START + String.raw`0[1-9]\d{1,4}(?: ?/ ?| - |[ \-])\d{2,}(?:[ \-]\d+)*` + NUM_END,
  'g',
);
const PHONE_DE_MOBILE = new RegExp(NUM_START + String.raw`01[5-7]\d{8,9}` + NUM_END, 'g');

const IBAN =
  /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?(?![A-Za-z0-9])/g;
const VIN = /(?<![A-Za-z0-9])[A-HJ-NPR-Z0-9]{17}(?![A-Za-z0-9])/g;

// German plates: district (1–3 letters, umlauts allowed), recognition letters (1–2), 1–4 digits not
// starting with 0, optional E (electric) or H (historic): "M-AB 1234", "B-XY 12E", "HH AB 123H".
const PLATE =
  /(?<![\p{L}\p{N}])([A-ZÄÖÜ]{1,3})([- ])([A-Z]{1,2})([ -]?)([1-9]\d{0,3})([EH]?)(?![\p{L}\p{N}]|[.,:]\d)/gu;
/**
 * Tech acronyms that would otherwise read as the space-only plate form ("VM ID 42", "DB IO 5"). The
 * hyphenated form is always redacted — in ticket text that is how plates are written.
 */
const NOT_A_PLATE = new Set(
  'ID IP VM OS DB OK TO NO IO PG DC KB MB GB TB CPU RAM API SQL DNS TCP UDP PID SLA'.split(' '),
);
const PLATE_PARTS = new RegExp(`^${PLATE.source}$`, 'u');

function plateMatch(match: string, token: string): string | null {
  const parts = PLATE_PARTS.exec(match);
  if (!parts) return null;
  const [, district = '', separator, letters = '', , number = ''] = parts;
  // StVZO/FZV: at most 8 characters on the plate, not counting the E/H suffix.
  if (district.length + letters.length + number.length > 8) return null;
  if (separator === ' ' && (NOT_A_PLATE.has(district) || NOT_A_PLATE.has(letters))) return null;
  return token;
}

function phoneMatch(min: number, max: number) {
  return (match: string, token: string): string | null => {
    const count = digits(match);
    return count >= min && count <= max ? token : null;
  };
}

/** Compiles the built-in rules in the order they must run (see redact.ts for why the order matters). */
export function builtInRules(enabled: Readonly<Record<BuiltInRedaction, boolean>>): RedactionRule[] {
  const rules: Record<BuiltInRedaction, RedactionRule[]> = {
    email: [{ name: 'email', regex: EMAIL }],
    iban: [
      {
        name: 'iban',
        regex: IBAN,
        redactMatch: (match, token) => {
          const length = ibanPrefixLength(match);
          return length === 0 ? null : token + match.slice(length);
        },
      },
    ],
    vin: [{ name: 'vin', regex: VIN, redactMatch: (match, token) => (isLikelyVin(match) ? token : null) }],
    plate: [{ name: 'plate', regex: PLATE, redactMatch: plateMatch }],
    phone: [
      { name: 'phone', regex: PHONE_PLUS, redactMatch: phoneMatch(7, 15) },
      { name: 'phone', regex: PHONE_00, redactMatch: phoneMatch(9, 17) },
      { name: 'phone', regex: PHONE_DE_AREA, redactMatch: phoneMatch(7, 13) },
      { name: 'phone', regex: PHONE_DE, redactMatch: phoneMatch(7, 13) },
      { name: 'phone', regex: PHONE_DE_MOBILE },
    ],
  };
  // Email first (addresses contain digits and dots), then the checksummed patterns, phone numbers last
  // because they are the loosest.
  const order: BuiltInRedaction[] = ['email', 'iban', 'vin', 'plate', 'phone'];
  return order.filter((name) => enabled[name]).flatMap((name) => rules[name]);
}
