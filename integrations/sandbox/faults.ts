import type { EmuResponse } from './http-util';

/**
 * Fault injection shared by the sandbox emulators (one engine for all four vendors); only the 429
 * response differs, and the vendor passes it in.
 */

/** One scripted fault, consumed by the first request it matches (method and/or path substring). */
export interface FaultStep {
  kind: 'ok' | 'error' | 'rateLimit' | 'timeout' | 'queued';
  method?: string;
  path?: string;
  /** For `error` (default 503). */
  status?: number;
  /** For `rateLimit`. */
  retryAfterSeconds?: number;
  /**
   * For `timeout`: how long to hold the (already applied) response. For `queued`: how long the request
   * waits before it is applied at all (a transaction queued behind ServiceNow's semaphores runs even
   * when its client has stopped waiting); the answer follows the write.
   */
  holdMs?: number;
}

/** Runtime-settable faults; assign fields directly (`emu.faults.errorRate = 0.3`). */
export interface Faults {
  /** Added to every request. */
  latencyMs: number;
  /** Probability of answering `errorStatus` without touching state. */
  errorRate: number;
  errorStatus: number;
  /** Probability of a 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitRate: number;
  retryAfterSeconds: number;
  /** Probability of an "ambiguous success": the write is applied, the answer held for `timeoutMs`. */
  timeoutRate: number;
  timeoutMs: number;
  script: FaultStep[];
  /** Request-rate cap over a sliding window; 429 with the time until a slot frees up. */
  requestRate: { limit: number; windowMs: number } | null;
  /** In-flight cap (ServiceNow API_INT semaphores: 4 per node); the excess gets 429 without Retry-After. */
  maxConcurrent: number | null;
  random: () => number;
  /** Bounds on what one emulator reads and keeps (not faults, but settable at runtime like them). */
  limits: EmulatorLimits;
}

/**
 * What keeps a sandbox reachable by anyone from growing without bound (issue 12, finding 7): a request
 * body over `bodyBytes` gets 413 before it is read; once the successful writes (every method but GET
 * and HEAD) have brought `storedBytes` of bodies, further writes get 507 until a restart empties the
 * sandbox; the call log keeps the last `callLog` entries.
 */
export interface EmulatorLimits {
  bodyBytes: number;
  storedBytes: number;
  callLog: number;
}

export const DEFAULT_EMULATOR_LIMITS: EmulatorLimits = {
  bodyBytes: 1024 * 1024,
  storedBytes: 64 * 1024 * 1024,
  callLog: 10_000,
};

export const defaultFaults = (): Faults => ({
  latencyMs: 0,
  errorRate: 0,
  errorStatus: 503,
  rateLimitRate: 0,
  retryAfterSeconds: 1,
  timeoutRate: 0,
  timeoutMs: 5000,
  script: [],
  requestRate: null,
  maxConcurrent: null,
  random: Math.random,
  limits: { ...DEFAULT_EMULATOR_LIMITS },
});

/** Appends to a log and drops its oldest entries beyond `max` (in place: emulators share the array). */
export function pushBounded<T>(log: T[], entry: T, max: number): void {
  log.push(entry);
  if (log.length > max) log.splice(0, log.length - max);
}

/** One request as seen by the emulator; `at`/`finishedAt` are epoch ms from the emulator's clock. */
export interface CallLogEntry {
  seq: number;
  at: number;
  finishedAt: number | null;
  method: string;
  path: string;
  query: string;
  status: number | null;
  fault: 'error' | 'rateLimit' | 'concurrency' | 'requestRate' | 'timeout' | 'queued' | null;
  retryAfterSeconds: number | null;
}

/** Why a 429 is sent: lets the vendor pick its headers (e.g. Jira's RateLimit-Reason). */
export type RateLimitCause = 'injected' | 'requestRate' | 'concurrency';

export interface FaultHooks {
  rateLimited(retryAfterSeconds: number | null, cause: RateLimitCause): EmuResponse;
  serverError(status: number): EmuResponse;
}

/** Applies `faults` around a request handler and records the call log. */
export class FaultInjector {
  /** The last `faults.limits.callLog` requests. */
  readonly callLog: CallLogEntry[] = [];
  #seq = 0;
  /** Most requests ever in flight at once, refused ones included (what `maxConcurrent` is checked against). */
  maxInFlight = 0;
  /** Requests waiting in the queue (`queued` faults) that have not been applied yet. */
  queued = 0;
  #inFlight = 0;
  #accepted: number[] = [];

  constructor(
    readonly faults: Faults,
    private readonly now: () => number,
    private readonly hooks: FaultHooks,
  ) {}

  /** Runs `handler` under the configured faults; `holdMs` > 0 means "answer late" (client likely gone). */
  async run(
    method: string,
    path: string,
    query: string,
    handler: () => Promise<EmuResponse>,
  ): Promise<{ response: EmuResponse; holdMs: number; entry: CallLogEntry }> {
    const entry: CallLogEntry = {
      seq: ++this.#seq,
      at: this.now(),
      finishedAt: null,
      method,
      path,
      query,
      status: null,
      fault: null,
      retryAfterSeconds: null,
    };
    pushBounded(this.callLog, entry, this.faults.limits.callLog);
    this.#inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      this.#inFlight--;
    };
    try {
      const { response, holdMs } = await this.#decide(entry, method, path, handler, finish);
      entry.status = response.status;
      const ra = response.headers?.['Retry-After'];
      entry.retryAfterSeconds = ra === undefined ? null : Number(ra);
      // A held answer is a reply lost on the way back: the remote's transaction (and its semaphore) has
      // ended, so the hold no longer counts as in flight.
      finish();
      if (holdMs > 0) await sleep(holdMs);
      return { response, holdMs, entry };
    } finally {
      finish();
      entry.finishedAt = this.now();
    }
  }

  async #decide(
    entry: CallLogEntry,
    method: string,
    path: string,
    handler: () => Promise<EmuResponse>,
    /** Ends the request's place in flight (a queued transaction holds no semaphore while it waits). */
    leaveFlight: () => void,
  ): Promise<{ response: EmuResponse; holdMs: number }> {
    const f = this.faults;
    if (f.maxConcurrent !== null && this.#inFlight > f.maxConcurrent) {
      entry.fault = 'concurrency';
      return { response: this.hooks.rateLimited(null, 'concurrency'), holdMs: 0 };
    }
    const rate = this.#rateCheck();
    if (rate !== null) {
      entry.fault = 'requestRate';
      return { response: this.hooks.rateLimited(rate, 'requestRate'), holdMs: 0 };
    }
    if (f.latencyMs > 0) await sleep(f.latencyMs);
    const idx = f.script.findIndex(
      (s) => (!s.method || s.method === method) && (!s.path || path.includes(s.path)),
    );
    const step = idx >= 0 ? f.script.splice(idx, 1)[0] : undefined;
    if (step?.kind === 'error' || (!step && f.errorRate > 0 && f.random() < f.errorRate)) {
      entry.fault = 'error';
      return { response: this.hooks.serverError(step?.status ?? f.errorStatus), holdMs: 0 };
    }
    if (step?.kind === 'rateLimit' || (!step && f.rateLimitRate > 0 && f.random() < f.rateLimitRate)) {
      entry.fault = 'rateLimit';
      const seconds = step?.retryAfterSeconds ?? f.retryAfterSeconds;
      return { response: this.hooks.rateLimited(seconds, 'injected'), holdMs: 0 };
    }
    const timeout = step?.kind === 'timeout' || (!step && f.timeoutRate > 0 && f.random() < f.timeoutRate);
    if (step?.kind === 'queued') {
      entry.fault = 'queued';
      leaveFlight();
      this.queued++;
      try {
        await sleep(step.holdMs ?? f.timeoutMs);
      } finally {
        this.queued--;
      }
    }
    const response = await handler();
    if (timeout) {
      entry.fault = 'timeout';
      return { response, holdMs: step?.holdMs ?? f.timeoutMs };
    }
    return { response, holdMs: 0 };
  }

  /** Sliding-window cap; returns the seconds until a slot frees up when over the limit. */
  #rateCheck(): number | null {
    const cap = this.faults.requestRate;
    if (!cap) return null;
    const now = this.now();
    this.#accepted = this.#accepted.filter((t) => t > now - cap.windowMs);
    if (this.#accepted.length >= cap.limit) {
      const oldest = this.#accepted[0] ?? now;
      return Math.max(1, Math.ceil((oldest + cap.windowMs - now) / 1000));
    }
    this.#accepted.push(now);
    return null;
  }
}

/**
 * Requests that arrived before an earlier 429's `Retry-After` had passed (counted from when the 429 was
 * sent). `sameScope` narrows the check, e.g. to the same Jira issue for per-issue limits. `raceMs`:
 * requests arriving less than that after the 429 left are not counted — they were on their way before
 * any client could know of it (several senders at once; the chaos suite allows 100 ms).
 */
export function retryAfterViolations(
  log: readonly CallLogEntry[],
  sameScope: (limited: CallLogEntry, later: CallLogEntry) => boolean = () => true,
  raceMs = 0,
): CallLogEntry[] {
  const out: CallLogEntry[] = [];
  for (const limited of log) {
    if (limited.status !== 429 || limited.retryAfterSeconds === null || limited.finishedAt === null) continue;
    // A 429 whose answer was held past the client's timeout never reached the client: nothing to honour.
    if (limited.fault === 'timeout') continue;
    const until = limited.finishedAt + limited.retryAfterSeconds * 1000;
    for (const later of log) {
      if (
        later.at >= limited.finishedAt + raceMs &&
        later.at < until &&
        later !== limited &&
        sameScope(limited, later)
      ) {
        out.push(later);
      }
    }
  }
  return out;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
