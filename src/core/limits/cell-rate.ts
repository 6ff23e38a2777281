/**
 * The generic cell-rate algorithm (a token bucket stored as one number): `tat` is the theoretical time
 * at which the bucket would be full again. A request at `now` is granted when it does not bring `tat`
 * more than the burst tolerance ahead of `now`; then `tat` moves one emission interval on.
 * Returns the new `tat` when granted, or the milliseconds to wait.
 */
export function cellRate(
  tatMs: number | null,
  nowMs: number,
  rate: { perSecond: number; burst: number },
): { granted: true; tatMs: number } | { granted: false; waitMs: number } {
  const interval = 1000 / rate.perSecond;
  const tolerance = (Math.max(1, rate.burst) - 1) * interval;
  const tat = Math.max(tatMs ?? nowMs, nowMs);
  const allowedAt = tat - tolerance;
  if (allowedAt > nowMs) return { granted: false, waitMs: Math.ceil(allowedAt - nowMs) };
  return { granted: true, tatMs: tat + interval };
}
