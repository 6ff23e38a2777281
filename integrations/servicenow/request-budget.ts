import type { Clock } from '../../src/ports/clock';

/**
 * Requests per rolling hour, as ServiceNow's inbound rate-limit rules count them
 * (`sys_rate_limit_rules`, per hour and user). The poller takes one before each request; once none is
 * left it stops until the oldest request of the hour has aged out, instead of running into 429s that
 * would also hold back the outbox's writes to the same instance.
 */
export class HourlyRequestBudget {
  /** Clock times (ms) of the requests of the last hour, oldest first. */
  readonly #sent: number[] = [];

  constructor(
    readonly perHour: number,
    private readonly clock: Clock,
  ) {}

  /** Takes one request; false (nothing taken) when the hour's budget is spent. */
  take(): boolean {
    this.#expire();
    if (this.#sent.length >= this.perHour) return false;
    this.#sent.push(this.clock.now().getTime());
    return true;
  }

  /** Requests left in the rolling hour. */
  remaining(): number {
    this.#expire();
    return this.perHour - this.#sent.length;
  }

  /** When the next request may be taken (now when one is left). */
  nextFreeAt(): Date {
    this.#expire();
    if (this.#sent.length < this.perHour) return this.clock.now();
    return new Date(this.#sent[this.#sent.length - this.perHour]! + HOUR);
  }

  #expire(): void {
    const cutoff = this.clock.now().getTime() - HOUR;
    let drop = 0;
    while (drop < this.#sent.length && this.#sent[drop]! <= cutoff) drop++;
    if (drop > 0) this.#sent.splice(0, drop);
  }
}

const HOUR = 3_600_000;
