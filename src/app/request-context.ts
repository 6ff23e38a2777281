import { AsyncLocalStorage } from 'node:async_hooks';

const context = new AsyncLocalStorage<{ requestId: string }>();

/**
 * Runs `fn` with `requestId` as the cause of what it does: log lines carry it (the logger reads
 * `currentRequestId`), and outbox commands queued inside store it, so the log line of a remote call
 * names the HTTP request behind it. Without an id, `fn` runs in the caller's context.
 */
export function withRequestId<T>(requestId: string | null | undefined, fn: () => T): T {
  return requestId ? context.run({ requestId }, fn) : fn();
}

/** The request id of the work running now, or null (timers, the CLI). */
export const currentRequestId = (): string | null => context.getStore()?.requestId ?? null;

/** The fields a log line gets from the work running now (the logger's `context`). */
export const requestFields = (): { requestId: string } | null => {
  const requestId = currentRequestId();
  return requestId ? { requestId } : null;
};
