import type { Logger } from '../../src/ports/logger';
import { PeriodicJob } from './periodic-job';

/**
 * Signs the audit chain head now and then (src/app/anchor-audit decides whether it is due). A failure
 * (a full disk under the anchor file) is logged and tried again at the next check.
 */
export function auditAnchorJob(o: { anchor: () => Promise<unknown>; logger: Logger; checkEveryMs?: number }) {
  return new PeriodicJob(async () => {
    try {
      await o.anchor();
    } catch (err) {
      o.logger.error('audit chain head not anchored; will retry', { error: (err as Error).message });
    }
  }, o.checkEveryMs ?? 60_000);
}
