import type { Severity } from '../alert/alert';

export type Level = 1 | 2 | 3;

/**
 * ServiceNow's default priority lookup (dl_u_priority): impact × urgency → 1 (Critical) … 5 (Planning).
 * We compute it only to show and report it; towards ServiceNow we send impact and urgency, never priority.
 */
const MATRIX: Record<Level, Record<Level, 1 | 2 | 3 | 4 | 5>> = {
  1: { 1: 1, 2: 2, 3: 3 },
  2: { 1: 2, 2: 3, 3: 4 },
  3: { 1: 3, 2: 4, 3: 5 },
};

export function priorityOf(impact: Level, urgency: Level): 1 | 2 | 3 | 4 | 5 {
  return MATRIX[impact][urgency];
}

/** Urgency when a routing rule does not set one: how fast the problem gets worse, read from severity. */
export function urgencyFromSeverity(severity: Severity): Level {
  if (severity === 'critical') return 1;
  if (severity === 'major') return 2;
  return 3;
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 5, major: 4, minor: 3, warning: 2, info: 1 };

export function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}
