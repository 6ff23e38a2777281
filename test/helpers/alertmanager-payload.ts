/**
 * An Alertmanager webhook payload (version 4) of firing InstanceDown alerts on one branch, one per
 * fingerprint, as the real-process tests send it.
 */
export function alertmanagerPayload(branch: string, alerts: { instance: string; fingerprint: string }[]) {
  return {
    version: '4',
    groupKey: `{}:{branch="${branch}"}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'itsm-bridge',
    groupLabels: { branch },
    commonLabels: { branch },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    alerts: alerts.map((a) => ({
      status: 'firing',
      labels: { alertname: 'InstanceDown', branch, instance: a.instance, severity: 'critical' },
      annotations: { summary: `${a.instance.split('.')[0]} down` },
      startsAt: '2026-11-02T08:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example/graph',
      fingerprint: a.fingerprint,
    })),
  };
}
