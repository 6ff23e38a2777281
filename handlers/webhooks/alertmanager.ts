import { z } from 'zod';
import type { Alert } from '../../src/core/alert/alert';
import { clip, hostFromLabels, severityFromWord, StringMap, timeOrNull } from './map-common';

/** One alert in an Alertmanager webhook (template.Alert). Unknown extra fields are tolerated. */
export const AlertmanagerAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: StringMap,
  annotations: StringMap.default({}),
  startsAt: z.string().optional(),
  endsAt: z.string().optional(),
  generatorURL: z.string().max(4096).optional(),
  fingerprint: z.string().min(1).max(128),
});

/** Alertmanager webhook payload, version 4 (prometheus/alertmanager notify/webhook). */
export const AlertmanagerPayload = z.object({
  version: z.literal('4'),
  groupKey: z.string().max(4096),
  truncatedAlerts: z.number().int().nonnegative().default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: StringMap.default({}),
  commonLabels: StringMap.default({}),
  commonAnnotations: StringMap.default({}),
  externalURL: z.string().max(4096).default(''),
  alerts: z.array(AlertmanagerAlert).min(1).max(10_000),
});
export type AlertmanagerPayload = z.infer<typeof AlertmanagerPayload>;

export interface PromLikeOptions {
  source: 'alertmanager' | 'grafana';
  keyMode: 'fingerprint' | 'groupKey';
  receivedAt: string;
  /** Prefix that keeps keys of different Grafana orgs apart. */
  keyPrefix?: string;
  extraLinks?: (a: z.infer<typeof AlertmanagerAlert> & Record<string, unknown>) => Alert['links'];
}

/**
 * `{...base, ...own}` (same keys, same order) as one loop: the spread of two zod-built records was the
 * largest self-time entry of ingest's mapping in the CPU profile (docs/benchmarks.md, Ingest). A
 * `__proto__` key cannot reach the plain assignment: `parseJson` refuses such bodies first.
 */
function merged(base: Record<string, string>, own: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in base) out[k] = base[k]!;
  for (const k in own) out[k] = own[k]!;
  return out;
}

/** Shared by Alertmanager and Grafana, whose payloads have the same core. */
export function promAlerts(p: AlertmanagerPayload, o: PromLikeOptions): Alert[] {
  // One delivery's alerts mostly share their start time: each distinct string is normalised once.
  let lastTime: string | undefined;
  let lastIso: string | null = null;
  const time = (t: string | undefined): string | null => {
    if (t !== lastTime) {
      lastTime = t;
      lastIso = timeOrNull(t);
    }
    return lastIso;
  };
  const toAlert = (
    a: z.infer<typeof AlertmanagerAlert>,
    dedupKey: string,
    status: Alert['status'],
  ): Alert => {
    const labels = merged(p.commonLabels, a.labels);
    const annotations = merged(p.commonAnnotations, a.annotations);
    if (p.truncatedAlerts > 0) annotations.itsm_bridge_truncated_alerts = String(p.truncatedAlerts);
    const name = labels.alertname ?? 'alert';
    const links: Alert['links'] = {};
    if (a.generatorURL) links.generator = a.generatorURL;
    if (p.externalURL) links.source = p.externalURL;
    if (o.extraLinks) Object.assign(links, o.extraLinks(a));
    return {
      source: o.source,
      dedupKey,
      status,
      event: null,
      severity: severityFromWord(labels.severity ?? labels.priority),
      host: clip(hostFromLabels(labels), 255),
      service: clip(labels.service ?? labels.job ?? null, 255),
      branch: clip(labels.branch ?? null, 100),
      summary:
        clip(
          annotations.summary ??
            annotations.title ??
            annotations.message ??
            `${name}${labels.instance ? ` on ${labels.instance}` : ''}`,
          1000,
        ) ?? name,
      description: clip(annotations.description ?? null, 32000),
      labels,
      annotations,
      links,
      startsAt: time(a.startsAt),
      endsAt: status === 'resolved' ? time(a.endsAt) : null,
      receivedAt: o.receivedAt,
    };
  };
  const prefix = `${o.source}:${o.keyPrefix ?? ''}`;
  if (o.keyMode === 'groupKey') {
    // One alert per notification: the group is the problem; it is resolved only when all its alerts are.
    const first = p.alerts.find((a) => a.status === p.status) ?? p.alerts[0]!;
    return [toAlert(first, `${prefix}${p.groupKey}`, p.status)];
  }
  return p.alerts.map((a) => toAlert(a, `${prefix}${a.fingerprint}`, a.status));
}

export function alertmanagerAlerts(p: AlertmanagerPayload, o: Omit<PromLikeOptions, 'source'>): Alert[] {
  return promAlerts(p, { ...o, source: 'alertmanager' });
}
