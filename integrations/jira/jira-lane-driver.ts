import { RemoteLaneDriver, type RemoteLaneDriverOptions } from '../lanes/remote-lane-driver';
import { toIntegrationError } from './client';

/**
 * Jira's lane driver. Jira Cloud limits by cost budgets, bursts and writes per issue (20 per 2 s) and
 * answers 429 with Retry-After and a `RateLimit-Reason`; Data Center answers 429/503 the same way. Its
 * client checks the gate in an axios interceptor right before each request and closes it on a throttle.
 * https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
 */
export const createJiraLaneDriver = (
  o: Omit<RemoteLaneDriverOptions, 'system' | 'statusOf'>,
): RemoteLaneDriver =>
  new RemoteLaneDriver({
    ...o,
    system: 'jira',
    // jira.js throws its own errors: read their status the way the adapter does.
    statusOf: (err) => toIntegrationError('request', err, 0).status,
  });
