import { AsyncLocalStorage } from 'node:async_hooks';
import Bottleneck from 'bottleneck';
import type { Clock } from '../../src/ports/clock';
import type { LaneDriver, LaneFailure } from '../../src/ports/lane-driver';
import type { Metrics } from '../../src/ports/metrics';
import type { SharedLimits } from '../../src/ports/shared-limits';
import { IntegrationError } from '../../src/errors';
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
  /** The system's name in metrics (`servicenow`, `jira`, `slack`, `teams`). */
  system: string;
  /** Where each request's status and duration, and each Retry-After wait, are counted. */
  metrics?: Pick<Metrics, 'remoteCall' | 'retryAfterWait'>;
  /** The HTTP status a failed request carries, for a client that throws its own errors (jira.js). */
  statusOf?: (err: unknown) => number | null;
  /**
   * Where `concurrency` and the Retry-After pauses are held for all instances together (PostgreSQL);
   * without it they hold for this process only.
   */
  limits?: SharedLimits;
  /** Requests per second (bursts of up to `burst`) to the system, for all instances together. */
  rate?: { perSecond: number; burst: number };
}

/** A shared slot's lease: renewed every third of it while the command runs; a dead holder's runs out. */
export const SLOT_LEASE_MS = 30_000;

/** An IntegrationError's status; the default for clients that throw ours. */
const integrationStatus = (err: unknown): number | null =>
  err instanceof IntegrationError ? err.status : null;

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
  readonly #o: RemoteLaneDriverOptions;

  constructor(o: RemoteLaneDriverOptions) {
    this.#o = o;
    this.clock = o.clock;
    this.concurrency = o.concurrency;
    this.gate = new TimedRequestGate(
      o.clock,
      (seconds) => o.metrics?.retryAfterWait({ system: o.system, seconds }),
      o.limits ? { limits: o.limits, scope: o.system, ...(o.rate ? { rate: o.rate } : {}) } : undefined,
    );
    // In-process queueing: this instance's commands wait here (no polling) for one of its own slots;
    // only a command at the head of the queue asks the shared limits for a slot of all instances.
    this.#limiter = new Bottleneck({ maxConcurrent: o.concurrency });
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    return this.#limiter.schedule(() => this.#sharedSlot(() => this.#inCommand.run(true, work)));
  }

  request<T>(send: () => Promise<T>): Promise<T> {
    return this.inSlot(async () => {
      await this.gate.wait();
      return this.observed(send);
    });
  }

  /** Runs `work` in the calling command's slot, or in a slot of its own outside any command. */
  protected inSlot<T>(work: () => Promise<T>): Promise<T> {
    return this.#inCommand.getStore() ? work() : this.#limiter.schedule(() => this.#sharedSlot(work));
  }

  /** Runs `work` holding one of the system's `concurrency` slots across all instances. */
  async #sharedSlot<T>(work: () => Promise<T>): Promise<T> {
    const limits = this.#o.limits;
    if (!limits) return work();
    const scope = this.#o.system;
    let holder = await limits.tryAcquire(scope, this.concurrency, SLOT_LEASE_MS);
    for (let wait = 20; holder === null; wait = Math.min(wait * 2, 250)) {
      // Jitter, so that instances waiting for the same slot do not ask in lockstep.
      await new Promise((r) => setTimeout(r, wait * (0.5 + Math.random())));
      holder = await limits.tryAcquire(scope, this.concurrency, SLOT_LEASE_MS);
    }
    const slot = holder;
    const heartbeat = setInterval(() => {
      limits.renew(scope, slot, SLOT_LEASE_MS).catch(() => undefined);
    }, SLOT_LEASE_MS / 3);
    heartbeat.unref();
    try {
      return await work();
    } finally {
      clearInterval(heartbeat);
      await limits.release(scope, slot).catch(() => undefined);
    }
  }

  /** The shared limits, for a subclass's own scopes (a chat channel's rate). */
  protected get sharedLimits(): SharedLimits | undefined {
    return this.#o.limits;
  }

  /** The system's name (`slack`), the prefix of its shared scopes. */
  protected get system(): string {
    return this.#o.system;
  }

  isPaused(): boolean {
    return this.gate.isClosed();
  }

  classify(err: unknown): LaneFailure {
    return classifyFailure(err);
  }

  /**
   * Every request of the system passes here once it is on the wire (after the gate), so its duration
   * excludes the waits for a slot and for Retry-After. An answered request counts with its HTTP status
   * (a fetch Response, or the status its error carries); a request without one as `ok` or `no_answer`.
   */
  protected async observed<T>(send: () => Promise<T>): Promise<T> {
    const metrics = this.#o.metrics;
    if (!metrics) return send();
    const started = performance.now();
    const done = (status: string) =>
      metrics.remoteCall({ system: this.#o.system, status, seconds: (performance.now() - started) / 1000 });
    try {
      const result = await send();
      done(result instanceof Response ? String(result.status) : 'ok');
      return result;
    } catch (err) {
      const status = (this.#o.statusOf ?? integrationStatus)(err);
      done(status === null ? 'no_answer' : String(status));
      throw err;
    }
  }
}
