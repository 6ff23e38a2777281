import { z } from 'zod';

/** Monitoring systems we accept alerts from. `generic` is our own JSON for scripts. */
export const AlertSource = z.enum(['alertmanager', 'grafana', 'icinga', 'checkmk', 'generic']);
export type AlertSource = z.infer<typeof AlertSource>;

/**
 * What an alert tells us. `firing`/`resolved` drive the incident; the `annotation` kinds come from
 * monitoring events that must not open tickets (acknowledgements, downtimes, flapping) and only annotate.
 */
export const AlertStatus = z.enum(['firing', 'resolved']);
export type AlertStatus = z.infer<typeof AlertStatus>;

/** Normalised severity; each source maps its own scale onto this one. */
export const Severity = z.enum(['critical', 'major', 'minor', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

/**
 * Events that annotate rather than open: a downtime starts/ends, someone acknowledged in the monitoring
 * tool, the check starts/stops flapping. `null` for ordinary problem/recovery alerts.
 */
export const AlertEvent = z.enum([
  'acknowledged',
  'downtime-start',
  'downtime-end',
  'flapping-start',
  'flapping-end',
  'custom',
]);
export type AlertEvent = z.infer<typeof AlertEvent>;

const StringMap = z.record(z.string(), z.string());

export const AlertLinks = z.strictObject({
  generator: z.string().optional(),
  dashboard: z.string().optional(),
  panel: z.string().optional(),
  silence: z.string().optional(),
  source: z.string().optional(),
});
export type AlertLinks = z.infer<typeof AlertLinks>;

/** The one canonical alert every handler produces and correlation consumes. Times are ISO-8601 UTC. */
export const Alert = z.strictObject({
  source: AlertSource,
  /** Namespaced by source (`alertmanager:<fingerprint>`), stable from problem to recovery. */
  dedupKey: z.string().min(1).max(512),
  status: AlertStatus,
  event: AlertEvent.nullable(),
  severity: Severity,
  host: z.string().max(255).nullable(),
  service: z.string().max(255).nullable(),
  branch: z.string().max(100).nullable(),
  summary: z.string().min(1).max(1000),
  description: z.string().max(32000).nullable(),
  labels: StringMap,
  annotations: StringMap,
  links: AlertLinks,
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  receivedAt: z.string(),
});
export type Alert = z.infer<typeof Alert>;
