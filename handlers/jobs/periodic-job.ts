/**
 * A job checked on a timer, one check at a time. Whether work is due is the job's own question (asked
 * of the injected clock and stored state), so the timer only sets how often it is asked.
 */
export class PeriodicJob {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;

  constructor(
    private readonly check: () => Promise<void>,
    private readonly everyMs: number,
  ) {}

  start(): void {
    this.#timer = setInterval(() => void this.tick(), this.everyMs);
    this.#timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /** One check; a check already running is joined, not doubled. */
  tick(): Promise<void> {
    this.#running ??= this.check().finally(() => (this.#running = null));
    return this.#running;
  }
}
