import type { Alert } from '../../src/core/alert/alert';

/** `sources.labelLimits` (src/config/sources.ts). */
export interface LabelLimits {
  perAlert: number;
  perDelivery: number;
}

/** A delivery over a label limit: the field to name in the 400 and the limit it broke. */
export interface LabelLimitProblem {
  field: string;
  limit: number;
  message: string;
}

const labelBytes = (labels: Record<string, string>): number =>
  Object.entries(labels).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);

/**
 * Checks the mapped alerts (shared labels already merged in, i.e. what would be stored and routed)
 * against the per-alert and per-delivery label budgets; the first breach wins.
 */
export function labelLimitProblem(alerts: readonly Alert[], limits: LabelLimits): LabelLimitProblem | null {
  let total = 0;
  for (const [i, alert] of alerts.entries()) {
    const bytes = labelBytes(alert.labels);
    if (bytes > limits.perAlert)
      return {
        field: `alerts[${i}].labels`,
        limit: limits.perAlert,
        message: `labels of alert ${i} take ${bytes} bytes; at most ${limits.perAlert} per alert (sources.labelLimits.perAlert)`,
      };
    total += bytes;
    if (total > limits.perDelivery)
      return {
        field: `alerts[${i}].labels`,
        limit: limits.perDelivery,
        message: `labels of this delivery exceed ${limits.perDelivery} bytes at alert ${i}, shared labels counted per alert (sources.labelLimits.perDelivery)`,
      };
  }
  return null;
}
