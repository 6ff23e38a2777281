import type { AppConfig } from '../config/app-config';
import { Secret } from '../config/secret';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { Metrics } from '../ports/metrics';
import { createHttpPager, type PagingTarget } from '../../integrations/paging/http-pager';
import { createPagingLaneDriver } from '../../integrations/paging/paging-lane-driver';
import {
  createPagerDutyEmulator,
  type PagerDutyEmulator,
} from '../../integrations/sandbox/pagerduty/emulator';
import type { EmulatorHandle } from '../../integrations/sandbox/serve-emulator';
import type { LaneSpec } from '../app/outbox-worker';
import { pagingLaneRunner } from '../app/run-paging-command';

const SANDBOX_PATH = '/sandbox/pagerduty';
/** The routing key the sandbox PagerDuty accepts; documented, so it is no secret. */
const SANDBOX_ROUTING_KEY = 'sandbox-routing-key';

/** The sandbox PagerDuty, when a pagerduty target has no routing key (mounted before the server listens). */
export function pagingSandbox(
  config: AppConfig,
): { emulator: PagerDutyEmulator; mount: EmulatorHandle } | null {
  const sandboxed = Object.values(config.paging).some((t) => t.kind === 'pagerduty' && !t.routingKey);
  if (!sandboxed) return null;
  const emulator = createPagerDutyEmulator({ prefix: SANDBOX_PATH });
  return { emulator, mount: (req, res) => emulator.handle(req, res) };
}

/** The paging lane for the configured targets; null when none is configured. */
export function pagingLane(o: {
  config: AppConfig;
  clock: Clock;
  logger: Logger;
  url: string;
  publicUrl: string;
  metrics?: Pick<Metrics, 'remoteCall' | 'retryAfterWait'>;
}): LaneSpec | null {
  const entries = Object.entries(o.config.paging);
  if (entries.length === 0) return null;
  const targets: Record<string, PagingTarget> = {};
  for (const [name, t] of entries) {
    if (t.kind === 'webhook')
      targets[name] = { kind: 'webhook', url: t.url, ...(t.token ? { token: t.token } : {}) };
    else if (t.routingKey) targets[name] = { kind: 'pagerduty', url: t.url, routingKey: t.routingKey };
    else {
      targets[name] = {
        kind: 'pagerduty',
        url: `${o.url}${SANDBOX_PATH}/v2/enqueue`,
        routingKey: new Secret(SANDBOX_ROUTING_KEY),
      };
      o.logger.info('paging target runs against the sandbox PagerDuty', { target: name, path: SANDBOX_PATH });
    }
  }
  const driver = createPagingLaneDriver(o.clock, o.metrics);
  const pager = createHttpPager({ targets, transport: driver });
  return { run: pagingLaneRunner({ pager, publicUrl: o.publicUrl }), driver };
}
