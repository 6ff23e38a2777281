import type { Clock } from '../ports/clock';
import type { PurgeCounts, RetentionCutoffs, Store } from '../ports/store';

/** The audit action of a purge; its newest entry is also the daily job's stored last run. */
export const PURGE_ACTION = 'privacy.purged';

/** Retention periods in seconds, per kind of personal data (the `retention` config section). */
export interface RetentionPeriods {
  alertPayloads: number;
  chatTexts: number;
  personalNames: number;
}

/** The cutoffs `periods` back from `now`. */
export function retentionCutoffs(now: Date, periods: RetentionPeriods): RetentionCutoffs {
  const back = (s: number) => new Date(now.getTime() - s * 1000).toISOString();
  return {
    alertPayloads: back(periods.alertPayloads),
    chatTexts: back(periods.chatTexts),
    personalNames: back(periods.personalNames),
  };
}

/** One cutoff for every kind: `purge --before`. */
export const cutoffsBefore = (before: Date): RetentionCutoffs => {
  const at = before.toISOString();
  return { alertPayloads: at, chatTexts: at, personalNames: at };
};

export interface PurgeResult {
  cutoffs: RetentionCutoffs;
  counts: PurgeCounts;
  dryRun: boolean;
}

/**
 * Removes or pseudonymises personal data older than the cutoffs (see docs/privacy.md), then records
 * the purge in the audit log with its cutoffs and counts, never the data. A dry run counts the same
 * rows and changes nothing, not even the audit log. The audit chain stays verifiable: it links each
 * entry's content hash, which the purge leaves in place.
 */
export async function purgePersonalData(
  deps: { store: Pick<Store, 'privacy' | 'unitOfWork'>; clock: Clock },
  o: { cutoffs: RetentionCutoffs; dryRun: boolean; actor: string },
): Promise<PurgeResult> {
  const at = deps.clock.now().toISOString();
  const counts = await deps.store.privacy.purge(o.cutoffs, { dryRun: o.dryRun, at });
  if (!o.dryRun)
    await deps.store.unitOfWork((uow) =>
      uow.audit.append({
        at,
        actor: o.actor,
        action: PURGE_ACTION,
        subject: 'retention',
        data: { cutoffs: o.cutoffs, counts },
      }),
    );
  return { cutoffs: o.cutoffs, counts, dryRun: o.dryRun };
}
