import type { ServerResponse } from 'node:http';
import type { MetricsExposition } from '../../src/ports/metrics';

/**
 * GET /metrics: the Prometheus text exposition (integrations/metrics/prom-metrics.ts). Unauthenticated
 * like /healthz, as Prometheus scrapes it; it carries counts and ages, never alert text or secrets.
 */
export async function sendMetrics(metrics: MetricsExposition, res: ServerResponse): Promise<void> {
  const text = await metrics.render();
  res.writeHead(200, { 'content-type': metrics.contentType });
  res.end(text);
}
