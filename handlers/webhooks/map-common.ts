import { z } from 'zod';
import type { Severity } from '../../src/core/alert/alert';

/** Cuts long text at a limit with a marker, so one huge plugin output never makes a whole delivery fail. */
export function clip(text: string | null | undefined, max: number): string | null {
  if (text === null || text === undefined || text === '') return null;
  return text.length <= max ? text : `${text.slice(0, max - 12)}…[truncated]`;
}

/** Severity words used by Prometheus rules, Grafana and scripts, mapped onto our five levels. */
export function severityFromWord(word: string | undefined, fallback: Severity = 'warning'): Severity {
  switch ((word ?? '').toLowerCase()) {
    case 'critical':
    case 'crit':
    case 'fatal':
    case 'emergency':
    case 'page':
    case 'p1':
      return 'critical';
    case 'major':
    case 'error':
    case 'high':
    case 'p2':
      return 'major';
    case 'minor':
    case 'medium':
    case 'p3':
      return 'minor';
    case 'warning':
    case 'warn':
    case 'p4':
      return 'warning';
    case 'info':
    case 'informational':
    case 'low':
    case 'none':
    case 'p5':
      return 'info';
    default:
      return fallback;
  }
}

/** How many entries a sender's label or annotation map may have. */
export const STRING_MAP_MAX_ENTRIES = 200;

/** Label/annotation maps from senders: string values, bounded in size. */
export const StringMap = z
  .record(z.string().max(256), z.string().max(8192))
  .refine(
    (m) => Object.keys(m).length <= STRING_MAP_MAX_ENTRIES,
    `at most ${STRING_MAP_MAX_ENTRIES} entries`,
  );

/** Alertmanager uses the zero time for "no end yet"; we store null. */
export function timeOrNull(t: string | undefined): string | null {
  if (!t || t.startsWith('0001-01-01')) return null;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Host from the usual Prometheus labels; `instance` loses its port (node-exporter `host:9100`). */
export function hostFromLabels(labels: Record<string, string>): string | null {
  const h = labels.host ?? labels.hostname ?? labels.nodename ?? labels.instance;
  if (!h) return null;
  return h.replace(/:\d+$/, '');
}

/** Host/service states of Icinga and Checkmk (the Nagios heritage both share) mapped onto our levels. */
const STATE_SEVERITY: Record<string, Severity> = {
  DOWN: 'critical',
  UNREACHABLE: 'major',
  CRITICAL: 'critical',
  WARNING: 'warning',
  UNKNOWN: 'minor',
};

export function severityFromState(state: string): Severity {
  return STATE_SEVERITY[state] ?? 'warning';
}
