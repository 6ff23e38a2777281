/**
 * The correlation thread's entry (built to dist/src/composition/correlation-worker.js, started by
 * `CorrelationThread`): its own connection to the SQLite file, the same `CorrelationLoop` the event
 * loop would run, and messages to and from the event loop. See correlation-thread.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CorrelationLoop } from '../app/correlation-loop';
import { requestFields } from '../app/request-context';
import { systemClock } from '../../integrations/clock/system-clock';
import { openSqliteStore } from '../../integrations/storage/sqlite/open-sqlite-store';
import { WriteTurn } from '../../integrations/storage/sqlite/write-turn';
import type { Logger } from '../ports/logger';
import {
  INGEST_COMMITS as COMMITS,
  INGEST_WAITING as WAITING,
  type ToEventLoop,
  type ToThread,
  type CorrelationThreadData,
} from './correlation-thread';

const port = parentPort!;
const data = workerData as CorrelationThreadData;
const post = (m: ToEventLoop) => port.postMessage(m);

/** Log lines go to the event loop's logger, with the request id of the alert being correlated. */
const log = (level: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) =>
  post({ type: 'log', level, msg, fields: { ...requestFields(), ...fields } });
const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };

const ingest = new Int32Array(data.ingest);
let ingestSeen = Atomics.load(ingest, COMMITS);
/** Whether the event loop committed deliveries since the last call (after each batch). */
const ingestMoved = (): boolean => {
  const now = Atomics.load(ingest, COMMITS);
  const moved = now !== ingestSeen;
  ingestSeen = now;
  return moved;
};

async function main(): Promise<void> {
  const store = await openSqliteStore(data.databaseUrl, {
    ...data.sqlite,
    turn: { turn: WriteTurn.attach(data.turn), who: 'thread' },
  });
  store.onCommit((events) => post({ type: 'committed', events }));
  const loop = new CorrelationLoop(
    { ...data.settings, store, clock: systemClock, logger },
    {
      pollMs: data.pollMs,
      batchSize: data.batchSize,
      afterBatch: () => post({ type: 'batch' }),
      // Accepting alerts comes first, also across threads: on a machine with few cores the thread would
      // take CPU from the event loop. While deliveries commit, it keeps to `maxShare` (threadShare).
      busy: ingestMoved,
      maxShare: data.maxShare,
    },
  );
  let stopped = false;
  port.on('message', (m: ToThread) => {
    if (m.type === 'idle') {
      loop.wake();
      void loop.idle().then(() => post({ type: 'idle', id: m.id }));
    } else if (m.type === 'stop') {
      stopped = true;
      Atomics.notify(ingest, COMMITS);
      void loop
        .stop()
        .then(() => store.close())
        .then(() => port.close());
    }
  });
  loop.start();
  // Between passes, wait for the next ingest commit (or the poll). A commit after `seen` was read makes
  // the wait return at once; one before it is covered by the pass woken after the read.
  while (!stopped) {
    const seen = Atomics.load(ingest, COMMITS);
    loop.wake();
    await loop.idle();
    Atomics.store(ingest, WAITING, 1);
    const waiting = Atomics.waitAsync(ingest, COMMITS, seen, data.pollMs);
    if (waiting.async) await waiting.value;
    Atomics.store(ingest, WAITING, 0);
  }
}

main().catch((err: Error) => {
  // The event loop takes over correlation (see CorrelationThread); the alerts stay pending meanwhile.
  post({
    type: 'log',
    level: 'error',
    msg: 'correlation thread could not start',
    fields: { error: err.message },
  });
  port.close();
});
