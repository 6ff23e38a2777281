import type { Clock } from '../ports/clock';
import type { SharedLimits } from '../ports/shared-limits';
import { inProcessSharedLimits } from '../../integrations/limits/in-process-shared-limits';
import { openPostgresSharedLimits } from '../../integrations/limits/postgres-shared-limits';

/**
 * The limits the lane drivers share: in PostgreSQL when DATABASE_URL names one (several instances may
 * run on it), else in this process (SQLite: one instance).
 */
export function openSharedLimits(databaseUrl: string, clock: Clock): Promise<SharedLimits> {
  return /^postgres(ql)?:\/\//.test(databaseUrl)
    ? openPostgresSharedLimits(databaseUrl)
    : Promise.resolve(inProcessSharedLimits(clock));
}
