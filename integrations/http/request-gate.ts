import type { Clock } from '../../src/ports/clock';
import type { SharedLimits } from '../../src/ports/shared-limits';
import { parseRetryAfter } from './retry-after';

/** A 429 or 503 that says how long to wait asks us to stop sending to the whole system, not to retry one call. */
export const isThrottle = (status: number | null, retryAfterSeconds: number | null): boolean =>
  retryAfterSeconds !== null && (status === 429 || status === 503);

/**
 * A per-remote-system gate (one per lane driver): when the remote answers 429 (or 503) with
 * Retry-After, no further request to that system starts before the time has passed — not just a retry
 * of the failed call, every call. Time comes from the injected clock. With `shared` limits the pause is
 * written there too and read back before each request, so it holds for every instance of the bridge.
 */
export class TimedRequestGate {
  #until = 0;
  /** The last pause's write to the shared limits; a request waits for it before it asks them. */
  #written: Promise<void> = Promise.resolve();

  /** `onPause`: told each Retry-After that closes the gate, with its seconds (metrics). */
  constructor(
    private readonly clock: Clock,
    private readonly onPause?: (seconds: number) => void,
    private readonly shared?: {
      limits: SharedLimits;
      scope: string;
      /** The system's request rate for all instances together (`<scope>:rate`), when it has one. */
      rate?: { perSecond: number; burst: number };
    },
  ) {}

  /** Epoch ms (on the clock) until which the gate is closed; 0 or past when open. */
  get pausedUntil(): number {
    return this.#until;
  }

  isClosed(): boolean {
    return this.#nowMs() < this.#until;
  }

  /** Closes the gate for `seconds` (extends, never shortens, a running pause). */
  pause(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds <= 0) return;
    this.#until = Math.max(this.#until, this.#nowMs() + seconds * 1000);
    this.onPause?.(seconds);
    const shared = this.shared;
    // A failed write leaves this instance's pause in force; the others learn of the throttle from their
    // own next 429, as before limits were shared.
    if (shared)
      this.#written = this.#written.then(() =>
        shared.limits.pause(shared.scope, seconds).catch(() => undefined),
      );
  }

  /** Records a remote's answer; a throttle (429/503 with Retry-After) closes the gate for that long. */
  answered(status: number | null, retryAfterSeconds: number | null): void {
    if (retryAfterSeconds !== null && isThrottle(status, retryAfterSeconds)) this.pause(retryAfterSeconds);
  }

  /** The same from a raw `Retry-After` header, read against this gate's clock. */
  answeredWithHeader(status: number, retryAfter: string | null | undefined): void {
    this.answered(status, parseRetryAfter(retryAfter, this.#nowMs()));
  }

  /** Resolves when requests may be sent again: this instance's pause and the shared one have passed. */
  async wait(): Promise<void> {
    for (;;) {
      await this.#written;
      const shared = this.shared ? await this.shared.limits.pauseLeft(this.shared.scope) : 0;
      // Remembered, so that `isClosed` (the outbox's "start no command") also knows another's pause.
      if (shared > 0) this.#until = Math.max(this.#until, this.#nowMs() + shared);
      let left = this.#until - this.#nowMs();
      // Open: the request also needs its share of the rate; a wait for it checks the pause again after.
      if (left <= 0) left = await this.#rateWait();
      if (left <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, left));
    }
  }

  /** 0 when a request of the shared rate was taken (or there is none), else the ms until one would be. */
  async #rateWait(): Promise<number> {
    const rate = this.shared?.rate;
    return this.shared && rate ? this.shared.limits.tryTake(`${this.shared.scope}:rate`, rate) : 0;
  }

  #nowMs(): number {
    return this.clock.now().getTime();
  }
}

/** Wraps fetch so every request waits at the gate right before the wire, and a throttle closes it. */
export function gatedFetch(gate: TimedRequestGate, base: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    await gate.wait();
    const res = await base(input, init);
    gate.answeredWithHeader(res.status, res.headers.get('retry-after'));
    return res;
  };
}
