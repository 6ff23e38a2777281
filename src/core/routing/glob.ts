/**
 * The one glob matcher of the bridge (routing, maintenance windows and runbooks): `*` matches any run of
 * characters (also none), `?` exactly one, everything else is literal; anchored at both ends.
 *
 * No regular expression: `*` → `.*` backtracks polynomially in the number of stars (`*a*a*a*b` against
 * 2,000 `a`s ran for minutes, issue 12). This is the two-pointer match that, on a mismatch, only moves the
 * last star one character further, so it does at most (value length + 1) × (pattern length + 1) steps.
 */

/** Longest glob accepted in configuration; with the value caps of the webhooks it bounds every match. */
export const MAX_GLOB_LENGTH = 256;

export interface GlobOptions {
  /** For host and service names, which monitoring tools spell inconsistently. */
  ignoreCase?: boolean;
}

const same = (a: string, b: string, ignoreCase: boolean): boolean =>
  a === b || (ignoreCase && a.toLowerCase() === b.toLowerCase());

/**
 * Runs the match and counts its steps (one per loop turn). Exported for the work-bound tests and the
 * benchmark; product code calls `globMatch`.
 */
export function globScan(
  pattern: string,
  value: string,
  options: GlobOptions = {},
): { matched: boolean; steps: number } {
  const ignoreCase = options.ignoreCase ?? false;
  let p = 0;
  let v = 0;
  let star = -1;
  let resume = 0;
  let steps = 0;
  while (v < value.length) {
    steps += 1;
    const c = pattern[p];
    if (c === '*') {
      star = p;
      resume = v;
      p += 1;
    } else if (c !== undefined && (c === '?' || same(c, value[v]!, ignoreCase))) {
      p += 1;
      v += 1;
    } else if (star >= 0) {
      // Let the last star swallow one more character; earlier stars never need to move again.
      p = star + 1;
      resume += 1;
      v = resume;
    } else {
      return { matched: false, steps };
    }
  }
  while (pattern[p] === '*') p += 1;
  return { matched: p === pattern.length, steps };
}

/** Does `value` match `glob`? A missing value (`null`/`undefined`) never matches. */
export function globMatch(
  glob: string,
  value: string | null | undefined,
  options: GlobOptions = {},
): boolean {
  if (value === null || value === undefined) return false;
  return globScan(glob, value, options).matched;
}
