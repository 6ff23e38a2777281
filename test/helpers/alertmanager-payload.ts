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

/**
 * Delivers one payload to `bridgeUrl` as Alertmanager would and adds the acknowledged alert ids to
 * `acknowledged`; false when it was not acknowledged (refused, or the connection reset by a kill) —
 * like Alertmanager, the caller delivers it again later.
 */
export async function deliverAlertmanager(
  bridgeUrl: string,
  token: string,
  body: unknown,
  acknowledged: Set<number>,
): Promise<boolean> {
  try {
    const res = await fetch(`${bridgeUrl}/webhooks/alertmanager`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    if (res.status !== 202) return false;
    for (const id of ((await res.json()) as { alerts: number[] }).alerts) acknowledged.add(id);
    return true;
  } catch {
    return false;
  }
}
