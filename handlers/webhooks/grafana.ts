import { z } from 'zod';
import type { Alert } from '../../src/core/alert/alert';
import { AlertmanagerAlert, AlertmanagerPayload, promAlerts } from './alertmanager';

/** Grafana's per-alert extras (ExtendedAlert). */
export const GrafanaAlert = AlertmanagerAlert.extend({
  silenceURL: z.string().max(4096).optional(),
  dashboardURL: z.string().max(4096).optional(),
  panelURL: z.string().max(4096).optional(),
  imageURL: z.string().max(4096).optional(),
  values: z.record(z.string(), z.number().nullable()).nullable().optional(),
  valueString: z.string().max(8192).optional(),
  ruleUID: z.string().max(128).optional(),
  orgId: z.number().int().optional(),
});

/** Grafana webhook contact point, payload version "1" (grafana/alerting receivers/webhook/v1). */
export const GrafanaPayload = AlertmanagerPayload.extend({
  version: z.literal('1'),
  orgId: z.number().int().default(1),
  alerts: z.array(GrafanaAlert).min(1).max(10_000),
  title: z.string().max(8192).optional(),
  state: z.enum(['alerting', 'ok']).optional(),
  message: z.string().max(65536).optional(),
});
export type GrafanaPayload = z.infer<typeof GrafanaPayload>;

const nonEmpty = (u: unknown) => (typeof u === 'string' && u !== '' ? u : undefined);

export function grafanaAlerts(
  p: GrafanaPayload,
  o: { keyMode: 'fingerprint' | 'groupKey'; receivedAt: string },
): Alert[] {
  return promAlerts(p as unknown as AlertmanagerPayload, {
    source: 'grafana',
    keyMode: o.keyMode,
    receivedAt: o.receivedAt,
    keyPrefix: `${p.orgId}:`,
    extraLinks: (a) => {
      const links: Alert['links'] = {};
      const dashboard = nonEmpty(a.dashboardURL);
      const panel = nonEmpty(a.panelURL);
      const silence = nonEmpty(a.silenceURL);
      if (dashboard) links.dashboard = dashboard;
      if (panel) links.panel = panel;
      if (silence) links.silence = silence;
      return links;
    },
  });
}
