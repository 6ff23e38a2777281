import { IntegrationError } from '../../src/errors';
import type { TimedRequestGate } from './request-gate';

/**
 * Runs one read of a remote report source, and runs it again after a 429 that said when to come back.
 * A report reads thousands of pages in one run and has no outbox behind it to retry later, so a rate
 * limit must not end the run — but the wait is the remote's: the source's transport closed `gate` for the
 * Retry-After, and the retry waits there. A 429 without Retry-After (a full semaphore queue), 5xx and
 * everything else end the run with the error, as does a third 429 for the same read.
 */
export async function retryRateLimited<T>(
  gate: Pick<TimedRequestGate, 'wait'>,
  read: () => Promise<T>,
  attempts = 3,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (err) {
      const limited = err instanceof IntegrationError && err.status === 429 && err.retryAfterSeconds !== null;
      if (!limited || attempt >= attempts) throw err;
      await gate.wait();
    }
  }
}
