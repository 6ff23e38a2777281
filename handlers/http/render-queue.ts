/** Thrown when the queue is full; the caller answers 503 with Retry-After. */
export class QueueFullError extends Error {}

/**
 * A small queue for expensive renders (PDF reports): at most `concurrency` run at once and at most
 * `maxWaiting` wait; beyond that `run` refuses at once instead of letting work pile up.
 */
export class RenderQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency = 2,
    private readonly maxWaiting = 4,
  ) {}

  /** Runs `job` when a slot is free; rejects with QueueFullError when too many wait already. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) throw new QueueFullError('render queue full');
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await job();
    } finally {
      // Hand the slot straight to the next waiter, so `running` never drops below the real count.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
