import type { Alert } from '../alert/alert';
import { globMatch } from '../routing/glob';
import { isGlob, literalLength } from './match-glob';
import type { Runbook, RunbookMatchEntry } from './runbook';

/** What matching looks at; an `Alert` fits as is. */
export type RunbookFacts = Pick<Alert, 'source' | 'labels' | 'host' | 'service'>;

/**
 * How specific a matching entry is. Compared field by field, first difference wins:
 * 1. `exactLabels` — labels compared by exact value ("more exact labels beat globs");
 * 2. `exactOther` — `source`, and `host`/`service` written without `*`;
 * 3. `globs` — conditions with a wildcard (label globs, host/service globs): more conditions, narrower;
 * 4. `literal` — literal characters across those globs (`Print Spooler*` is narrower than `P*`).
 */
export interface Specificity {
  exactLabels: number;
  exactOther: number;
  globs: number;
  literal: number;
}

/** The chosen runbook and why. */
export interface RunbookChoice<R extends Runbook = Runbook> {
  runbook: R;
  /** `routing`: the caller named it; `match`: found by the match entries. */
  via: 'routing' | 'match';
  /** Index of the winning entry in `runbook.match`; `null` when chosen by routing. */
  entry: number | null;
  specificity: Specificity | null;
}

/** Options: `runbookId` is the explicit choice of a routing rule, which beats any match entry. */
export interface MatchRunbookOptions {
  runbookId?: string | null;
}

/** Scores one entry against the facts; `null` when any of its conditions fails. */
export function scoreEntry(entry: RunbookMatchEntry, facts: RunbookFacts): Specificity | null {
  const score: Specificity = { exactLabels: 0, exactOther: 0, globs: 0, literal: 0 };
  for (const [name, pattern] of Object.entries(entry.labels ?? {})) {
    const value = facts.labels[name];
    if (value === undefined || !globMatch(pattern, value)) return null;
    if (isGlob(pattern)) {
      score.globs += 1;
      score.literal += literalLength(pattern);
    } else score.exactLabels += 1;
  }
  for (const field of ['host', 'service'] as const) {
    const pattern = entry[field];
    if (pattern === undefined) continue;
    const value = facts[field];
    if (value === null || !globMatch(pattern, value, { ignoreCase: true })) return null;
    if (isGlob(pattern)) {
      score.globs += 1;
      score.literal += literalLength(pattern);
    } else score.exactOther += 1;
  }
  if (entry.source !== undefined) {
    if (entry.source !== facts.source) return null;
    score.exactOther += 1;
  }
  return score;
}

/** Positive when `a` is more specific than `b`. */
export function compareSpecificity(a: Specificity, b: Specificity): number {
  return (
    a.exactLabels - b.exactLabels || a.exactOther - b.exactOther || a.globs - b.globs || a.literal - b.literal
  );
}

/**
 * Picks the runbook for an alert. Precedence:
 * 1. `options.runbookId` (a routing rule's explicit choice), when a runbook with that id exists;
 *    an unknown id falls through to matching (check-config reports such ids) — see `via` in the result;
 * 2. otherwise the most specific matching entry across all runbooks (see `Specificity`);
 * 3. ties go to the earlier runbook in `runbooks` (the loader keeps file-name order), then the earlier entry.
 * Returns `null` when nothing matches.
 */
export function matchRunbook<R extends Runbook>(
  facts: RunbookFacts,
  runbooks: readonly R[],
  options: MatchRunbookOptions = {},
): RunbookChoice<R> | null {
  if (options.runbookId) {
    const routed = runbooks.find((runbook) => runbook.id === options.runbookId);
    if (routed) return { runbook: routed, via: 'routing', entry: null, specificity: null };
  }
  let best: RunbookChoice<R> | null = null;
  for (const runbook of runbooks) {
    runbook.match.forEach((entry, index) => {
      const specificity = scoreEntry(entry, facts);
      // Strictly greater: an equal score never displaces an earlier runbook or entry.
      if (specificity && (!best?.specificity || compareSpecificity(specificity, best.specificity) > 0)) {
        best = { runbook, via: 'match', entry: index, specificity };
      }
    });
  }
  return best;
}
