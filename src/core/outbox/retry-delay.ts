/**
 * Seconds to wait before the next attempt of a failed remote call. The remote's Retry-After always wins
 * (we never send before it has passed); otherwise exponential backoff 2, 4, 8, 16 … s with ±30 % jitter,
 * capped. `random` is injected so the core stays deterministic in tests.
 */
export function retryDelaySeconds(o: {
  attempts: number;
  retryAfterSeconds: number | null;
  maxBackoff: number;
  random: () => number;
}): number {
  if (o.retryAfterSeconds !== null && o.retryAfterSeconds >= 0) return o.retryAfterSeconds;
  const base = Math.min(o.maxBackoff, 2 ** Math.max(1, o.attempts));
  const jitter = 0.7 + 0.6 * o.random();
  return Math.min(o.maxBackoff, base * jitter);
}
