import { Alert } from '../core/alert/alert';
import { ValidationError } from '../errors';
import type { Metrics } from '../ports/metrics';
import type { Store } from '../ports/store';
import { currentRequestId } from './request-context';

/**
 * Stores mapped alerts durably and returns their ids; the caller answers 202 only after this resolves.
 * Every alert is checked against the canonical schema first, so a mapping bug refuses the whole
 * delivery (nothing partial is stored) instead of writing a malformed row.
 */
export async function ingestAlerts(
  deps: { store: Pick<Store, 'inbox'>; onAccepted?: () => void; metrics?: Pick<Metrics, 'alertAccepted'> },
  alerts: Alert[],
): Promise<number[]> {
  const issues: { path: string; message: string }[] = [];
  alerts.forEach((a, i) => {
    const r = Alert.safeParse(a);
    if (!r.success)
      for (const e of r.error.issues)
        issues.push({ path: `alerts[${i}].${e.path.join('.')}`, message: e.message });
  });
  if (issues.length > 0) throw new ValidationError('mapped alert is invalid', issues);
  const ids = await deps.store.inbox.accept(alerts, { requestId: currentRequestId() });
  for (const a of alerts) deps.metrics?.alertAccepted(a.source, a.status);
  deps.onAccepted?.();
  return ids;
}
