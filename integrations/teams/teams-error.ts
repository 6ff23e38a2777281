import { IntegrationError } from '../../src/errors';
import { parseRetryAfter } from '../http/retry-after';

/** 429, 408 and 5xx are worth retrying; other 4xx (bad card, bot removed, unknown conversation) are not. */
export const isRetryableStatus = (status: number): boolean =>
  status === 429 || status === 408 || status >= 500;

interface HttpLikeError {
  status?: unknown;
  message?: unknown;
  response?: { status?: unknown; headers?: { get?(name: string): string | null }; data?: unknown };
}

/**
 * Any failure of a Teams call → IntegrationError('teams', …). Understands the Agents SDK's HttpError
 * (status, response.headers as a fetch Headers, Bot Connector `{error:{code,message}}` body; Retry-After
 * read against `nowMs`). No response at all (refused, reset, timeout) is retryable: the outbox may look
 * again.
 */
export function toTeamsError(operation: string, err: unknown, nowMs: number): IntegrationError {
  if (err instanceof IntegrationError) return err;
  const e = (err ?? {}) as HttpLikeError;
  const status =
    typeof e.response?.status === 'number'
      ? e.response.status
      : typeof e.status === 'number'
        ? e.status
        : null;
  if (status === null) {
    const msg = typeof e.message === 'string' ? e.message : String(err);
    return new IntegrationError('teams', operation, null, msg, true);
  }
  const retryAfter = parseRetryAfter(e.response?.headers?.get?.('retry-after'), nowMs);
  return new IntegrationError(
    'teams',
    operation,
    status,
    `${status} ${connectorMessage(e.response?.data)}`,
    isRetryableStatus(status),
    retryAfter,
  );
}

/** The Bot Connector error envelope is `{error: {code, message}}`; anything else is shown shortened. */
function connectorMessage(data: unknown): string {
  const error = (data as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (error && (typeof error.code === 'string' || typeof error.message === 'string'))
    return [error.code, error.message].filter((v) => typeof v === 'string').join(': ');
  if (typeof data === 'string') return data.slice(0, 200);
  return 'request failed';
}
