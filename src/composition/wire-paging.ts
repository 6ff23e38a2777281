import type { AppConfig } from '../config/app-config';
import { Secret } from '../config/secret';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { Metrics } from '../ports/metrics';
import type { SharedLimits } from '../ports/shared-limits';
import { createHttpPager, type PagingTarget } from '../../integrations/paging/http-pager';
import { createPagingLaneDriver } from '../../integrations/paging/paging-lane-driver';
import {
  createPagerDutyEmulator,
  type PagerDutyEmulator,
} from '../../integrations/sandbox/pagerduty/emulator';
import type { EmulatorHandle } from '../../integrations/sandbox/serve-emulator';
import { SANDBOX_IDENTITIES } from '../../integrations/sandbox/sandbox-identities';
import type { LaneSpec } from '../app/outbox-worker';
import { pagingLaneRunner } from '../app/run-paging-command';

const SANDBOX_PATH = SANDBOX_IDENTITIES.pagerduty.path;
/** The routing key the sandbox PagerDuty accepts; documented, so it is no secret. */
const SANDBOX_ROUTING_KEY = SANDBOX_IDENTITIES.pagerduty.routingKey;

/** The sandbox PagerDuty, when a pagerduty target has no routing key (mounted before the server listens). */
export function pagingSandbox(
  config: AppConfig,
  /** SANDBOX_URL: the shared sandbox has the PagerDuty emulator; none is mounted here. */
  shared?: string,
): { emulator: PagerDutyEmulator; mount: EmulatorHandle } | null {
  const sandboxed = Object.values(config.paging).some((t) => t.kind === 'pagerduty' && !t.routingKey);
  if (!sandboxed || shared) return null;
  const emulator = createPagerDutyEmulator({ prefix: SANDBOX_PATH });
  return { emulator, mount: (req, res) => emulator.handle(req, res) };
}

/** Whether a paging target is configured, i.e. whether `pagingLane` makes a lane. */
export const pagingConfigured = (config: AppConfig): boolean => Object.keys(config.paging).length > 0;

/** The paging lane for the configured targets; null when none is configured. */
export function pagingLane(o: {
  config: AppConfig;
  clock: Clock;
  logger: Logger;
  url: string;
  publicUrl: string;
  metrics?: Pick<Metrics, 'remoteCall' | 'retryAfterWait'>;
  /** SANDBOX_URL: where the sandbox PagerDuty is when it is not mounted on this server. */
  shared?: string;
  /** Limits held with the other instances. */
  limits?: SharedLimits;
}): LaneSpec | null {
  if (!pagingConfigured(o.config)) return null;
  const entries = Object.entries(o.config.paging);
  const targets: Record<string, PagingTarget> = {};
  for (const [name, t] of entries) {
    if (t.kind === 'webhook')
      targets[name] = { kind: 'webhook', url: t.url, ...(t.token ? { token: t.token } : {}) };
    else if (t.routingKey) targets[name] = { kind: 'pagerduty', url: t.url, routingKey: t.routingKey };
    else {
      targets[name] = {
        kind: 'pagerduty',
        url: `${o.shared?.replace(/\/+$/, '') ?? o.url}${SANDBOX_PATH}/v2/enqueue`,
        routingKey: new Secret(SANDBOX_ROUTING_KEY),
      };
      o.logger.info('paging target runs against the sandbox PagerDuty', { target: name, path: SANDBOX_PATH });
    }
  }
  const driver = createPagingLaneDriver(o.clock, o.metrics, o.limits);
  const pager = createHttpPager({ targets, transport: driver });
  return { run: pagingLaneRunner({ pager, publicUrl: o.publicUrl }), driver };
}
