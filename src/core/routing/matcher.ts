import { z } from 'zod';
import { AlertSource, Severity, type Alert } from '../alert/alert';
import { globMatch, MAX_GLOB_LENGTH } from './glob';

/** A glob in config: bounded, so a match costs at most value length × 256 steps. */
const Glob = z.string().max(MAX_GLOB_LENGTH);

/**
 * Matches an alert by label values and fields, each a glob. All given conditions must hold; an empty
 * matcher matches everything (useful for a catch-all rule).
 */
export const Matcher = z.strictObject({
  source: AlertSource.optional(),
  severity: z.array(Severity).optional(),
  labels: z.record(z.string(), Glob).optional(),
  host: Glob.optional(),
  service: Glob.optional(),
  branch: Glob.optional(),
});
export type Matcher = z.infer<typeof Matcher>;

export type MatchableAlert = Pick<Alert, 'source' | 'severity' | 'labels' | 'host' | 'service' | 'branch'>;

export function matches(m: Matcher, a: MatchableAlert): boolean {
  if (m.source && m.source !== a.source) return false;
  if (m.severity && !m.severity.includes(a.severity)) return false;
  if (m.host !== undefined && !globMatch(m.host, a.host)) return false;
  if (m.service !== undefined && !globMatch(m.service, a.service)) return false;
  if (m.branch !== undefined && !globMatch(m.branch, a.branch)) return false;
  for (const [name, glob] of Object.entries(m.labels ?? {})) {
    if (!globMatch(glob, a.labels[name])) return false;
  }
  return true;
}
