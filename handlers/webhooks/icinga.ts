import { z } from 'zod';
import type { Alert, AlertEvent } from '../../src/core/alert/alert';
import { clip, severityFromState, StringMap } from './map-common';

/** The JSON our Icinga 2 notification script sends (integrations/monitoring/icinga2). */
export const IcingaPayload = z.object({
  notificationType: z.enum([
    'PROBLEM',
    'RECOVERY',
    'ACKNOWLEDGEMENT',
    'CUSTOM',
    'FLAPPINGSTART',
    'FLAPPINGEND',
    'DOWNTIMESTART',
    'DOWNTIMEEND',
    'DOWNTIMECANCELLED',
  ]),
  host: z.string().min(1).max(255),
  hostDisplayName: z.string().max(255).optional(),
  hostState: z.enum(['UP', 'DOWN', 'UNREACHABLE']),
  hostAddress: z.string().max(255).optional(),
  service: z.string().min(1).max(255).optional(),
  serviceDisplayName: z.string().max(255).optional(),
  serviceState: z.enum(['OK', 'WARNING', 'CRITICAL', 'UNKNOWN']).optional(),
  output: z.string().max(65536).default(''),
  longOutput: z.string().max(65536).optional(),
  author: z.string().max(255).optional(),
  comment: z.string().max(8192).optional(),
  timestamp: z.number().int().positive(),
  // Icinga 2.13 sends 0 for a check that is a problem from its first result (Icinga/icinga2#10217);
  // refusing it loses the only notification Icinga ever sends, so 0 means "unknown" (see startsAt).
  lastStateChange: z.number().int().nonnegative().optional(),
  vars: StringMap.optional(),
  url: z.string().max(4096).optional(),
});
export type IcingaPayload = z.infer<typeof IcingaPayload>;

const EVENTS: Partial<Record<IcingaPayload['notificationType'], AlertEvent>> = {
  ACKNOWLEDGEMENT: 'acknowledged',
  CUSTOM: 'custom',
  FLAPPINGSTART: 'flapping-start',
  FLAPPINGEND: 'flapping-end',
  DOWNTIMESTART: 'downtime-start',
  DOWNTIMEEND: 'downtime-end',
  DOWNTIMECANCELLED: 'downtime-end',
};

const epoch = (s: number | undefined) => (s ? new Date(s * 1000).toISOString() : null);

/**
 * Icinga has no problem id, so the key is `host!service` (one open incident per check); a recovery
 * closes it and the next problem reopens or opens anew (DESIGN.md §4).
 */
export function icingaAlerts(p: IcingaPayload, o: { receivedAt: string }): Alert[] {
  const state = p.service ? (p.serviceState ?? 'UNKNOWN') : p.hostState;
  const ok = state === 'OK' || state === 'UP';
  const status =
    p.notificationType === 'RECOVERY' || (p.notificationType !== 'PROBLEM' && ok) ? 'resolved' : 'firing';
  const what = p.service
    ? `${p.hostDisplayName ?? p.host}/${p.serviceDisplayName ?? p.service}`
    : (p.hostDisplayName ?? p.host);
  const labels: Record<string, string> = {
    ...(p.vars ?? {}),
    alertname: p.service ?? 'host-check',
    host: p.host,
    icinga_state: state,
  };
  if (p.service) labels.service = p.service;
  if (p.author) labels.author = p.author;
  return [
    {
      source: 'icinga',
      dedupKey: `icinga:${p.host}${p.service ? `!${p.service}` : ''}`,
      status,
      event: EVENTS[p.notificationType] ?? null,
      severity: ok ? 'info' : severityFromState(state),
      host: p.host,
      service: p.service ?? null,
      branch: clip(p.vars?.branch, 100),
      summary: clip(`${what} ${state}: ${p.output.split('\n')[0] ?? ''}`.trim(), 1000) ?? what,
      description: clip([p.output, p.longOutput].filter(Boolean).join('\n'), 32000),
      labels,
      annotations: { ...(p.comment ? { comment: p.comment } : {}), notification_type: p.notificationType },
      links: p.url ? { source: p.url } : {},
      startsAt: epoch(p.lastStateChange || p.timestamp),
      endsAt: status === 'resolved' ? epoch(p.timestamp) : null,
      receivedAt: o.receivedAt,
    },
  ];
}
