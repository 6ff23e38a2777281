import { TZDate } from '@date-fns/tz';
import type { Logger } from '../../src/ports/logger';
import { PeriodicJob } from './periodic-job';

/** The latest daily run time at or before `now`: today at `at` (HH:MM in `timeZone`), else yesterday's. */
export function lastDailyRun(now: Date, timeZone: string, at: string): Date {
  const local = new TZDate(now.getTime(), timeZone);
  const [h = 0, m = 0] = at.split(':').map(Number);
  const today = new TZDate(local.getFullYear(), local.getMonth(), local.getDate(), h, m, timeZone);
  if (today.getTime() <= now.getTime()) return new Date(today.getTime());
  return new Date(
    new TZDate(local.getFullYear(), local.getMonth(), local.getDate() - 1, h, m, timeZone).getTime(),
  );
}

export interface RetentionPurgeDeps {
  now(): Date;
  logger: Logger;
  timeZone: string;
  /** HH:MM, local time. */
  at: string;
  /** When the last scheduled purge ran (its audit entry), or null: the stored last run. */
  lastRun(): Promise<string | null>;
  /** Purges at the configured retention; resolves with what it changed. */
  purge(): Promise<{ counts: object }>;
  checkEveryMs?: number;
  /** With several instances: only the leader purges (default: this instance always may). */
  leader?: () => Promise<boolean>;
}

/**
 * The daily retention purge. Due once the day's run time has passed and the stored last run is older
 * than it: a restart after the run time purges at once (nothing skipped), a restart after the run
 * does not purge again (nothing repeated). A failure is logged and retried at the next check.
 */
export function retentionPurgeJob(deps: RetentionPurgeDeps): PeriodicJob {
  return new PeriodicJob(
    async () => {
      if (deps.leader && !(await deps.leader())) return;
      const due = lastDailyRun(deps.now(), deps.timeZone, deps.at).toISOString();
      const last = await deps.lastRun();
      if (last !== null && last >= due) return;
      try {
        const { counts } = await deps.purge();
        deps.logger.info('retention purge done', { counts });
      } catch (err) {
        deps.logger.error('retention purge failed; will retry', { error: (err as Error).message });
      }
    },
    deps.checkEveryMs ?? 10 * 60_000,
  );
}
