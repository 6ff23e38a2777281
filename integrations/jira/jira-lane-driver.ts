import type { Clock } from '../../src/ports/clock';
import { RemoteLaneDriver } from '../lanes/remote-lane-driver';

/**
 * Jira's lane driver. Jira Cloud limits by cost budgets, bursts and writes per issue (20 per 2 s) and
 * answers 429 with Retry-After and a `RateLimit-Reason`; Data Center answers 429/503 the same way. Its
 * client checks the gate in an axios interceptor right before each request and closes it on a throttle.
 * https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
 */
export const createJiraLaneDriver = (o: { clock: Clock; concurrency: number }): RemoteLaneDriver =>
  new RemoteLaneDriver(o);
