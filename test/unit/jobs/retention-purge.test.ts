import { lastDailyRun, retentionPurgeJob } from '../../../handlers/jobs/retention-purge';
import type { Logger } from '../../../src/ports/logger';

const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('lastDailyRun', () => {
  it.each([
    ['after the run time: today', '2026-12-01T03:00:00.000Z', '03:30', '2026-12-01T02:30:00.000Z'],
    ['before it: yesterday', '2026-12-01T02:00:00.000Z', '03:30', '2026-11-30T02:30:00.000Z'],
    ['exactly at it: today', '2026-12-01T02:30:00.000Z', '03:30', '2026-12-01T02:30:00.000Z'],
    // Berlin moves to summer time on 29 March 2026: 03:30 local is 01:30 UTC from then on.
    ['the day of the DST change', '2026-03-29T02:00:00.000Z', '03:30', '2026-03-29T01:30:00.000Z'],
    ['the day after it, early', '2026-03-30T01:00:00.000Z', '03:30', '2026-03-29T01:30:00.000Z'],
  ])('%s', (_what, now, at, expected) => {
    expect(lastDailyRun(new Date(now), 'Europe/Berlin', at).toISOString()).toBe(expected);
  });
});

describe('the daily retention purge job', () => {
  /** A clock, a stored last run and a purge that records itself as that last run (as the audit entry does). */
  function world(now: string, lastRun: string | null) {
    const w = {
      now: Date.parse(now),
      lastRun,
      runs: [] as string[],
      fail: false,
    };
    const job = () =>
      retentionPurgeJob({
        now: () => new Date(w.now),
        logger: quiet,
        timeZone: 'Europe/Berlin',
        at: '03:30',
        lastRun: async () => w.lastRun,
        purge: async () => {
          if (w.fail) throw new Error('disk full');
          const at = new Date(w.now).toISOString();
          w.runs.push(at);
          w.lastRun = at;
          return { counts: {} };
        },
      });
    return { w, job };
  }

  it('runs once per day after the run time, and a restart neither repeats nor skips it', async () => {
    const { w, job } = world('2026-12-01T01:00:00.000Z', '2026-11-30T02:30:05.000Z');
    await job().tick(); // 02:00 local: today's run time not reached, yesterday's done
    expect(w.runs).toEqual([]);
    w.now = Date.parse('2026-12-01T02:31:00.000Z');
    await job().tick();
    await job().tick(); // a restart right after the run
    expect(w.runs).toEqual(['2026-12-01T02:31:00.000Z']);
    // Down over the next run time: the first check after the restart catches up, once.
    w.now = Date.parse('2026-12-02T09:00:00.000Z');
    await job().tick();
    await job().tick();
    expect(w.runs).toEqual(['2026-12-01T02:31:00.000Z', '2026-12-02T09:00:00.000Z']);
  });

  it('runs at once when it never ran, and tries again after a failure', async () => {
    const { w, job } = world('2026-12-01T12:00:00.000Z', null);
    w.fail = true;
    await job().tick();
    expect(w.runs).toEqual([]);
    w.fail = false;
    w.now += 10 * 60_000;
    await job().tick();
    expect(w.runs).toEqual(['2026-12-01T12:10:00.000Z']);
  });
});
