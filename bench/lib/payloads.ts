/** Realistic Alertmanager v4 payloads of the DMS landscape: 10 alerts per group, one branch per group. */
export const BRANCHES = [
  'muc-01',
  'muc-02',
  'ber-01',
  'ber-02',
  'ham-01',
  'ham-02',
  'fra-01',
  'fra-02',
  'stg-01',
  'stg-02',
  'koe-01',
  'dus-01',
  'dor-01',
  'ess-01',
  'lei-01',
  'dre-01',
  'nue-01',
  'han-01',
  'bre-01',
  'mai-01',
  'reg-01',
];

export const ALERTNAMES = [
  'InstanceDown',
  'PrintSpoolerQueueStuck',
  'ArchiveUploadBacklog',
  'FileTransferStale',
  'DiskAlmostFull',
  'WindowsServiceStopped',
  'CertificateExpiringSoon',
  'PostgresReplicationLag',
  'DMSLoginSlow',
  'NfsMountStale',
  'DnsResolutionFailing',
  'NtpDriftHigh',
  'MemoryPressure',
  'CpuSaturated',
  'BackupJobFailed',
  'SmtpRelayQueueHigh',
  'LdapBindFailing',
  'VpnTunnelFlapping',
  'PrinterOffline',
  'InterfaceErrorRate',
];

const hex = (n: number, w = 16) => n.toString(16).padStart(w, '0');

export interface AlertSpec {
  host: number;
  alertname: string;
  status: 'firing' | 'resolved';
}

/** An Alertmanager payload for the given alerts (same group → the common labels of the first). */
export function alertmanagerPayload(specs: AlertSpec[], groupKey: string): string {
  const alerts = specs.map((s) => {
    const branch = BRANCHES[s.host % BRANCHES.length]!;
    const instance = `srv${String(s.host).padStart(3, '0')}.${branch}.dms.example:9100`;
    return {
      status: s.status,
      labels: {
        alertname: s.alertname,
        branch,
        instance,
        job: 'node',
        severity: s.host % 7 === 0 ? 'critical' : 'warning',
      },
      annotations: {
        summary: `${s.alertname} on ${instance}`,
        description: `${s.alertname} has been active on ${instance} (branch ${branch}) for more than 5 minutes.`,
        runbook_url: 'https://wiki.example.internal/runbooks',
      },
      startsAt: '2026-11-02T08:00:00.000Z',
      endsAt: s.status === 'resolved' ? '2026-11-02T08:10:00.000Z' : '0001-01-01T00:00:00Z',
      generatorURL: `http://prometheus.example:9090/graph?g0.expr=${encodeURIComponent(s.alertname)}`,
      fingerprint: hex(s.host * 64 + ALERTNAMES.indexOf(s.alertname)),
    };
  });
  return JSON.stringify({
    version: '4',
    groupKey,
    truncatedAlerts: 0,
    status: specs.some((s) => s.status === 'firing') ? 'firing' : 'resolved',
    receiver: 'itsm-bridge',
    groupLabels: { alertname: specs[0]!.alertname },
    commonLabels: { alertname: specs[0]!.alertname, job: 'node' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example:9093',
    alerts,
  });
}
