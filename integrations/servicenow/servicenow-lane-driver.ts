import { RemoteLaneDriver, type RemoteLaneDriverOptions } from '../lanes/remote-lane-driver';

/**
 * ServiceNow's lane driver. An instance serves REST calls from a few semaphores per node (API_INT: 4 by
 * default) and answers 429 without Retry-After when their queue is full, or 429 with Retry-After from a
 * rate-limit rule; so `concurrency` is the one limit for every request we send it, the outbox's and any
 * other caller's. Its client sends each request through this driver (`transport`).
 */
export const createServiceNowLaneDriver = (
  o: Omit<RemoteLaneDriverOptions, 'system' | 'statusOf'>,
): RemoteLaneDriver => new RemoteLaneDriver({ ...o, system: 'servicenow' });
