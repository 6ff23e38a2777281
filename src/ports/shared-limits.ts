/**
 * The limits a remote system imposes, held for every instance of the bridge at once: concurrency slots
 * (ServiceNow's semaphores), request rates (a chat channel's messages per second) and Retry-After pauses.
 * Each instance still queues its own commands in-process; this port decides what all of them together
 * may send. Times are relative (milliseconds, seconds) so that instances with different clocks agree:
 * the PostgreSQL implementation measures them on the database's clock.
 *
 * Scopes are free-form names (`servicenow`, `slack:channel:C0…`); a scope's slots, rate and pause are
 * independent of every other scope's.
 */
export interface SharedLimits {
  /**
   * Takes one of `limit` concurrency slots of `scope` for `leaseMs`, or answers null when all are held.
   * A holder that dies stops renewing: its slot is free again once the lease has run out.
   */
  tryAcquire(scope: string, limit: number, leaseMs: number): Promise<string | null>;
  /** Extends a held slot's lease; false when it was lost (expired and taken, or released). */
  renew(scope: string, holder: string, leaseMs: number): Promise<boolean>;
  /** Frees a held slot (nothing when it is no longer held). */
  release(scope: string, holder: string): Promise<void>;
  /**
   * Takes one request of `scope`'s rate (`perSecond` on average, bursts of up to `burst`): 0 when
   * granted, else the milliseconds until one would be (nothing is taken then).
   */
  tryTake(scope: string, rate: { perSecond: number; burst: number }): Promise<number>;
  /** Stops every instance's requests to `scope` for `seconds` (extends, never shortens, a pause). */
  pause(scope: string, seconds: number): Promise<void>;
  /** Milliseconds until `scope` may be sent to again; 0 when it is not paused. */
  pauseLeft(scope: string): Promise<number>;
  close(): Promise<void>;
}
