import { TZDate } from '@date-fns/tz';
import type { Logger } from '../../src/ports/logger';
import type { RequestLog } from '../../src/ports/request-log';

/** When the previous month's report is due: on the 1st at `at` (HH:MM) in `timeZone`, or later that month. */
export function dueReportMonth(now: Date, timeZone: string, at: string): string | null {
  const local = new TZDate(now.getTime(), timeZone);
  const [h = 0, m = 0] = at.split(':').map(Number);
  if (local.getHours() * 60 + local.getMinutes() < h * 60 + m && local.getDate() === 1) return null;
  const prev = new TZDate(local.getFullYear(), local.getMonth() - 1, 1, timeZone);
  return `${prev.getFullYear()}-${String(prev.getMonth() + 1).padStart(2, '0')}`;
}

export interface MonthlyReportDeps {
  now(): Date;
  logger: Logger;
  timeZone: string;
  /** HH:MM on the 1st. */
  at: string;
  /** Where the report goes (`slack:#service-management`): one post per month and destination. */
  destination: string;
  /** Remembers which months were posted, across restarts and instances. */
  requests: RequestLog;
  /** Builds the month's report and posts headline + files to the destination. */
  post(month: string): Promise<void>;
  intervalMs?: number;
  /** With several instances: only the leader posts (default: this instance always may). */
  leader?: () => Promise<boolean>;
}

/**
 * The optional monthly schedule: posts last month's SLA report to the service manager's channel on the
 * 1st. Checked every 10 minutes; recorded only after a successful post, so a Slack outage means a later
 * try, and a restart never posts twice.
 */
export class MonthlyReportJob {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;

  constructor(private readonly deps: MonthlyReportDeps) {}

  start(): void {
    this.#timer = setInterval(() => void this.tick(), this.deps.intervalMs ?? 10 * 60_000);
    this.#timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }

  /** One check; resolves when a due report was posted (or found already posted). */
  tick(): Promise<void> {
    this.#running ??= this.#tick().finally(() => (this.#running = null));
    return this.#running;
  }

  async #tick(): Promise<void> {
    if (this.deps.leader && !(await this.deps.leader())) return;
    const month = dueReportMonth(this.deps.now(), this.deps.timeZone, this.deps.at);
    if (!month) return;
    const key = `report:${this.deps.destination}:${month}`;
    if (await this.deps.requests.hasSeen(key)) return;
    try {
      await this.deps.post(month);
      // Kept for good (no forgetting): a month is posted once.
      await this.deps.requests.firstSeen(key, this.deps.now().toISOString(), '0000');
      this.deps.logger.info('monthly SLA report posted', { month });
    } catch (err) {
      this.deps.logger.warn('monthly SLA report not posted; will retry', {
        month,
        error: (err as Error).message,
      });
    }
  }
}
