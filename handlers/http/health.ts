import type { ServerResponse } from 'node:http';
import type { Store } from '../../src/ports/store';
import { sendJson } from './respond';

/** Readiness: the store answers and correlation is not falling behind. */
export async function readiness(
  store: Store,
  now: Date,
  maxLagSeconds: number,
  res: ServerResponse,
): Promise<void> {
  try {
    await store.ping();
    const lag = await store.inboxLag();
    const lagSeconds = lag.oldestReceivedAt
      ? Math.max(0, (now.getTime() - Date.parse(lag.oldestReceivedAt)) / 1000)
      : 0;
    const ready = lagSeconds <= maxLagSeconds;
    sendJson(res, ready ? 200 : 503, {
      status: ready ? 'ready' : 'degraded',
      checks: {
        store: 'ok',
        correlation: { pending: lag.pending, lagSeconds: Math.round(lagSeconds), maxLagSeconds },
      },
    });
  } catch (err) {
    sendJson(
      res,
      503,
      { status: 'unavailable', checks: { store: `error: ${(err as Error).message}` } },
      { 'retry-after': '5' },
    );
  }
}
