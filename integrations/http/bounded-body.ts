import { IntegrationError } from '../../src/errors';
import { parseRetryAfter } from './retry-after';

/**
 * A response body up to `maxBytes`: `too_large` as soon as the announced length or the bytes read pass
 * it (the rest is cancelled, never buffered).
 */
export async function readBounded(res: Response, maxBytes: number): Promise<Buffer | 'too_large'> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await res.body?.cancel();
    return 'too_large';
  }
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.length;
    if (size > maxBytes) {
      await reader.cancel();
      return 'too_large';
    }
    chunks.push(Buffer.from(value));
  }
}

/** A refused request as an IntegrationError: 408/429/5xx retryable (with Retry-After), else permanent. */
export async function httpFailure(
  system: string,
  operation: string,
  res: Response,
  nowMs: number,
): Promise<IntegrationError> {
  const text = await readBounded(res, 4096).catch(() => 'too_large' as const);
  const detail = text === 'too_large' ? '' : ` ${text.toString('utf8').slice(0, 300)}`;
  const s = res.status;
  return new IntegrationError(
    system,
    operation,
    s,
    `${s}${detail}`,
    s === 429 || s === 408 || s >= 500,
    parseRetryAfter(res.headers.get('retry-after'), nowMs),
  );
}

/** A failure without an answer (timeout, refused, reset): the outcome of a write is unknown. */
export function noAnswer(system: string, operation: string, err: unknown): IntegrationError {
  if (err instanceof IntegrationError) return err;
  const name = err instanceof Error ? err.name : '';
  const message =
    name === 'TimeoutError' || name === 'AbortError'
      ? 'request timed out'
      : String((err as Error)?.message ?? err);
  return new IntegrationError(system, operation, null, message, true);
}
