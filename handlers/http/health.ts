import type { ServerResponse } from 'node:http';
import type { Store } from '../../src/ports/store';
import { sendJson } from './respond';

/**
 * Readiness: the store answers and correlation is not falling behind. Outbox trouble (remote systems
 * down, parked commands) is reported but keeps the instance ready: taking it out of the load balancer
 * would stop alert intake, which is exactly what must go on while ServiceNow or Jira is down.
 */
export async function readiness(
  store: Pick<Store, 'inbox' | 'outbox' | 'ping'>,
  now: Date,
  maxLagSeconds: number,
  res: ServerResponse,
  runsOn?: 'thread' | 'event-loop',
): Promise<void> {
  try {
    await store.ping();
    const [lag, outbox] = await Promise.all([store.inbox.lag(), store.outbox.stats()]);
    const lagSeconds = lag.oldestReceivedAt
      ? Math.max(0, (now.getTime() - Date.parse(lag.oldestReceivedAt)) / 1000)
      : 0;
    const ready = lagSeconds <= maxLagSeconds;
    sendJson(res, ready ? 200 : 503, {
      status: ready ? 'ready' : 'degraded',
      checks: {
        store: 'ok',
        correlation: {
          pending: lag.pending,
          lagSeconds: Math.round(lagSeconds),
          maxLagSeconds,
          ...(runsOn ? { runsOn } : {}),
        },
        outbox: {
          pending: outbox.pending,
          parked: outbox.parked,
          oldestPendingSeconds: outbox.oldestPendingAt
            ? Math.round((now.getTime() - Date.parse(outbox.oldestPendingAt)) / 1000)
            : 0,
          ...(outbox.parked > 0
            ? {
                action:
                  'parked commands need attention: see the incidents, fix the cause, run "itsm-bridge replay"',
              }
            : {}),
        },
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
