import {
  BUILT_IN_REDACTIONS,
  builtInRules,
  type BuiltInRedaction,
  type RedactionRule,
} from './built-in-redactions';

/** A pattern from the configuration, compiled with the `g` flag added. */
export interface CustomRedactionPattern {
  name: string;
  pattern: string;
  flags?: string | undefined;
}

/** What the redactor needs; `RedactionConfig` (src/config/redaction.ts) fits this shape. */
export interface RedactorOptions {
  enabled?: boolean;
  builtIns?: Partial<Record<BuiltInRedaction, boolean>>;
  patterns?: readonly CustomRedactionPattern[];
}

/** Compiled redaction, built once at start and applied to everything sent to ServiceNow, Jira and chat. */
export interface Redactor {
  /** Redacts one string. */
  text(input: string): string;
  /** Redacts every string inside arrays and plain objects; returns a copy, never mutates `value`. */
  deep<T>(value: T): T;
}

/** Already-redacted spans; protected so that no pattern rewrites a token (keeps redaction idempotent). */
const TOKEN = /\[redacted:[a-z0-9-]+\]/g;

/** Replacement text for a pattern name, e.g. `[redacted:vin]`. */
export const redactionToken = (name: string): string => `[redacted:${name}]`;

/**
 * Why a custom pattern cannot be used, or `null`. A pattern that can match the empty string would put
 * tokens between every character, so it is refused as well as one that does not compile.
 */
export function customPatternProblem(pattern: string, flags = ''): string | null {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, flags.replace('g', '') + 'g');
  } catch (error) {
    return `not a valid regular expression: ${(error as Error).message}`;
  }
  if (regex.test('')) return 'matches the empty string';
  return null;
}

function applyRule(text: string, rule: RedactionRule): string {
  const token = redactionToken(rule.name);
  return text.replace(rule.regex, (match: string) => {
    if (match === '') return match; // a custom regex may still match empty at some positions
    return rule.redactMatch ? (rule.redactMatch(match, token) ?? match) : token;
  });
}

/** Applies a rule to the text between existing tokens only. */
function applyOutsideTokens(text: string, rule: RedactionRule): string {
  let out = '';
  let last = 0;
  for (const token of text.matchAll(TOKEN)) {
    out += applyRule(text.slice(last, token.index), rule) + token[0];
    last = token.index + token[0].length;
  }
  return out + applyRule(text.slice(last), rule);
}

// Each productive pass turns at least one unprotected character into a token, so the loop ends on its
// own; the cap is a guard against a bug, far above what real text needs (one or two passes).
const MAX_PASSES = 16;

function redactWith(rules: readonly RedactionRule[], input: string): string {
  let text = input;
  for (let pass = 0; pass < MAX_PASSES; pass += 1) {
    // Run to a fixed point: removing one match can expose a neighbour that a boundary check refused before,
    // and a second call must never find anything new.
    const next = rules.reduce(applyOutsideTokens, text);
    if (next === text) return text;
    text = next;
  }
  return text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function deepWith(text: (s: string) => string, value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return text(value);
  if (Array.isArray(value)) {
    if (seen.has(value)) return seen.get(value);
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(deepWith(text, item, seen));
    return copy;
  }
  if (isPlainObject(value)) {
    if (seen.has(value)) return seen.get(value);
    const copy: Record<string, unknown> = Object.create(Object.getPrototypeOf(value) as object | null);
    seen.set(value, copy);
    // Keys are label and field names chosen by us or the monitoring config, not personal data.
    for (const [key, item] of Object.entries(value)) copy[key] = deepWith(text, item, seen);
    return copy;
  }
  // Numbers, booleans, Dates, Secrets and class instances pass through untouched.
  return value;
}

/**
 * Builds a redactor from the configuration: built-ins first (all on unless switched off), then the custom
 * patterns in their configured order. Throws only for a custom pattern that config validation would have
 * refused (see `customPatternProblem`). With `enabled: false` it returns its input unchanged.
 */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const builtIns = Object.fromEntries(
    BUILT_IN_REDACTIONS.map((name) => [name, options.builtIns?.[name] ?? true]),
  ) as Record<BuiltInRedaction, boolean>;
  const custom = (options.patterns ?? []).map((p): RedactionRule => {
    const problem = customPatternProblem(p.pattern, p.flags);
    if (problem) throw new Error(`redaction pattern "${p.name}": ${problem}`);
    return { name: p.name, regex: new RegExp(p.pattern, (p.flags ?? '').replace('g', '') + 'g') };
  });
  const rules = options.enabled === false ? [] : [...builtInRules(builtIns), ...custom];
  const text = (input: string): string => (rules.length === 0 ? input : redactWith(rules, input));
  return { text, deep: <T>(value: T): T => deepWith(text, value, new WeakMap()) as T };
}

/** One-off redaction of a string with the defaults (or given options); prefer a shared `createRedactor`. */
export function redact(input: string, options?: RedactorOptions): string {
  return createRedactor(options).text(input);
}

/** One-off deep redaction; returns a redacted copy and leaves `value` untouched. */
export function redactDeep<T>(value: T, options?: RedactorOptions): T {
  return createRedactor(options).deep(value);
}

export { BUILT_IN_REDACTIONS, type BuiltInRedaction };
