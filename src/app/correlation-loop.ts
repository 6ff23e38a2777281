import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { correlateBatch, type CorrelateDeps } from './correlate-batch';
import { tickIncidents } from './tick-incidents';

export interface CorrelationLoopOptions {
  pollMs: number;
  batchSize: number;
  /** True while HTTP requests are being handled; correlation then takes at most `maxShare` of the thread. */
  busy?: () => boolean;
  /** Share of the event loop correlation may use while ingest is busy (default 0.3). */
  maxShare?: number;
  /** Called after each committed batch (the outbox starts on new commands without waiting for its poll). */
  afterBatch?: () => void;
  /**
   * More stored timers (hand-off deadlines), run after a pass at most once per clock second — their
   * deadlines have second precision, and ingest should not pay a transaction for them on every batch.
   * Returns how many moved.
   */
  timers?: () => Promise<number>;
}

/**
 * The stored timers' pass (`CorrelationLoopOptions.timers`): at most once per clock second and one at a
 * time, `afterBatch` when something moved. Shared by the loop and by the correlation thread, which runs
 * these timers on the event loop.
 */
export class TimerPass {
  #at = Number.NEGATIVE_INFINITY;
  #running = false;

  constructor(private readonly o: Pick<CorrelationLoopOptions, 'timers' | 'afterBatch'> & { clock: Clock }) {}

  /** True while a pass is under way (the thread's stop waits for it). */
  get running(): boolean {
    return this.#running;
  }

  async run(): Promise<void> {
    const now = this.o.clock.now().getTime();
    if (!this.o.timers || this.#running || now - this.#at < 1000) return;
    this.#at = now;
    this.#running = true;
    try {
      if ((await this.o.timers()) > 0) this.o.afterBatch?.();
    } finally {
      this.#running = false;
    }
  }
}

/** What the composition root starts, wakes and stops: this loop, or the correlation thread around it. */
export interface CorrelationRunner {
  start(): void;
  /** Asks for a pass (after an ingest commit); coalesces with one already running. */
  wake(): void;
  /** Waits for the current pass to finish; used by tests and graceful shutdown. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The correlation loop: runs `correlateBatch` over the inbox in the background, batch after batch, then
 * `tickIncidents` for housekeeping. Woken in-process right after an ingest commits, and polled every
 * `pollMs` so nothing is missed (e.g. alerts accepted just before a restart). One pass at a time.
 */
export class CorrelationLoop implements CorrelationRunner {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = false;
  readonly #timers: TimerPass;

  constructor(
    private readonly deps: CorrelateDeps & { logger: Logger },
    private readonly opts: CorrelationLoopOptions = { pollMs: 1000, batchSize: 50 },
  ) {
    this.#timers = new TimerPass({ ...opts, clock: deps.clock });
  }

  start(): void {
    this.#stopped = false;
    this.#timer = setInterval(() => this.wake(), this.opts.pollMs);
    this.#timer.unref();
    this.wake();
  }

  /** Asks for a pass; coalesces with one already running. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#drain().finally(() => {
      this.#running = null;
      if (this.#again) {
        this.#again = false;
        this.wake();
      }
    });
  }

  /** Processes until the inbox is empty, then does housekeeping. */
  async #drain(): Promise<void> {
    try {
      for (;;) {
        if (this.#stopped) break;
        const started = performance.eventLoopUtilization();
        if ((await correlateBatch(this.deps, this.opts.batchSize)) === 0) break;
        this.opts.afterBatch?.();
        // Accepting alerts durably comes first: while requests are waiting, correlation yields for long
        // enough to use at most `maxShare` of the thread; the inbox buffers the difference. What counts
        // is the time the thread was busy during the batch, not the batch's wall time: on PostgreSQL a
        // batch mostly waits for the database, and the thread serves requests meanwhile (a pause
        // computed from the wall time held correlation there to a third of what it could do).
        const share = this.opts.maxShare ?? 0.3;
        const busyMs = performance.eventLoopUtilization(started).active;
        const pause = this.opts.busy?.() ? (busyMs * (1 - share)) / share : 0;
        await new Promise((resolve) => (pause > 0 ? setTimeout(resolve, pause) : setImmediate(resolve)));
      }
      if (!this.#stopped) await tickIncidents(this.deps);
      if (!this.#stopped) await this.#timers.run();
    } catch (err) {
      // The batch rolled back; its alerts stay pending and the next poll retries them.
      this.deps.logger.error('correlation pass failed', { error: (err as Error).message });
    }
  }

  /** Waits for the current pass to finish; used by tests and graceful shutdown. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.idle();
  }
}
