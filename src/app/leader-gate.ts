import type { Clock } from '../ports/clock';
import type { LeaderLease } from '../ports/leader-lease';
import type { Logger } from '../ports/logger';

export interface LeaderGateDeps {
  lease: LeaderLease;
  clock: Clock;
  logger: Logger;
  /** How long a held lease lasts without renewal (default 30 s); renewed every third of it. */
  leaseMs?: number;
}

const DEFAULT_LEASE_MS = 30_000;

/**
 * Whether this instance runs the leader-only jobs now. It tries for the lease at start and every third
 * of the lease; it counts as leader only until its last successful hold plus the lease, by its own
 * clock, so an instance that stalls stops acting as leader by the time another may take over.
 */
export class LeaderGate {
  #until = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | null = null;
  #trying: Promise<boolean> | null = null;
  readonly #leaseMs: number;

  constructor(private readonly deps: LeaderGateDeps) {
    this.#leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  }

  start(): void {
    this.#timer = setInterval(() => void this.tryNow(), Math.max(100, Math.floor(this.#leaseMs / 3)));
    this.#timer.unref();
    void this.tryNow();
  }

  /** True while this instance holds the lease. */
  isLeader(): boolean {
    return this.deps.clock.now().getTime() < this.#until;
  }

  /**
   * True while this instance holds the lease, trying for it first when the last hold has lapsed (the
   * clock moved on faster than the renewal timer, e.g. after a pause or under a test's clock). What a
   * leader-only job asks right before it runs.
   */
  async leading(): Promise<boolean> {
    return this.isLeader() || this.tryNow();
  }

  /** One try for the lease (the timer's; tests call it directly). Resolves with `isLeader()`. */
  tryNow(): Promise<boolean> {
    this.#trying ??= this.#try().finally(() => (this.#trying = null));
    return this.#trying;
  }

  async #try(): Promise<boolean> {
    const was = this.isLeader();
    const at = this.deps.clock.now().getTime();
    const held = await this.deps.lease
      .hold(new Date(at).toISOString(), new Date(at + this.#leaseMs).toISOString())
      .catch((err: unknown) => {
        this.deps.logger.warn('leader lease check failed', { error: (err as Error).message });
        return false;
      });
    this.#until = held ? at + this.#leaseMs : Number.NEGATIVE_INFINITY;
    if (held !== was) this.deps.logger.info(held ? 'leading the leader-only jobs' : 'no longer the leader');
    return held;
  }

  /** Stops trying and gives the lease up, so another instance leads at its next try. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#trying;
    this.#until = Number.NEGATIVE_INFINITY;
    await this.deps.lease.release().catch(() => {});
  }
}

/**
 * A job only the leader runs: each run first asks `leading` (LeaderGate.leading) and does nothing on a
 * follower; without `leading` (one instance, tests) it always runs. Each run on the leader logs one debug
 * line naming the job, so an operator (and the two-instance tests) can see where it runs.
 */
export function leaderOnly(
  o: { leading?: () => Promise<boolean>; logger: Logger; job: string },
  run: () => Promise<void>,
): () => Promise<void> {
  return async () => {
    if (o.leading && !(await o.leading())) return;
    o.logger.debug('leader-only job runs', { job: o.job });
    await run();
  };
}
