import { z } from 'zod';
import { Severity, type Alert } from '../../src/core/alert/alert';
import { clip, StringMap } from './map-common';

/** Our documented JSON for scripts (README, docs/monitoring.md). Strict: a typo in a field name is a 400. */
export const GenericPayload = z.strictObject({
  dedupKey: z.string().min(1).max(400),
  status: z.enum(['firing', 'resolved']),
  severity: Severity.default('warning'),
  summary: z.string().min(1).max(1000),
  host: z.string().min(1).max(255).optional(),
  service: z.string().min(1).max(255).optional(),
  branch: z.string().min(1).max(100).optional(),
  details: z.string().max(32000).optional(),
  labels: StringMap.optional(),
});
export type GenericPayload = z.infer<typeof GenericPayload>;

export function genericAlerts(p: GenericPayload, o: { receivedAt: string }): Alert[] {
  // Scripts rarely set alertname; the dedup key stands in so that grouping by alertname stays per problem.
  const labels: Record<string, string> = { alertname: p.dedupKey, ...(p.labels ?? {}) };
  return [
    {
      source: 'generic',
      dedupKey: `generic:${p.dedupKey}`,
      status: p.status,
      event: null,
      severity: p.severity,
      host: p.host ?? null,
      service: p.service ?? null,
      branch: p.branch ?? labels.branch ?? null,
      summary: p.summary,
      description: clip(p.details, 32000),
      labels,
      annotations: {},
      links: {},
      startsAt: p.status === 'firing' ? o.receivedAt : null,
      endsAt: p.status === 'resolved' ? o.receivedAt : null,
      receivedAt: o.receivedAt,
    },
  ];
}
