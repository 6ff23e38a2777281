import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WriteTurn } from '../../integrations/storage/sqlite/write-turn';
import type { CorrelateDeps } from '../app/correlate-batch';
import { TimerPass, type CorrelationLoop, type CorrelationRunner } from '../app/correlation-loop';
import type { TimelineEvent } from '../core/incident/timeline-event';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';

/** What the thread correlates with: the correlation deps that are plain data (cloned into the thread). */
export type CorrelationThreadSettings = Omit<CorrelateDeps, 'store' | 'clock' | 'logger' | 'newKey'>;

/** The thread's `workerData`. */
export interface CorrelationThreadData {
  databaseUrl: string;
  sqlite: { synchronous?: 'NORMAL' | 'FULL'; busyTimeoutMs?: number };
  turn: SharedArrayBuffer;
  /** Two Int32 slots: `INGEST_COMMITS` and `INGEST_WAITING`. */
  ingest: SharedArrayBuffer;
  settings: CorrelationThreadSettings;
  pollMs: number;
  batchSize: number;
  /** The loop's share of its core while deliveries commit (`threadShare`). */
  maxShare: number;
}

/**
 * How much of its core the thread may use while deliveries are being committed. With two cores or
 * fewer the thread and the event loop compete for the CPU (and with the sender, on a test machine), and
 * accepting alerts comes first: 30 %, as on the event loop. With more cores it takes a whole one.
 */
export const threadShare = (cores: number): number => (cores > 2 ? 1 : 0.3);

/** The event loop's count of ingest commits: the thread wakes on it, and yields while it moves. */
export const INGEST_COMMITS = 0;
/** 1 while the thread waits for the next commit (only then does a commit notify). */
export const INGEST_WAITING = 1;

export type ToThread = { type: 'idle'; id: number } | { type: 'stop' };
export type ToEventLoop =
  | { type: 'batch' }
  | { type: 'committed'; events: readonly TimelineEvent[] }
  | { type: 'idle'; id: number }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; msg: string; fields: Record<string, unknown> };

export interface CorrelationThreadOptions {
  data: Omit<CorrelationThreadData, 'turn' | 'ingest'>;
  turn: WriteTurn;
  logger: Logger;
  clock: Clock;
  /** Hands the thread's committed timeline events to the event loop store's listeners (metrics). */
  announce(events: readonly TimelineEvent[]): void;
  /** After each committed batch (the outbox starts on new commands). */
  afterBatch(): void;
  /** The leader's stored timers (hand-off deadlines, escalations, shift handovers): on the event loop. */
  timers?: () => Promise<number>;
  /** The loop on the event loop that takes over if the thread fails. */
  fallback(): CorrelationLoop;
}

/**
 * The thread's code: dist/ when this runs from the TypeScript sources (jest compiles the tests' modules
 * itself, a worker thread cannot; the test setup builds dist/ first), beside this file when built.
 */
export const correlationWorkerEntry = (): string =>
  __filename.endsWith('.ts')
    ? join(__dirname, '..', '..', 'dist', 'src', 'composition', 'correlation-worker.js')
    : join(__dirname, 'correlation-worker.js');

/**
 * Correlation in a worker thread with its own SQLite connection, so the event loop only accepts
 * alerts (parse, check, commit, 202) and correlation gets a core of its own instead of at most 30 % of
 * the event loop's. Same contract as `CorrelationLoop`: `wake` after an ingest commit, `idle` waits until
 * the inbox is worked off, `stop` finishes the batch in hand. Both connections write the same file; the
 * `WriteTurn` decides who writes next (ingest first), SQLite's lock stays the referee.
 *
 * The thread runs correlation and the incidents' own timers (grace, flapping); the leader's stored timers
 * need the chat and escalation wiring and stay on the event loop, at most once per second. If the thread
 * fails, the event loop correlates itself (`fallback`): the alerts are in the inbox, nothing is lost.
 */
export class CorrelationThread implements CorrelationRunner {
  #worker: Worker | null = null;
  #exited: Promise<void> = Promise.resolve();
  #fallback: CorrelationLoop | null = null;
  #stopping = false;
  #nextId = 0;
  readonly #idles = new Map<number, () => void>();
  #timer: NodeJS.Timeout | null = null;
  readonly #timers: TimerPass;
  readonly #ingest = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));

  constructor(private readonly o: CorrelationThreadOptions) {
    this.#timers = new TimerPass(o);
  }

  /** Where correlation runs now: in the thread, or on the event loop after the thread failed. */
  runsOn(): 'thread' | 'event-loop' {
    return this.#fallback ? 'event-loop' : 'thread';
  }

  start(): void {
    this.#stopping = false;
    const worker = new Worker(correlationWorkerEntry(), {
      workerData: {
        ...this.o.data,
        turn: this.o.turn.buffer,
        ingest: this.#ingest.buffer as SharedArrayBuffer,
      } satisfies CorrelationThreadData,
    });
    worker.unref();
    this.#worker = worker;
    worker.on('message', (m: ToEventLoop) => this.#receive(m));
    worker.on('error', (err) => this.o.logger.error('correlation thread failed', { error: err.message }));
    this.#exited = new Promise((resolve) =>
      worker.once('exit', (code) => {
        this.#worker = null;
        this.o.turn.reset();
        if (!this.#stopping) this.#takeOver(code);
        this.#settleIdles();
        resolve();
      }),
    );
    this.#timer = setInterval(() => void this.#runTimers(), this.o.data.pollMs);
    this.#timer.unref();
  }

  /**
   * Asks for a pass (called after each ingest commit): counts the commit in shared memory, where the
   * thread waits for it between passes; no message per commit.
   */
  wake(): void {
    if (this.#fallback) return this.#fallback.wake();
    Atomics.add(this.#ingest, INGEST_COMMITS, 1);
    if (Atomics.load(this.#ingest, INGEST_WAITING) === 1) Atomics.notify(this.#ingest, INGEST_COMMITS);
  }

  /** Waits for a pass of the thread that began after this call: it covers every commit before it. */
  async idle(): Promise<void> {
    if (this.#fallback) return this.#fallback.idle();
    if (!this.#worker) return;
    const id = this.#nextId++;
    const done = new Promise<void>((resolve) => this.#idles.set(id, resolve));
    this.#post({ type: 'idle', id });
    await done;
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    while (this.#timers.running) await new Promise((r) => setTimeout(r, 5));
    if (this.#worker) {
      // Unreferenced, the thread would not keep the process alive while close waits for it.
      this.#worker.ref();
      this.#post({ type: 'stop' });
    }
    await this.#exited;
    await this.#fallback?.stop();
  }

  #post(m: ToThread): void {
    this.#worker?.postMessage(m);
  }

  #receive(m: ToEventLoop): void {
    if (m.type === 'batch') {
      this.o.afterBatch();
      void this.#runTimers();
    } else if (m.type === 'committed') this.o.announce(m.events);
    else if (m.type === 'idle') {
      this.#idles.get(m.id)?.();
      this.#idles.delete(m.id);
    } else if (m.type === 'log') this.o.logger[m.level](m.msg, m.fields);
  }

  #settleIdles(): void {
    for (const resolve of this.#idles.values()) resolve();
    this.#idles.clear();
  }

  #takeOver(code: number): void {
    this.o.logger.error('correlation thread exited; correlating on the event loop', { exitCode: code });
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#fallback = this.o.fallback();
    this.#fallback.start();
  }

  async #runTimers(): Promise<void> {
    if (this.#stopping) return;
    await this.#timers.run().catch((err: Error) => {
      this.o.logger.error('correlation timers failed', { error: err.message });
    });
  }
}
