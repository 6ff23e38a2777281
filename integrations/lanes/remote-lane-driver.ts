import { AsyncLocalStorage } from 'node:async_hooks';
import Bottleneck from 'bottleneck';
import type { Clock } from '../../src/ports/clock';
import type { LaneDriver, LaneFailure } from '../../src/ports/lane-driver';
import { TimedRequestGate } from '../http/request-gate';
import { classifyFailure } from './classify-failure';

/**
 * What a driver hands to its system's client: every request of the client goes through it, so the
 * system's limit and its Retry-After gate hold for the outbox lane and for any other caller alike.
 */
export interface GatedTransport {
  readonly clock: Clock;
  /** The system's Retry-After gate: awaited right before each request goes on the wire. */
  readonly gate: TimedRequestGate;
  /** Runs one request in a slot of the system's limiter (unless the calling command holds one), gate open. */
  request<T>(send: () => Promise<T>): Promise<T>;
}

export interface RemoteLaneDriverOptions {
  clock: Clock;
  /** Commands (or lone requests) of this system at once. */
  concurrency: number;
}

/**
 * The mechanics every lane driver shares: ONE limiter per remote system and its Retry-After gate. A
 * command holds one slot for all of its requests (they are sequential); a request made outside any
 * command (an adapter used on its own, e.g. by a report) takes a slot of its own. So the remote never
 * sees more than `concurrency` requests from us at once, and the limit is enforced in one place.
 */
export class RemoteLaneDriver implements LaneDriver, GatedTransport {
  readonly clock: Clock;
  readonly gate: TimedRequestGate;
  readonly concurrency: number;
  readonly #limiter: Bottleneck;
  /** Set while a command of this driver runs: its requests use the command's slot. */
  readonly #inCommand = new AsyncLocalStorage<true>();

  constructor(o: RemoteLaneDriverOptions) {
    this.clock = o.clock;
    this.concurrency = o.concurrency;
    this.gate = new TimedRequestGate(o.clock);
    this.#limiter = new Bottleneck({ maxConcurrent: o.concurrency });
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    return this.#limiter.schedule(() => this.#inCommand.run(true, work));
  }

  request<T>(send: () => Promise<T>): Promise<T> {
    const gated = async () => {
      await this.gate.wait();
      return send();
    };
    return this.#inCommand.getStore() ? gated() : this.#limiter.schedule(gated);
  }

  isPaused(): boolean {
    return this.gate.isClosed();
  }

  classify(err: unknown): LaneFailure {
    return classifyFailure(err);
  }
}
