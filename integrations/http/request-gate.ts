import type { RequestGate } from '../../src/ports/request-gate';

/** The in-process RequestGate (one per remote system, shared by its adapter and its outbox lane). */
export class TimedRequestGate implements RequestGate {
  #until = 0;

  constructor(private readonly now: () => number = Date.now) {}

  get pausedUntil(): number {
    return this.#until;
  }

  pause(seconds: number): void {
    if (Number.isFinite(seconds) && seconds > 0)
      this.#until = Math.max(this.#until, this.now() + seconds * 1000);
  }

  async wait(): Promise<void> {
    for (let left = this.#until - this.now(); left > 0; left = this.#until - this.now()) {
      await new Promise((resolve) => setTimeout(resolve, left));
    }
  }
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date); null when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, (at - now) / 1000);
}

/** Wraps fetch so every request waits at the gate and a 429/503 with Retry-After closes it. */
export function gatedFetch(gate: RequestGate, base: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    await gate.wait();
    const res = await base(input, init);
    if (res.status === 429 || res.status === 503) {
      const s = retryAfterSeconds(res.headers.get('retry-after'));
      if (s !== null) gate.pause(s);
    }
    return res;
  };
}
