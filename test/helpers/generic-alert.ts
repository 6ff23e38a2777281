/** A generic-webhook alert of branch muc-01, as the e2e tests post it. */
export const genericAlert = (
  dedupKey: string,
  status: 'firing' | 'resolved',
  extra: Record<string, unknown> = {},
) => ({
  dedupKey,
  status,
  severity: 'critical',
  summary: `${dedupKey} ${status}`,
  branch: 'muc-01',
  labels: { alertname: 'InterfaceTransferFailed' },
  ...extra,
});
