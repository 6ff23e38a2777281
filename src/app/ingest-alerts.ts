import Ajv from 'ajv';
import { z } from 'zod';
import { Alert } from '../core/alert/alert';
import { ValidationError } from '../errors';
import type { Metrics } from '../ports/metrics';
import type { Store } from '../ports/store';
import { currentRequestId } from './request-context';

/**
 * The canonical `Alert` schema compiled once by ajv, as a fast gate: zod's own check of ten mapped alerts
 * cost more than mapping them (docs/benchmarks.md, Ingest). It is generated from the zod schema (which
 * has no refinements or transforms, so the JSON Schema says exactly the same; both count string lengths
 * in code points). Only an alert it refuses goes through zod, so the issues that name the field are
 * zod's, as before.
 */
const alertValid = new Ajv({ strict: true }).compile(z.toJSONSchema(Alert, { target: 'draft-7' }));

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
    if (alertValid(a)) return;
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
