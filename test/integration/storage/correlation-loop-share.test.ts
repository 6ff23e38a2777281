import { join } from 'node:path';
import { CorrelationLoop } from '../../../src/app/correlation-loop';
import type { Transactional } from '../../../src/ports/store';
import { openSqliteStore } from '../../../integrations/storage/sqlite/open-sqlite-store';
import { ManualClock, loadTestConfig, silentLogger } from '../../helpers/test-app';
import { alert } from './contract/backends';

/** How long each unit of work waits for "the database" (a network round trip, on PostgreSQL). */
const WAIT_MS = 80;

/**
 * While requests are in flight, correlation takes at most 30 % of the thread. A unit of work that waits
 * for a database server leaves the thread free meanwhile: that wait must not count as correlation's
 * share (it did: the loop paused 2.3 × the batch's wall time, so correlation on PostgreSQL ran at a
 * third of its speed whenever webhooks arrived).
 */
describe('correlation loop while ingest is busy', () => {
  it('pauses for the time the batch kept the thread busy, not for the time it waited for the database', async () => {
    const { dir, config } = loadTestConfig('routing:\n  defaults: { groupBy: [branch] }\n', 'itsm-share-');
    const sqlite = await openSqliteStore(`sqlite:${join(dir, 'share.sqlite')}`);
    try {
      await sqlite.inbox.accept(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map(alert));
      const batches: { start: number; end: number }[] = [];
      // The real store, each unit of work first waiting for the database as a remote one would.
      const store: Transactional = {
        async unitOfWork(fn) {
          const start = performance.now();
          await new Promise((r) => setTimeout(r, WAIT_MS));
          const result = await sqlite.unitOfWork(fn);
          batches.push({ start, end: performance.now() });
          return result;
        },
      };
      const loop = new CorrelationLoop(
        {
          store,
          clock: new ManualClock(),
          logger: silentLogger,
          routing: config.routing,
          correlation: config.correlation,
          maintenance: config.maintenance,
          ticketing: { lanes: [], chatLanes: [], groupWait: 0, noteInterval: 0 },
        },
        { pollMs: 60_000, batchSize: 1, busy: () => true },
      );
      loop.start();
      await loop.idle();
      await loop.stop();
      expect((await sqlite.inbox.lag()).pending).toBe(0);
      // Eight batches of one alert each (then the empty one and housekeeping): the gap between two
      // batches is the pause. Waiting for the database kept the thread idle, so the pause is short —
      // not 2.3 × the batch's wall time (≥ 186 ms here). The first batches compile code (CPU time
      // that counts), hence the median.
      const gaps = batches
        .slice(1, 8)
        .map((b, i) => b.start - batches[i]!.end)
        .sort((x, y) => x - y);
      expect(gaps).toHaveLength(7);
      expect(gaps[3]).toBeLessThan(WAIT_MS);
    } finally {
      await sqlite.close();
    }
  });
});
