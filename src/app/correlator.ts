import type { Logger } from '../ports/logger';
import { correlateBatch, tickIncidents, type CorrelateDeps } from './correlate-inbox';

/**
 * Runs correlation in the background: woken in-process right after an ingest commits, and polled every
 * `pollMs` so nothing is missed (e.g. alerts accepted just before a restart). One pass at a time.
 */
export class Correlator {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = false;

  constructor(
    private readonly deps: CorrelateDeps & { logger: Logger },
    private readonly opts: { pollMs: number; batchSize: number } = { pollMs: 1000, batchSize: 200 },
  ) {}

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
      while (!this.#stopped && (await correlateBatch(this.deps, this.opts.batchSize)) > 0) {
        /* keep going while there is work */
      }
      if (!this.#stopped) await tickIncidents(this.deps);
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
