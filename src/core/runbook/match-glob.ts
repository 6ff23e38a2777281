/**
 * The one glob dialect runbooks use: `*` matches any run of characters (also none); everything else is
 * literal. Deliberately smaller than shell globs — `?`, `[...]`, `{a,b}` and `**` are rejected instead of
 * being matched literally, so a pattern copied from a shell or .gitignore fails validation rather than
 * silently never matching. Matching itself is `globMatch` (src/core/routing/glob.ts), shared with routing.
 */

import { MAX_GLOB_LENGTH } from '../routing/glob';

/** Characters that mean something in other glob dialects but not in ours. */
const FOREIGN_SYNTAX = /[?[\]{}]/;

/**
 * Why a glob is unusable, or `null` when it is fine. Used by the runbook schema so that check-config
 * reports the file and the field.
 */
export function globProblem(pattern: string): string | null {
  if (pattern.trim() === '') return 'must not be empty';
  if (pattern.length > MAX_GLOB_LENGTH) return `longer than ${MAX_GLOB_LENGTH} characters`;
  if (pattern.includes('**')) return `"${pattern}": use a single "*" ("**" has no special meaning here)`;
  const foreign = FOREIGN_SYNTAX.exec(pattern);
  if (foreign) return `"${pattern}": "${foreign[0]}" is not supported; only "*" is a wildcard`;
  // eslint-disable-next-line no-control-regex -- control characters in a pattern are always a paste accident
  if (/[\u0000-\u001f]/.test(pattern)) return `"${pattern}": contains a control character`;
  return null;
}

/** True when the pattern contains a wildcard, i.e. it is a glob rather than an exact value. */
export function isGlob(pattern: string): boolean {
  return pattern.includes('*');
}

/** Number of literal (non-wildcard) characters: a longer literal part is a narrower pattern. */
export function literalLength(pattern: string): number {
  return pattern.replaceAll('*', '').length;
}
