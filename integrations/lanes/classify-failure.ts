import { BridgeError, IntegrationError } from '../../src/errors';
import type { LaneFailure } from '../../src/ports/lane-driver';
import { isThrottle } from '../http/request-gate';

/**
 * The failure table every lane driver applies to its adapter's IntegrationErrors:
 * not retryable → permanent; no answer (timeout, reset) or a 5xx other than a throttle → outcome
 * unknown; any other retryable error → retryable. An error that is not ours (a bug) is retried.
 */
export function classifyFailure(err: unknown): LaneFailure {
  const message = err instanceof Error ? err.message : String(err);
  if (!(err instanceof BridgeError))
    return { kind: 'retryable', message, retryAfterSeconds: null, throttled: false };
  if (!(err instanceof IntegrationError))
    return {
      kind: err.retryable ? 'retryable' : 'permanent',
      message,
      retryAfterSeconds: null,
      throttled: false,
    };
  const throttled = isThrottle(err.status, err.retryAfterSeconds);
  const unanswered = err.status === null || (err.status >= 500 && !throttled);
  return {
    kind: !err.retryable ? 'permanent' : unanswered ? 'outcome_unknown' : 'retryable',
    message,
    retryAfterSeconds: err.retryAfterSeconds,
    throttled,
  };
}
