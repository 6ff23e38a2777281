import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { WriteTurn } from '../../../integrations/storage/sqlite/write-turn';

/** The built module (dist/, made by the test setup): a worker thread cannot load TypeScript. */
const BUILT = join(__dirname, '..', '..', '..', 'dist', 'integrations', 'storage', 'sqlite', 'write-turn.js');

/**
 * A thread that takes the turn on 'take' (reporting the time it got it, relative to `performance.timeOrigin`
 * of the main thread, passed in), and gives it back on 'give'.
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { WriteTurn } = require(workerData.built);
const turn = WriteTurn.attach(workerData.buffer);
const now = () => performance.timeOrigin + performance.now() - workerData.origin;
parentPort.on('message', (m) => {
  if (m === 'take') { turn.take('thread', 5000); parentPort.postMessage({ took: now() }); }
  else if (m === 'give') { turn.give('thread'); parentPort.postMessage({ gave: now() }); }
  else if (m === 'stop') parentPort.close();
});
`;

function startThread(turn: WriteTurn) {
  const worker = new Worker(THREAD, {
    eval: true,
    workerData: { built: BUILT, buffer: turn.buffer, origin: performance.timeOrigin },
  });
  const next = () =>
    new Promise<{ took?: number; gave?: number }>((resolve) => worker.once('message', resolve));
  return {
    async send(m: 'take' | 'give') {
      const reply = next();
      worker.postMessage(m);
      return reply;
    },
    /** Starts a take without waiting for it. */
    takeLater() {
      const reply = next();
      worker.postMessage('take');
      return reply;
    },
    async stop() {
      const exited = new Promise((r) => worker.once('exit', r));
      worker.postMessage('stop');
      await exited;
    },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

/** A new turn shared with a new thread, for the length of `fn`. */
async function withThread(fn: (turn: WriteTurn, thread: ReturnType<typeof startThread>) => Promise<void>) {
  const turn = WriteTurn.create();
  const thread = startThread(turn);
  try {
    await fn(turn, thread);
  } finally {
    await thread.stop();
  }
}

describe('WriteTurn (the event loop and the correlation thread writing one SQLite file)', () => {
  it('the event loop only tries, and gets the turn once the thread gave it', () =>
    withThread(async (turn, thread) => {
      await thread.send('take');
      expect(turn.tryTake()).toBe(false);
      await thread.send('give');
      expect(turn.tryTake()).toBe(true);
      turn.give('event-loop');
    }));

  it('a thread that wants the turn waits until the event loop gave it back', () =>
    withThread(async (turn, thread) => {
      expect(turn.tryTake()).toBe(true);
      const took = thread.takeLater();
      await new Promise((r) => setTimeout(r, 50));
      const gaveAt = performance.now();
      turn.give('event-loop');
      expect((await took).took).toBeGreaterThanOrEqual(gaveAt);
      await thread.send('give');
    }));

  it('after the event loop asked for the turn, the thread lets it go first', () =>
    withThread(async (turn, thread) => {
      await thread.send('take');
      expect(turn.tryTake()).toBe(false); // the flush is put off, and the event loop is now waiting
      await thread.send('give');
      // The thread asks again at once, but the event loop asked first: it gets the next turn.
      const again = thread.takeLater();
      await new Promise((r) => setTimeout(r, 30));
      expect(turn.tryTake()).toBe(true);
      await new Promise((r) => setTimeout(r, 30));
      const gaveAt = performance.now();
      turn.give('event-loop');
      expect((await again).took).toBeGreaterThanOrEqual(gaveAt);
      await thread.send('give');
    }));

  it("the event loop's units of work wait for the turn without blocking the loop", () =>
    withThread(async (turn, thread) => {
      await thread.send('take');
      let ticks = 0;
      const timer = setInterval(() => ticks++, 5);
      const taken = turn.takeSoon(5000);
      await new Promise((r) => setTimeout(r, 60));
      expect(ticks).toBeGreaterThan(3); // the loop ran while the unit of work waited
      await thread.send('give');
      await taken;
      clearInterval(timer);
      expect(turn.tryTake()).toBe(false); // held by the event loop now
      turn.give('event-loop');
      expect(turn.tryTake()).toBe(true);
      turn.give('event-loop');
    }));

  it('a wait is bounded: the writer goes ahead (SQLite decides) and its give frees nothing', () =>
    withThread(async (turn, thread) => {
      await thread.send('take');
      const started = performance.now();
      turn.take('event-loop', 60);
      expect(performance.now() - started).toBeGreaterThanOrEqual(55);
      turn.give('event-loop'); // did not hold it
      expect(turn.tryTake()).toBe(false);
      await thread.send('give');
      await tick();
      expect(turn.tryTake()).toBe(true);
      turn.give('event-loop');
    }));

  it('reset clears a turn whose holder is gone', async () => {
    const turn = WriteTurn.create();
    const thread = startThread(turn);
    await thread.send('take');
    await thread.stop();
    expect(turn.tryTake()).toBe(false);
    turn.reset();
    expect(turn.tryTake()).toBe(true);
  });
});
