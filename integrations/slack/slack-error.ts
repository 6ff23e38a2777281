import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  SlackError,
} from '@slack/web-api';
import { IntegrationError } from '../../src/errors';
import { parseRetryAfter } from '../http/retry-after';

/**
 * Platform errors (`ok:false`) that are worth retrying; everything else (`channel_not_found`,
 * `invalid_auth`, `invalid_blocks`, …) fails the same way again. docs.slack.dev/reference/methods lists
 * these as transient for every method.
 */
const TRANSIENT = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/**
 * Maps a WebClient error to our IntegrationError; never lets a vendor type escape the adapter. A
 * Retry-After header is read against `nowMs`.
 */
export function toIntegrationError(method: string, err: unknown, nowMs: number): IntegrationError {
  if (err instanceof IntegrationError) return err;
  if (err instanceof WebAPIRateLimitedError)
    return new IntegrationError('slack', method, 429, `429 ratelimited`, true, err.retryAfter);
  if (err instanceof WebAPIPlatformError) {
    const code = err.data.error;
    const details = err.data.response_metadata?.messages?.join('; ');
    const retryAfter = err.data.response_metadata?.retryAfter ?? null;
    return new IntegrationError(
      'slack',
      method,
      200,
      details ? `${code}: ${details}` : code,
      TRANSIENT.has(code),
      retryAfter,
    );
  }
  if (err instanceof WebAPIHTTPError) {
    const status = err.statusCode;
    return new IntegrationError(
      'slack',
      method,
      status,
      `${status} ${err.statusMessage}`.trim(),
      status >= 500 || status === 408 || status === 429,
      parseRetryAfter(err.headers['retry-after'], nowMs),
    );
  }
  // No answer (refused, reset, our timeout): the outcome of a write is unknown; the outbox retries.
  if (err instanceof WebAPIRequestError)
    return new IntegrationError('slack', method, null, err.original.message || err.message, true);
  // Invalid file arguments are our bug and will not heal on retry.
  if (err instanceof SlackError) return new IntegrationError('slack', method, null, err.message, false);
  // filesUploadV2 throws a plain Error when the upload URL does not answer 200.
  const message = err instanceof Error ? err.message : String(err);
  return new IntegrationError('slack', method, null, message, true);
}
