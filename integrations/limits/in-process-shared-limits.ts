import { randomUUID } from 'node:crypto';
import { cellRate } from '../../src/core/limits/cell-rate';
import { systemClock } from '../clock/system-clock';
import type { Clock } from '../../src/ports/clock';
import type { SharedLimits } from '../../src/ports/shared-limits';

/**
 * SharedLimits for one instance (SQLite, the embedded default): the same slots, rates and pauses held in
 * memory, so one process behaves exactly as when it shares them with others through PostgreSQL.
 * Pauses and leases follow `clock` (as the Retry-After gate does, so a test moving it moves them); rates
 * pace real requests and refill in real time (`rateClock`, as bottleneck's reservoir did) — on a clock a
 * test holds still a bucket would never refill.
 */
export function inProcessSharedLimits(clock: Clock, rateClock: Clock = systemClock): SharedLimits {
  const slots = new Map<string, Map<string, number>>();
  const rates = new Map<string, number>();
  const pauses = new Map<string, number>();
  const now = () => clock.now().getTime();
  const held = (scope: string) => {
    const s = slots.get(scope) ?? new Map<string, number>();
    slots.set(scope, s);
    for (const [holder, until] of s) if (until <= now()) s.delete(holder);
    return s;
  };
  return {
    async tryAcquire(scope, limit, leaseMs) {
      const s = held(scope);
      if (s.size >= limit) return null;
      const holder = randomUUID();
      s.set(holder, now() + leaseMs);
      return holder;
    },
    async renew(scope, holder, leaseMs) {
      const s = held(scope);
      if (!s.has(holder)) return false;
      s.set(holder, now() + leaseMs);
      return true;
    },
    async release(scope, holder) {
      slots.get(scope)?.delete(holder);
    },
    async tryTake(scope, rate) {
      const r = cellRate(rates.get(scope) ?? null, rateClock.now().getTime(), rate);
      if (!r.granted) return r.waitMs;
      rates.set(scope, r.tatMs);
      return 0;
    },
    async pause(scope, seconds) {
      if (!Number.isFinite(seconds) || seconds <= 0) return;
      pauses.set(scope, Math.max(pauses.get(scope) ?? 0, now() + seconds * 1000));
    },
    async pauseLeft(scope) {
      return Math.max(0, (pauses.get(scope) ?? 0) - now());
    },
    async close() {},
  };
}
