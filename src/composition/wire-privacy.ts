import { resolve } from 'node:path';
import type { AppConfig } from '../config/app-config';
import type { Env } from '../config/env';
import { anchorAudit } from '../app/anchor-audit';
import { leaderOnly } from '../app/leader-gate';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { Store } from '../ports/store';
import { AnchorFile } from '../../integrations/anchors/anchor-file';
import { auditAnchorJob } from '../../handlers/jobs/audit-anchor';
import { retentionPurgeJob } from '../../handlers/jobs/retention-purge';
import { PURGE_ACTION, purgePersonalData, retentionCutoffs } from '../app/purge-personal-data';

/** The actor of the daily purge in the audit log (its newest entry is the job's last run). */
export const RETENTION_ACTOR = 'job:retention';

/** The anchor file configured, resolved against the working directory; null when none is set. */
export const anchorFile = (config: AppConfig): AnchorFile | null =>
  config.audit.anchor.file ? new AnchorFile(resolve(config.audit.anchor.file)) : null;

/**
 * The audit and retention jobs of a running server: anchoring the audit chain (only with
 * AUDIT_SIGNING_KEY) and the daily retention purge.
 */
export function startPrivacyJobs(o: {
  config: AppConfig;
  env: Env;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** True while this instance leads (retention and audit anchoring run on the leader only). */
  leader?: () => Promise<boolean>;
}): { stop(): Promise<void> } {
  const stops: (() => Promise<void>)[] = [];
  const key = o.env.AUDIT_SIGNING_KEY;
  if (key) {
    const deps = {
      audit: o.store.audit,
      anchors: anchorFile(o.config),
      key: key.reveal(),
      clock: o.clock,
      logger: o.logger,
      interval: o.config.audit.anchor.interval,
    };
    // The leader alone signs: two instances sharing one chain would otherwise each sign the same head,
    // two anchors for one range (in one shared anchor file, or one per instance that no longer agree).
    const leading = async () => !o.leader || (await o.leader());
    const job = auditAnchorJob({
      anchor: leaderOnly({ leading: o.leader, logger: o.logger, job: 'audit anchor' }, async () => {
        await anchorAudit(deps);
      }),
      logger: o.logger,
    });
    job.start();
    // The head as of shutdown is signed too (by the leader), so the last entries before a stop are
    // anchored; another instance's last entries are signed by the leader at its next anchor.
    stops.push(async () => {
      await job.stop();
      if (!(await leading())) return;
      await anchorAudit(deps, { force: true }).catch((err: unknown) =>
        o.logger.error('audit chain head not anchored at shutdown', { error: (err as Error).message }),
      );
    });
  } else o.logger.info('audit chain anchoring is off: set AUDIT_SIGNING_KEY to sign the chain head');
  const retention = o.config.retention;
  if (retention.enabled) {
    const job = retentionPurgeJob({
      now: () => o.clock.now(),
      logger: o.logger,
      timeZone: o.config.sla.reportTimeZone,
      at: retention.at,
      leader: o.leader,
      lastRun: async () => (await o.store.audit.lastOf(PURGE_ACTION, RETENTION_ACTOR))?.at ?? null,
      purge: () =>
        purgePersonalData(
          { store: o.store, clock: o.clock },
          { cutoffs: retentionCutoffs(o.clock.now(), retention), dryRun: false, actor: RETENTION_ACTOR },
        ),
    });
    job.start();
    // Stopped before the shutdown anchor, so a purge's audit entry is never left after the signed head.
    stops.unshift(() => job.stop());
  }
  return {
    async stop() {
      for (const stop of stops) await stop();
    },
  };
}
