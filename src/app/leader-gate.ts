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
/** A follower never tries again sooner than this after a try (no busy loop, whatever the lease says). */
const MIN_RETRY_MS = 100;
/** How long after the holder's lease ends a follower tries, so that the referee's clock has passed it. */
const AFTER_END_MS = 20;

/**
 * Whether this instance runs the leader-only jobs now. It tries for the lease at start; the leader
 * renews it every third of the lease; a follower tries again right after the current holder's lease
 * ends (the lease's `endsIn`), and at least every third of the lease (a holder that released it cleanly
 * is replaced then). It counts as leader only until its last successful hold plus the lease, by its own
 * clock read before it asked, so an instance that stalls stops acting as leader by the time another
 * may take over.
 */
export class LeaderGate {
  #until = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | null = null;
  #running = false;
  #trying: Promise<boolean> | null = null;
  readonly #leaseMs: number;
  readonly #renewMs: number;

  constructor(private readonly deps: LeaderGateDeps) {
    this.#leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
    this.#renewMs = Math.max(MIN_RETRY_MS, Math.floor(this.#leaseMs / 3));
  }

  start(): void {
    this.#running = true;
    void this.#tick();
  }

  async #tick(): Promise<void> {
    const held = await this.tryNow();
    const delay = held ? this.#renewMs : await this.#untilChance();
    if (!this.#running) return;
    this.#timer = setTimeout(() => void this.#tick(), delay);
    this.#timer.unref();
  }

  /**
   * How long a follower waits before its next try: until the holder's lease ends, plus AFTER_END_MS.
   * The end comes from the lease's referee clock as a duration (the database's on PostgreSQL), so
   * it is waited out here without comparing this instance's clock with anyone's. If the holder renews
   * meanwhile, that try fails and learns the new end; between MIN_RETRY_MS and a third of the lease.
   */
  async #untilChance(): Promise<number> {
    const endsIn = await this.deps.lease
      .endsIn(this.deps.clock.now().toISOString())
      .catch(() => this.#renewMs);
    return Math.min(this.#renewMs, Math.max(MIN_RETRY_MS, endsIn + AFTER_END_MS));
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
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
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
