/**
 * Who writes to the SQLite file next, when the correlation thread has a connection of its own beside the
 * event loop's. SQLite already serialises writers (one RESERVED lock per file), but a connection that finds
 * the lock taken sleeps in its busy handler — 1, 2, 5, 10 ms steps — and on the event loop that sleep stops
 * every request. The turn decides earlier and more precisely, in shared memory:
 *
 * - the event loop never blocks: its ingest flush only *tries* (`tryTake`) and, while the thread writes,
 *   is put off until the turn is given (`whenGiven`), requests keep being read meanwhile and join that
 *   flush; its units of work wait with `takeSoon`, at most one of the thread's transactions (a batch of
 *   25 alerts, about a millisecond or two) as the loop goes on;
 * - the thread `take`s, polling for the turn rather than being woken (see `#wait`), and always lets a
 *   waiting event loop go first: accepting alerts comes first.
 *
 * The turn is advice, never the lock: every wait is bounded, after which the writer goes ahead and SQLite's
 * own lock (and busy timeout) decides. A thread that dies while it holds the turn is cleared by `reset`.
 */
export class WriteTurn {
  /**
   * [0] holder (FREE, EVENT_LOOP, THREAD); [1] 1 while the event loop waits or wants the next turn;
   * [2] how many of the event loop's waits are under way (the thread polls and is never counted; a
   * `give` without waiters skips the notification, the hot path).
   */
  readonly #state: Int32Array;

  private constructor(readonly buffer: SharedArrayBuffer) {
    this.#state = new Int32Array(buffer);
  }

  /** A new turn, to share with the thread through `buffer`. */
  static create(): WriteTurn {
    return new WriteTurn(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  }

  /** The same turn seen from the other thread. */
  static attach(buffer: SharedArrayBuffer): WriteTurn {
    return new WriteTurn(buffer);
  }

  /** The event loop's non-blocking try; when it fails, the thread yields at the end of its transaction. */
  tryTake(): boolean {
    if (Atomics.compareExchange(this.#state, HOLDER, FREE, EVENT_LOOP) === FREE) {
      this.#clearWanted();
      return true;
    }
    Atomics.store(this.#state, WANTED, 1);
    return false;
  }

  /**
   * Waits for the turn (at most `maxWaitMs`, then goes ahead anyway: see the class comment). The event
   * loop marks itself waiting, so the thread does not start another transaction before it.
   */
  take(who: 'event-loop' | 'thread', maxWaitMs = 1000): void {
    const me = who === 'event-loop' ? EVENT_LOOP : THREAD;
    const deadline = performance.now() + maxWaitMs;
    for (;;) {
      if (me === THREAD && Atomics.load(this.#state, WANTED) === 1) {
        // The event loop asked first. Its take clears the flag, and so does a flush that gave up
        // (`tryTake` is tried again on the loop's next turn, and sets it again if it still finds us).
        if (this.#wait(me, WANTED, 1, slice(deadline)) === 'timed-out' && past(deadline)) return;
        continue;
      }
      const seen = Atomics.compareExchange(this.#state, HOLDER, FREE, me);
      if (seen === FREE) {
        if (me === EVENT_LOOP) this.#clearWanted();
        return;
      }
      if (me === EVENT_LOOP) Atomics.store(this.#state, WANTED, 1);
      if (this.#wait(me, HOLDER, seen, slice(deadline)) === 'timed-out' && past(deadline)) return;
    }
  }

  /**
   * The event loop's wait for the turn (its units of work): like `take`, but the loop goes on serving
   * requests meanwhile instead of blocking for the thread's transaction.
   */
  async takeSoon(maxWaitMs = 1000): Promise<void> {
    const deadline = performance.now() + maxWaitMs;
    while (!this.tryTake() && !past(deadline)) await this.#changed(slice(deadline));
  }

  /** Resolves once the turn changed hands (or after `SLICE_MS`): when a put-off flush tries again. */
  whenGiven(): Promise<unknown> {
    return this.#changed(SLICE_MS);
  }

  async #changed(ms: number): Promise<unknown> {
    const holder = Atomics.load(this.#state, HOLDER);
    if (holder === FREE) return;
    // Counted before the value is compared: a give that finds no waiter has changed the value already.
    Atomics.add(this.#state, WAITERS, 1);
    try {
      const waiting = Atomics.waitAsync(this.#state, HOLDER, holder, ms);
      if (waiting.async) await waiting.value;
    } finally {
      Atomics.sub(this.#state, WAITERS, 1);
    }
  }

  /**
   * The thread polls: it sleeps at most `THREAD_POLL_MS` at a time and is not counted as a waiter, so
   * the event loop's `give` (after every ingest flush) never pays for a notification. Waking a thread
   * through the kernel cost the event loop 6 % of its time at full speed; the thread finds the turn free
   * at most a millisecond later instead.
   */
  #wait(me: number, index: number, value: number, ms: number): 'ok' | 'not-equal' | 'timed-out' {
    if (me === THREAD) return Atomics.wait(this.#state, index, value, Math.min(ms, THREAD_POLL_MS));
    Atomics.add(this.#state, WAITERS, 1);
    try {
      return Atomics.wait(this.#state, index, value, ms);
    } finally {
      Atomics.sub(this.#state, WAITERS, 1);
    }
  }

  #notify(index: number): void {
    if (Atomics.load(this.#state, WAITERS) > 0) Atomics.notify(this.#state, index);
  }

  /** Ends a turn taken with `take` or `tryTake` (a turn that timed out and went ahead holds nothing). */
  give(who: 'event-loop' | 'thread'): void {
    const me = who === 'event-loop' ? EVENT_LOOP : THREAD;
    if (Atomics.compareExchange(this.#state, HOLDER, me, FREE) === me) this.#notify(HOLDER);
  }

  /** Clears a turn its holder can no longer give (the thread exited). */
  reset(): void {
    Atomics.store(this.#state, HOLDER, FREE);
    this.#clearWanted();
    Atomics.notify(this.#state, HOLDER);
    Atomics.notify(this.#state, WANTED);
  }

  #clearWanted(): void {
    if (Atomics.exchange(this.#state, WANTED, 0) === 1) this.#notify(WANTED);
  }
}

const HOLDER = 0;
const WANTED = 1;
const WAITERS = 2;
const FREE = 0;
const EVENT_LOOP = 1;
const THREAD = 2;
/** Longest single wait; a lost notification costs at most this. */
const SLICE_MS = 20;
/** The thread's longest sleep while it waits for the turn (it is never notified). */
const THREAD_POLL_MS = 1;

const slice = (deadline: number) => Math.max(0, Math.min(SLICE_MS, deadline - performance.now()));
const past = (deadline: number) => performance.now() >= deadline;
