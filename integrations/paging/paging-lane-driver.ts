import type { Clock } from '../../src/ports/clock';
import type { Metrics } from '../../src/ports/metrics';
import type { SharedLimits } from '../../src/ports/shared-limits';
import { RemoteLaneDriver } from '../lanes/remote-lane-driver';

/**
 * The paging lane's driver: two requests at once. PagerDuty's Events API allows far more (it throttles
 * per integration key with 429 and no Retry-After), but pages are few and each one matters.
 */
export const createPagingLaneDriver = (
  clock: Clock,
  metrics?: Pick<Metrics, 'remoteCall' | 'retryAfterWait'>,
  limits?: SharedLimits,
): RemoteLaneDriver =>
  new RemoteLaneDriver({
    clock,
    concurrency: 2,
    system: 'paging',
    ...(metrics ? { metrics } : {}),
    ...(limits ? { limits } : {}),
  });
