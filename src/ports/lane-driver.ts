/**
 * What a failed command means, decided by the remote system's driver:
 * - `permanent`: it fails the same way again (bad config, a rejected field): the worker parks it;
 * - `retryable`: the remote answered with a transient refusal (429, 408, a busy platform): try again
 *   after a backoff (its Retry-After when it sent one);
 * - `outcome_unknown`: no answer or a 5xx, so a write may have landed. It is retried like a retryable
 *   failure; a create first looks its ticket up by our key (its attempt was recorded before the call).
 */
export interface LaneFailure {
  kind: 'permanent' | 'retryable' | 'outcome_unknown';
  message: string;
  /** Seconds the remote asked us to wait before the next attempt, when it said so. */
  retryAfterSeconds: number | null;
  /** The remote told the whole system to wait (429/503 with Retry-After): the lane starts cold again. */
  throttled: boolean;
}

/**
 * One remote system (ServiceNow, Jira, Slack, Teams) as the outbox sees it: the system's limiter, its
 * Retry-After gate and the meaning of its errors. The outbox worker claims commands and runs them
 * through the driver; it knows nothing of HTTP statuses, headers or limiters.
 */
export interface LaneDriver {
  /** How many commands of this system may run at once. */
  readonly concurrency: number;
  /** Runs one command's work in one of the system's slots, waiting for a free one. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** True while the remote's Retry-After has not passed: no command should start. */
  isPaused(): boolean;
  /** What an error thrown by a command of this system means. */
  classify(err: unknown): LaneFailure;
}
